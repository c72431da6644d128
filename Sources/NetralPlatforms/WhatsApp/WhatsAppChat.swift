public import Foundation
import NetralModel

/// Reads WhatsApp "export chat" files, as citizens send them to Bawaslu as tips: the `.txt`
/// (Android and iOS layouts, Indonesian and English locales) or the `.zip` holding it with
/// the media (read by `ZipExport`).
///
/// Each message becomes a post (kind `message`) with its sender as the author's name and its
/// time in `timeZone` (the exporting phone's local time; WIB by default). Lines that do not
/// start with a time stamp continue the message before; system lines (encryption notice,
/// "… menambahkan …", "… created group …") are skipped; `<Media tidak disertakan>` /
/// `<Media omitted>` and attachment names (`IMG-….jpg (file terlampir)`,
/// `<lampiran: 00000012-PHOTO-….jpg>`, `<attached: …>`) become media references.
///
/// Whether `03/04/24` is 3 April or 4 March is decided once per file from all its dates (a
/// first number above 12 means day first, a second one above 12 month first; otherwise
/// 24-hour or dotted times mean the Indonesian day-first order, AM/PM the US one).
public struct WhatsAppChat: Sendable {
    public let limits: PlatformLimits
    public let timeZone: TimeZone

    /// `timeZone` is the zone of the phone that exported the chat (WIB, `Asia/Jakarta`, unless
    /// the tip says otherwise).
    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Jakarta")!, limits: PlatformLimits = .default) {
        self.timeZone = timeZone
        self.limits = limits
    }

    /// The export's largest text file read from a `.zip`.
    public static let maxChatBytes = 64 * 1024 * 1024

    /// Reads a `.txt` export (`input.body`), or a `.zip` one when the bytes start with a ZIP
    /// signature.
    public func parse(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        if input.body.starts(with: [0x50, 0x4B, 0x03, 0x04]) || input.body.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try parseZip(input)
        }
        return try parseText(input.body, input: input, attachments: nil)
    }

    /// Whether `data` looks like a chat export: a ZIP, or text whose first non-empty line
    /// starts with a WhatsApp time stamp and a sender.
    public static func looksLikeExport(_ data: Data, fileName: String) -> Bool {
        let lowered = fileName.lowercased()
        if lowered.hasSuffix(".zip") { return data.starts(with: [0x50, 0x4B, 0x03, 0x04]) && lowered.contains("whatsapp") }
        guard lowered.hasSuffix(".txt") else { return false }
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        guard let line = head.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first else { return false }
        return stamp(line) != nil
    }

    // MARK: ZIP

    func parseZip(_ input: PlatformInput) throws(PlatformParseError) -> PlatformPage {
        guard input.body.count <= limits.maxBodyBytes * 8 else {
            throw PlatformParseError(
                platform: .whatsapp, url: input.url, reason: "an export of \(input.body.count) bytes is over the limit")
        }
        let archive: ZipExport
        do {
            archive = try ZipExport(data: input.body)
        } catch {
            throw PlatformParseError(platform: .whatsapp, url: input.url, reason: "not a readable ZIP archive: \(error.reason)")
        }
        var names: [String] = []
        var chatEntry: ZipExport.Entry?
        for entry in archive.entries where !entry.name.hasSuffix("/") {
            let name = entry.name
            // Only names are kept and nothing is written, so a `../` path cannot escape
            // anything; but such a name is no attachment of a real export either.
            if name.hasPrefix("/") || name.split(separator: "/").contains("..") { continue }
            names.append(name)
            let base = (name as NSString).lastPathComponent.lowercased()
            if base.hasSuffix(".txt"),
                chatEntry == nil || base == "_chat.txt" || base.hasPrefix("whatsapp chat") || base.hasPrefix("chat whatsapp")
            {
                chatEntry = entry
            }
        }
        guard let chatEntry else {
            throw PlatformParseError(platform: .whatsapp, url: input.url, reason: "the archive has no chat text file (.txt)")
        }
        let text: Data
        do {
            text = try archive.contents(of: chatEntry, limit: Self.maxChatBytes)
        } catch {
            throw PlatformParseError(platform: .whatsapp, url: input.url, location: chatEntry.name, reason: error.reason)
        }
        return try parseText(text, input: input, attachments: Set(names))
    }

    // MARK: Text

    /// One line's time stamp and what follows it.
    struct Stamp {
        var first: Int
        var second: Int
        var year: Int
        var hour: Int
        var minute: Int
        var secondOfMinute: Int
        var meridiem: String?
        /// Byte length of the stamp and its separator (` - ` or `] `), in characters.
        var rest: Substring
    }

    func parseText(_ data: Data, input: PlatformInput, attachments: Set<String>?) throws(PlatformParseError) -> PlatformPage {
        guard data.count <= Self.maxChatBytes else {
            throw PlatformParseError(
                platform: .whatsapp, url: input.url, reason: "a chat of \(data.count) bytes is over the limit of \(Self.maxChatBytes)")
        }
        var book = NoteBook(limits: limits)
        var text = String(decoding: data, as: UTF8.self)
        if String(validating: data, as: UTF8.self) == nil {
            book.add("\(input.url): the chat is not valid UTF-8; invalid bytes were replaced")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        // First pass: which lines start a message, and the file's day/month order.
        var stamps: [Stamp?] = []
        stamps.reserveCapacity(lines.count)
        var firstOver12 = false
        var secondOver12 = false
        var sawMeridiem = false
        var sawDottedOr24h = false
        for line in lines {
            let stamp = Self.stamp(line)
            if let stamp {
                if stamp.first > 12 { firstOver12 = true }
                if stamp.second > 12 { secondOver12 = true }
                if stamp.meridiem != nil { sawMeridiem = true } else { sawDottedOr24h = true }
            }
            stamps.append(stamp)
        }
        guard stamps.contains(where: { $0 != nil }) else {
            throw PlatformParseError(
                platform: .whatsapp, url: input.url, location: "line 1",
                reason: "no line starts with a WhatsApp time stamp (not a chat export?)")
        }
        let dayFirst: Bool
        if firstOver12 && secondOver12 {
            book.add("\(input.url): dates have both numbers above 12 in different lines; read as day/month")
            dayFirst = true
        } else if firstOver12 {
            dayFirst = true
        } else if secondOver12 {
            dayFirst = false
        } else {
            dayFirst = !(sawMeridiem && !sawDottedOr24h)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Second pass: messages.
        var posts: [PlatformPost] = []
        var pending: (line: Int, stamp: Stamp, sender: String, text: [Substring])?
        var dropped = 0
        var hours = HourCache()
        func flush() {
            guard let current = pending else { return }
            pending = nil
            guard posts.count < limits.maxPostsPerAnswer else {
                dropped += 1
                return
            }
            if let post = makePost(
                current.line, stamp: current.stamp, sender: current.sender, lines: current.text, dayFirst: dayFirst,
                calendar: calendar, hours: &hours, input: input, attachments: attachments, book: &book)
            {
                posts.append(post)
            }
        }
        for (index, line) in lines.enumerated() {
            guard let stamp = stamps[index] else {
                if pending != nil {
                    pending!.text.append(line)
                }
                continue
            }
            flush()
            // A system line (no sender, or a group event) starts nothing: lines after it that
            // carry no stamp belong to no message.
            if let (sender, message) = Self.senderAndMessage(stamp.rest), !Self.isSystemMessage(message) {
                pending = (index + 1, stamp, sender, [message])
            }
        }
        flush()
        if dropped > 0 { book.add("\(input.url): \(dropped) messages past the first \(limits.maxPostsPerAnswer) left out") }
        var profiles = ProfileSet()
        for post in posts {
            if let name = post.item.author?.name {
                profiles.add(
                    AccountProfile(platform: Platform.whatsapp.rawValue, handle: name, displayName: name, observedAt: input.receivedAt))
            }
        }
        return PlatformPage(platform: .whatsapp, posts: posts, profiles: profiles.profiles, notes: book.notes)
    }

    func makePost(
        _ lineNumber: Int, stamp: Stamp, sender: String, lines: [Substring], dayFirst: Bool, calendar: Calendar,
        hours: inout HourCache, input: PlatformInput, attachments: Set<String>?, book: inout NoteBook
    ) -> PlatformPost? {
        var hour = stamp.hour
        if let meridiem = stamp.meridiem {
            if meridiem == "pm", hour < 12 { hour += 12 }
            if meridiem == "am", hour == 12 { hour = 0 }
        }
        let (day, month) = dayFirst ? (stamp.first, stamp.second) : (stamp.second, stamp.first)
        guard
            let date = hours.date(year: stamp.year, month: month, day: day, hour: hour, calendar: calendar)?
                .addingTimeInterval(TimeInterval(stamp.minute * 60 + stamp.secondOfMinute))
        else {
            book.add(
                "\(input.url): line \(lineNumber): the date \(stamp.first)/\(stamp.second)/\(stamp.year) is not a real date;"
                    + " message skipped"
            )
            return nil
        }
        var media: [MediaRef] = []
        var kept: [String] = []
        for (offset, raw) in lines.enumerated() {
            var line =
                raw.unicodeScalars.contains(where: { $0 == "\u{200E}" || $0 == "\u{200F}" })
                ? String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0 != "\u{200E}" && $0 != "\u{200F}" }))
                : String(raw)
            if offset == 0 { line = line.trimmingCharacters(in: .whitespaces) }
            // Placeholders and attachment lines are short and start with `<` or end with `)`,
            // `>`: everything else is text, checked without lowercasing it.
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.utf8.count < 200,
                trimmed.hasPrefix("<") || trimmed.hasSuffix(")") || Self.deletedNotices.contains(trimmed.lowercased())
            else {
                kept.append(line)
                continue
            }
            let lowered = trimmed.lowercased()
            if lowered == "<media tidak disertakan>" || lowered == "<media omitted>" || lowered == "<media dihilangkan>" {
                // Nothing to fetch: the export left the picture or video out.
                book.add("\(input.url): line \(lineNumber): \(sender) sent a picture or video the export left out")
                continue
            }
            if let name = Self.attachmentName(trimmed) {
                let reference =
                    attachments.map { names in
                        names.first { ($0 as NSString).lastPathComponent == name }.map { "\(input.url)#\($0)" } ?? "\(input.url)#\(name)"
                    } ?? name
                if attachments != nil, !(attachments!.contains { ($0 as NSString).lastPathComponent == name }) {
                    book.add("\(input.url): line \(lineNumber): attachment \(name) is not in the archive")
                }
                let lowerName = name.lowercased()
                let kind: MediaRef.Kind = [".mp4", ".3gp", ".mov", ".opus", ".m4a"].contains { lowerName.hasSuffix($0) } ? .video : .image
                if media.count < limits.maxMediaPerPost { media.append(MediaRef(url: reference, kind: kind)) }
                continue
            }
            if Self.deletedNotices.contains(lowered) { continue }
            kept.append(line)
        }
        let body = book.cap(tidy(kept.joined(separator: "\n")), "\(input.url): message on line \(lineNumber)")
        guard !body.isEmpty || !media.isEmpty else { return nil }
        let url = "\(input.url)#line-\(lineNumber)"
        let item = Item(
            sourceURL: url, canonicalURL: url, platform: Platform.whatsapp.rawValue, author: Author(name: sender),
            publishedAt: date, body: body, hashtags: hashtags(in: [body]))
        return PlatformPost(item: item, postID: "line-\(lineNumber)", media: media, kind: "message")
    }

    /// The start of each hour of the phone's calendar, computed once: a chat has many messages
    /// per hour, and Foundation's calendar arithmetic is the slow part of reading one. Zone
    /// offsets change on hour boundaries, so minutes and seconds are added to the hour.
    struct HourCache {
        private var starts: [Int: Date] = [:]

        mutating func date(year: Int, month: Int, day: Int, hour: Int, calendar: Calendar) -> Date? {
            guard (1...12).contains(month), day >= 1, hour >= 0, hour < 24, year >= 1990, year <= 2100 else { return nil }
            let key = ((year * 100 + month) * 100 + day) * 100 + hour
            if let start = starts[key] { return start }
            let components = DateComponents(year: year, month: month, day: day, hour: hour)
            guard components.isValidDate(in: calendar), let start = calendar.date(from: components) else { return nil }
            if starts.count < 100_000 { starts[key] = start }
            return start
        }
    }

    static let eventPhrases: [[UInt8]] = [
        " changed ", " mengubah ", " menambahkan ", " added ", " removed ", " mengeluarkan ", " created group", " membuat grup",
        " joined ", " bergabung", " left", " keluar",
    ].map { Array($0.utf8) }

    /// A short byte search: senders are at most 80 characters, so the plain loop is the fast one.
    static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            var offset = 1
            while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
            if offset == needle.count { return true }
        }
        return false
    }

    static let deletedNotices: Set<String> = [
        "pesan ini telah dihapus", "this message was deleted", "you deleted this message", "anda menghapus pesan ini",
    ]

    // MARK: Line shapes

    /// The time stamp a message line starts with, in any of the four layouts:
    /// `12/01/24 19.30 - `, `12/01/2024, 19:30 - `, `1/12/24, 7:30 PM - ` (Android) and
    /// `[12/01/24 19.30.15] `, `[1/12/24, 7:30:15 PM] ` (iOS), with U+200E marks allowed before.
    static func stamp(_ line: Substring) -> Stamp? {
        var scalars = line.unicodeScalars[...]
        while let first = scalars.first, first == "\u{200E}" || first == "\u{200F}" || first == "\u{FEFF}" || first == " " {
            scalars.removeFirst()
        }
        guard !scalars.isEmpty, scalars.count < 100_000 else { return nil }
        var bracketed = false
        if scalars.first == "[" {
            bracketed = true
            scalars.removeFirst()
        }
        func number(maxDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while let scalar = scalars.first, scalar.value >= 0x30 && scalar.value <= 0x39, digits < maxDigits {
                value = value * 10 + Int(scalar.value - 0x30)
                digits += 1
                scalars.removeFirst()
            }
            return digits == 0 ? nil : value
        }
        func take(_ characters: Set<Unicode.Scalar>) -> Bool {
            guard let first = scalars.first, characters.contains(first) else { return false }
            scalars.removeFirst()
            return true
        }
        func skipSpaces() {
            while let first = scalars.first, first == " " || first == "\u{202F}" || first == "\u{00A0}" { scalars.removeFirst() }
        }
        let dateSeparators: Set<Unicode.Scalar> = ["/", ".", "-"]
        guard let first = number(maxDigits: 2), take(dateSeparators), let second = number(maxDigits: 2), take(dateSeparators),
            var year = number(maxDigits: 4)
        else { return nil }
        if year < 100 { year += 2000 }
        _ = take([","])
        skipSpaces()
        guard let hour = number(maxDigits: 2), take([".", ":"]), let minute = number(maxDigits: 2) else { return nil }
        var seconds = 0
        if take([".", ":"]) {
            guard let value = number(maxDigits: 2) else { return nil }
            seconds = value
        }
        skipSpaces()
        var meridiem: String?
        let rest = String(String.UnicodeScalarView(scalars.prefix(6))).lowercased()
        for (marker, value) in [("a.m.", "am"), ("p.m.", "pm"), ("am", "am"), ("pm", "pm")] where rest.hasPrefix(marker) {
            meridiem = value
            scalars.removeFirst(marker.unicodeScalars.count)
            break
        }
        guard hour < 24, minute < 60, seconds < 60, first >= 1, second >= 1, (1...31).contains(first) || (1...31).contains(second) else {
            return nil
        }
        if meridiem != nil, hour > 12 { return nil }
        skipSpaces()
        if bracketed {
            guard take(["]"]) else { return nil }
            skipSpaces()
        } else {
            guard take(["-", "\u{2013}"]) else { return nil }
            skipSpaces()
        }
        let restText = Substring(String(String.UnicodeScalarView(scalars)))
        return Stamp(
            first: first, second: second, year: year, hour: hour, minute: minute, secondOfMinute: seconds, meridiem: meridiem,
            rest: restText)
    }

    /// `Sender: message`; nil for a system line (no sender before a colon).
    static func senderAndMessage(_ rest: Substring) -> (String, Substring)? {
        // `: ` found on the bytes (Foundation's string search is the slow part of a big chat).
        let utf8 = rest.utf8
        var colon: String.Index?
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if utf8[index] == 0x3A {
                let next = utf8.index(after: index)
                if next == utf8.endIndex || utf8[next] == 0x20 {
                    colon = index
                    break
                }
            }
            index = utf8.index(after: index)
        }
        guard let colon else { return nil }
        var sender = String(rest[..<colon])
        if sender.unicodeScalars.contains(where: { $0 == "\u{200E}" || $0 == "\u{202A}" || $0 == "\u{202C}" }) {
            sender = String(
                String.UnicodeScalarView(sender.unicodeScalars.filter { $0 != "\u{200E}" && $0 != "\u{202A}" && $0 != "\u{202C}" }))
        }
        sender = sender.trimmingCharacters(in: .whitespaces)
        guard !sender.isEmpty, sender.count <= 80 else { return nil }
        let lowered = Array(sender.lowercased().utf8)
        // Group events written with a colon ("Budi changed the subject to: …") are not messages.
        for phrase in Self.eventPhrases where Self.contains(phrase, in: lowered) {
            return nil
        }
        let afterColon = rest.index(after: colon)
        let message = afterColon < rest.endIndex ? rest[rest.index(after: afterColon)...] : rest[afterColon...]
        return (sender, message)
    }

    /// iOS writes group events as messages of the group itself whose text starts with U+200E
    /// ("‎Messages and calls are end-to-end encrypted", "‎Budi added Ani"); an attachment
    /// starts with the mark too, and is a message.
    static func isSystemMessage(_ message: Substring) -> Bool {
        let trimmed = message.drop { $0 == " " }
        guard trimmed.first == "\u{200E}" else {
            let lowered = trimmed.lowercased()
            return lowered.hasPrefix("messages and calls are end-to-end encrypted") || lowered.hasPrefix("pesan dan panggilan dienkripsi")
        }
        let rest = trimmed.dropFirst().drop { $0 == " " }
        return attachmentName(String(rest)) == nil && !rest.lowercased().hasPrefix("<media")
    }

    /// The file name of an attachment line: `IMG-20240112-WA0003.jpg (file terlampir)`,
    /// `IMG-20240112-WA0003.jpg (file attached)`, `<lampiran: 00000012-PHOTO-….jpg>`,
    /// `<attached: 00000012-PHOTO-….jpg>`.
    static func attachmentName(_ line: String) -> String? {
        for suffix in [" (file terlampir)", " (file attached)", " (berkas terlampir)"] where line.hasSuffix(suffix) {
            let name = String(line.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name.contains("/") ? nil : name
        }
        for prefix in ["<lampiran:", "<attached:"] where line.hasPrefix(prefix) && line.hasSuffix(">") {
            let name = line.dropFirst(prefix.count).dropLast().trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name.contains("/") ? nil : name
        }
        return nil
    }
}
