import Foundation

/// A date as a page prints it for its readers: `Rabu, 4 November 2015 | 21:04 WIB`,
/// `Kamis, 05 November 2015 | 11:13 WIB`, `5 November 2015 14:56 WIB`, `Selasa, 23/02/2016
/// 15:32 WIB`, `Wednesday, 04 November, 2015 | 07:28 WIB`, `March 11, 2015 3:46 PM`.
///
/// Day and month names in Indonesian and English (full or abbreviated), numeric dates
/// (day first, or ISO order), a time with `:` or `.`, AM/PM, and a zone: WIB, WITA and WIT
/// (UTC+7, +8, +9), UTC or GMT with an optional offset, or a numeric offset. A time with no
/// zone written with Indonesian day or month names (Kamis, Agustus, ...) is read as WIB, where
/// most Indonesian newsrooms are (`impliedZone`); any other zone-less time as UTC.
struct VisibleDate: Equatable {
    /// Seconds since 1970 of the printed wall-clock time, as if it were UTC.
    var wallClock: Double
    var hasTime: Bool
    /// Seconds east of UTC, when the page printed a zone.
    var zoneOffset: Int?
    /// WIB, when no zone was printed but the date is written in Indonesian.
    var impliedZone: Int?

    /// The zone the page states or implies, in seconds east of UTC.
    var zone: Int? { zoneOffset ?? impliedZone }

    /// The instant, reading a zone-less time as UTC unless the date is Indonesian.
    var instant: Date { Date(timeIntervalSince1970: wallClock - Double(hasTime ? (zone ?? 0) : 0)) }

    private static let indonesianNames: Set<Substring> = [
        "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad", "januari", "februari",
        "pebruari", "peb", "maret", "mei", "juni", "juli", "agustus", "agu", "agt", "oktober", "okt", "nopember", "nop",
        "desember", "des", "pukul",
    ]

    private static let months: [String: Int] = {
        var table: [String: Int] = [:]
        let names: [(Int, [String])] = [
            (1, ["januari", "january", "jan"]), (2, ["februari", "february", "pebruari", "feb", "peb"]),
            (3, ["maret", "march", "mar"]), (4, ["april", "apr"]), (5, ["mei", "may"]), (6, ["juni", "june", "jun"]),
            (7, ["juli", "july", "jul"]), (8, ["agustus", "august", "agu", "agt", "aug", "agust"]),
            (9, ["september", "sept", "sep"]), (10, ["oktober", "october", "okt", "oct"]),
            (11, ["november", "nopember", "nov", "nop"]), (12, ["desember", "december", "des", "dec"]),
        ]
        for (number, words) in names { for word in words { table[word] = number } }
        return table
    }()

    private static let zones: [String: Int] = ["wib": 7 * 3600, "wita": 8 * 3600, "wit": 9 * 3600, "utc": 0, "gmt": 0, "z": 0]

    /// Words that may stand beside a date on a dateline without making it a sentence.
    private static let datelineWords: Set<Substring> = Set<Substring>([
        "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "pukul", "jam", "at",
        "on", "am", "pm", "a.m", "p.m", "wib", "wita", "wit", "utc", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst",
        "pdt", "et", "pt", "ct", "bst", "cet", "cest", "ist", "aest", "aedt", "-", "/", "•", "·", "first", "last",
    ]).union(publishingWords)

    /// Words that say the date beside them is when the page was published or changed.
    private static let publishingWords: Set<Substring> = [
        "updated", "published", "posted", "modified", "diperbarui", "dipublikasikan", "diterbitkan", "terbit", "diposting",
        "tanggal", "diunggah", "dimuat",
    ]

    /// Whether a line is a dateline, not article text: at most 100 characters, starting with a
    /// letter or digit (after separators such as "|") and not ending a sentence with a full stop
    /// (a reference's "Retrieved 6 May 2014."), a date with only weekday names, times, zones or
    /// "Updated"-like words before it, and at most two words after it besides times, zones and
    /// numbers ("| 1.229 Views"). A byline may stand before or after the date ("By Mike Wall
    /// 2019-11-18T20:51:19Z", "Posted by Michael David Smith on November 19, 2019", "October 9,
    /// 2018 | by Olivia Larsen"): the author is read into `author`. A news dateline that opens
    /// the story ("ISTANBUL, 23 Februari 2016 (Antara) -") is text. The page's date is read into
    /// `publishedAt`; printed again in the body it is not article text.
    static func isDateLine(_ line: Substring) -> Bool {
        let trimmed = line.drop { "|•·-–—/ ".contains($0) }
        guard trimmed.utf8.count <= 400, trimmed.count <= 100, let first = trimmed.first, first.isLetter || first.isNumber,
              trimmed.last != "."
        else { return false }
        let tokens = tokens(of: String(withoutLeadingByline(trimmed)))
        var index = 0
        var published = false
        var consumed = 0
        while index < tokens.count {
            if let (_, length) = date(at: index, in: tokens) {
                consumed = length
                break
            }
            // "Updated Nov 19 6:55 AM": a month and a day without a year, after a publishing word.
            if published, index + 1 < tokens.count, months[String(tokens[index])] != nil, dayNumber(tokens[index + 1]) != nil {
                consumed = 2
                break
            }
            // Times and zones may come first: "7:07 p.m. EST Nov. 19, 2019".
            guard datelineWords.contains(tokens[index]) || isClock(tokens[index]) else { return false }
            if publishingWords.contains(tokens[index]) { published = true }
            index += 1
        }
        guard consumed > 0 else { return false }
        var others = 0
        var rest = tokens[(index + consumed)...]
        if let by = rest.firstIndex(where: { $0 == "by" || $0 == "oleh" }), rest.distance(from: by, to: rest.endIndex) <= 7 {
            // "| by Olivia Larsen": a name after the date.
            rest = rest[..<by]
        }
        for token in rest {
            if datelineWords.contains(token) || months[String(token)] != nil || isClock(token) { continue }
            if token.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" || $0 == "/" || $0 == "-" || $0 == "+" }) { continue }
            if zone(token) != nil { continue }
            others += 1
            if others > 2 { return false }
        }
        return true
    }

    /// Labels of a byline that may open a dateline, in lowercase.
    private static let bylineLabels = ["posted by ", "written by ", "published by ", "by ", "oleh "]

    /// The line without a byline at its start ("By Umair Irfan Updated Nov 13, 2019"): the label
    /// and up to six capitalised names, joined by commas, "and", "dan" or "&"; unchanged when it
    /// has none.
    static func withoutLeadingByline(_ line: Substring) -> Substring {
        let lower = line.lowercased()
        guard let label = bylineLabels.first(where: { lower.hasPrefix($0) }) else { return line }
        var rest = line.dropFirst(label.count)
        var names = 0
        while let word = rest.split(separator: " ", maxSplits: 1).first {
            let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: ",;"))
            let joins = ["and", "dan", "&", "|", "-", "–"].contains(bare.lowercased())
            guard joins || (bare.first?.isUppercase == true && bare.first?.isLetter == true && months[bare.lowercased()] == nil
                && !datelineWords.contains(Substring(bare.lowercased()))) else { break }
            if !joins { names += 1 }
            guard names <= 6 else { return line }
            rest = rest.dropFirst(word.count).drop { $0 == " " }
        }
        return names > 0 ? rest : line
    }

    /// The byte-level screen for `isDateLine`: the line starts with a digit and has a space,
    /// `/` or `-` (a date is more than one number), or its first word (up to a space, comma or
    /// full stop) is a weekday, a month or a dateline word. No allocation: the first word is
    /// packed into two integers.
    static func mayStartDateLine(_ whole: some Collection<UInt8>) -> Bool {
        // Separators before the date ("| November 18, 2019"): `|`, `-`, `/`, spaces, and the
        // bytes of •, ·, – and —.
        let line = whole.drop { byte in
            byte == 0x20 || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
                || byte == 0xE2 || byte == 0x80 || byte == 0xA2 || byte == 0x93 || byte == 0x94 || byte == 0xC2 || byte == 0xB7
        }
        guard let first = line.first else { return false }
        if first >= 0x30 && first <= 0x39 {
            return line.contains { $0 == 0x20 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") }
        }
        var word = PackedWord()
        for byte in line {
            if byte == 0x20 || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".") { break }
            guard word.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) else { return false }
        }
        return datelineFirstWords.contains(word)
    }

    /// Whether the line's first word says it dates the page ("Updated", "Diperbarui"): such a
    /// line may be a dateline without a year.
    static func startsWithPublishingWord(_ line: some Collection<UInt8>) -> Bool {
        var word = PackedWord()
        for byte in line {
            if byte == 0x20 || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":") { break }
            guard word.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) else { return false }
        }
        return publishingFirstWords.contains(word)
    }

    private static let publishingFirstWords: Set<PackedWord> = Set(publishingWords.map { PackedWord(String($0)) })

    /// A word of at most 16 bytes packed into two integers.
    struct PackedWord: Hashable {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0

        /// Appends a byte; false when the word would pass 16 bytes.
        mutating func append(_ byte: UInt8) -> Bool {
            guard count < 16 else { return false }
            high = high << 8 | low >> 56
            low = low << 8 | UInt64(byte)
            count += 1
            return true
        }

        init() {}

        init(_ text: String) {
            for byte in text.utf8 { _ = append(byte) }
        }
    }

    private static let datelineFirstWords: Set<PackedWord> = Set((Array(datelineWords.map(String.init)) + Array(months.keys)).map(PackedWord.init))

    private static func tokens(of line: String) -> [Substring] {
        line.lowercased().split(whereSeparator: { character in
            switch character.unicodeScalars.first?.value ?? 0 {
            case 0x20, 0x2C, 0x7C, 0x28, 0x29, 0x5B, 0x5D, 0x2013, 0x2014, 0x09, 0xA0: return true
            default: return false
            }
        }).map { token -> Substring in
            // "Nov." and "2015." lose their full stop, "Published:" its colon; "19.30" keeps its own.
            token.hasSuffix(".") || token.hasSuffix(":") ? token.dropLast() : token
        }
    }

    /// Reads the first date in one line of visible text, with the time and zone after it.
    static func parse(_ line: String) -> VisibleDate? {
        let tokens = tokens(of: line)
        var index = 0
        while index < tokens.count {
            if let (days, consumed) = date(at: index, in: tokens) {
                var visible = VisibleDate(wallClock: Double(days) * 86_400, hasTime: false, zoneOffset: nil)
                var next = index + consumed
                // The time, if any, follows within a few tokens ("| 21:04 WIB", "pukul 19.30").
                var scanned = 0
                while next < tokens.count, scanned < 3, !visible.hasTime {
                    if let seconds = clock(tokens[next]) {
                        var value = seconds
                        if next + 1 < tokens.count, let half = meridiem(tokens[next + 1]) {
                            if half == "pm", value < 12 * 3600 { value += 12 * 3600 }
                            if half == "am", value >= 12 * 3600 { value -= 12 * 3600 }
                            next += 1
                        }
                        visible.wallClock += Double(value)
                        visible.hasTime = true
                    }
                    next += 1
                    scanned += 1
                }
                if visible.hasTime, next < tokens.count { visible.zoneOffset = zone(tokens[next]) }
                if visible.zoneOffset == nil, tokens[..<min(next, tokens.count)].contains(where: indonesianNames.contains) {
                    visible.impliedZone = 7 * 3600
                }
                return visible
            }
            index += 1
        }
        return nil
    }

    /// "3 jam yang lalu", "45 menit lalu", "2 hari yang lalu", "5 hours ago": the fetch time
    /// minus that much. Only for pages that print no absolute date.
    static func relative(_ line: String, fetchedAt: Date) -> Date? {
        let tokens = line.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "|" || $0 == "\u{a0}" })
        guard tokens.count >= 3 else { return nil }
        for index in 0..<(tokens.count - 2) {
            guard let amount = Int(tokens[index]), amount >= 0, amount < 10_000 else { continue }
            let unit: Double
            switch tokens[index + 1] {
            case "detik", "second", "seconds", "sec", "secs": unit = 1
            case "menit", "minute", "minutes", "min", "mins": unit = 60
            case "jam", "hour", "hours": unit = 3600
            case "hari", "day", "days": unit = 86_400
            case "minggu", "pekan", "week", "weeks": unit = 7 * 86_400
            default: continue
            }
            var after = index + 2
            if tokens[after] == "yang", after + 1 < tokens.count { after += 1 }
            guard tokens[after] == "lalu" || tokens[after] == "ago" else { continue }
            return fetchedAt.addingTimeInterval(-Double(amount) * unit)
        }
        return nil
    }

    /// Days since 1970 of a date starting at `index`, and how many tokens it took.
    private static func date(at index: Int, in tokens: [Substring]) -> (Int, Int)? {
        let token = tokens[index]
        if let days = numericDate(token) { return (days, 1) }
        guard index + 2 < tokens.count else { return nil }
        // 4 November 2015
        if let day = dayNumber(token), let month = months[String(tokens[index + 1])], let year = yearNumber(tokens[index + 2]),
           day <= daysInMonth(year: year, month: month) {
            return (daysFromCivil(year: year, month: month, day: day), 3)
        }
        // November 4, 2015
        if let month = months[String(token)], let day = dayNumber(tokens[index + 1]), let year = yearNumber(tokens[index + 2]),
           day <= daysInMonth(year: year, month: month) {
            return (daysFromCivil(year: year, month: month, day: day), 3)
        }
        return nil
    }

    /// "am" or "pm" for `am`, `pm`, `a.m`, `p.m` (the full stop after them is gone already).
    private static func meridiem(_ token: Substring) -> String? {
        switch token {
        case "am", "a.m": "am"
        case "pm", "p.m": "pm"
        default: nil
        }
    }

    /// A time of day, with or without "am"/"pm" written onto it (`10:28am`).
    private static func isClock(_ token: Substring) -> Bool {
        if clock(token) != nil { return true }
        for suffix in ["am", "pm"] where token.hasSuffix(suffix) { return clock(token.dropLast(2)) != nil }
        return false
    }

    /// `23/02/2016`, `23-02-2016`, `23.02.2016` (day first) or `2016-02-23`, `2016/02/23`, and
    /// the date of an ISO 8601 date-time (`2019-11-18t20:51:19z`, lowercased).
    private static func numericDate(_ token: Substring) -> Int? {
        if token.count > 10, token.dropFirst(10).first == "t" { return numericDate(token.prefix(10)) }
        let parts = token.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, parts.allSatisfy({ (part: Substring) in !part.isEmpty && part.count <= 4 && part.allSatisfy { $0.isASCII } }),
              let first = Int(parts[0]), let second = Int(parts[1]), let third = Int(parts[2])
        else { return nil }
        let (year, month, day) = parts[0].count == 4 ? (first, second, third) : (third, second, first)
        guard parts[0].count == 4 || parts[2].count == 4, (1...12).contains(month), (1900...2200).contains(year),
              (1...daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day)
    }

    private static func dayNumber(_ token: Substring) -> Int? {
        var digits = token
        for suffix in ["st", "nd", "rd", "th"] where digits.hasSuffix(suffix) { digits = digits.dropLast(2) }
        guard digits.count <= 2, let day = Int(digits), (1...31).contains(day) else { return nil }
        return day
    }

    private static func yearNumber(_ token: Substring) -> Int? {
        guard token.count == 4, let year = Int(token), (1900...2200).contains(year) else { return nil }
        return year
    }

    /// `21:04`, `19.30`, `07:28:15`: seconds after midnight.
    private static func clock(_ token: Substring) -> Int? {
        let parts = token.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "." })
        guard parts.count == 2 || parts.count == 3, parts[0].count <= 2, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
        else { return nil }
        let second = parts.count == 3 ? Int(parts[2]) ?? 0 : 0
        guard second < 60 else { return nil }
        return hour * 3600 + minute * 60 + second
    }

    /// `WIB`, `WITA`, `WIT`, `UTC`, `GMT+7`, `UTC+07:00`, `+0700`, `+07:00`.
    private static func zone(_ token: Substring) -> Int? {
        if let named = zones[String(token)] { return named }
        var rest = token
        for prefix in ["utc", "gmt"] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        let digits = rest.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let (hours, minutes) = digits.count <= 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "+" ? 1 : -1) * (hours * 3600 + minutes * 60)
    }
}
