import Foundation
import NetralExtract
import NetralModel
#if canImport(Glibc)
    import Glibc
#endif

/// Collects the notes of one answer and cuts stored text to the limit, naming each cut.
struct NoteBook {
    var notes: [String] = []
    let limits: PlatformLimits

    init(limits: PlatformLimits) {
        self.limits = limits
    }

    mutating func add(_ note: String) {
        // A hostile answer could produce a note per element; a thousand say enough.
        if notes.count < 1_000 { notes.append(note) } else if notes.count == 1_000 { notes.append("further notes left out") }
    }

    /// `text` cut to `maxTextCharacters` characters (whole characters), with a note naming
    /// `what` when it was cut. The check is on UTF-8 length first, so a short text costs nothing.
    mutating func cap(_ text: String, _ what: @autoclosure () -> String) -> String {
        let limit = limits.maxTextCharacters
        guard text.utf8.count > limit else { return text }
        var count = 0
        var end = text.startIndex
        for index in text.indices {
            if count == limit {
                end = index
                break
            }
            count += 1
            end = text.endIndex
        }
        guard end < text.endIndex else { return text }
        add("\(what()): text of \(text.utf8.count) bytes cut to its first \(limit) characters")
        return String(text[..<end])
    }

    mutating func capOptional(_ text: String?, _ what: @autoclosure () -> String) -> String? {
        guard let text else { return nil }
        return cap(text, what())
    }
}

/// Whitespace runs collapsed to one space, ends trimmed; line breaks kept when `keepLines`.
func tidy(_ text: String, keepLines: Bool = true) -> String {
    if !keepLines {
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
    var lines: [String] = []
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" }) {
        let collapsed = line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if collapsed.isEmpty {
            if let last = lines.last, !last.isEmpty { lines.append("") }
        } else {
            lines.append(collapsed)
        }
    }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    return lines.joined(separator: "\n")
}

func nonEmptyText(_ text: String?) -> String? {
    guard let text else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

/// Hashtags of the texts (the project's one finder) merged with tags a platform lists apart,
/// each once, with its `#`.
func hashtags(in texts: [String], listed: [String] = []) -> [String] {
    var seen = Set<String>()
    var result: [String] = []
    for tag in Hashtags.find(in: texts) + listed {
        let trimmed = tag.trimmingCharacters(in: .whitespaces)
        let withHash = trimmed.hasPrefix("#") ? trimmed : "#" + trimmed
        guard withHash.count > 1 else { continue }
        if seen.insert(withHash.lowercased()).inserted { result.append(withHash) }
    }
    return result
}

/// A Unix time in seconds (or milliseconds, when it is too large for seconds) as a date; nil
/// for anything before 2000 or after 2100, which no post of these platforms has.
func unixDate(_ value: Int?) -> Date? {
    guard var value else { return nil }
    if value > 100_000_000_000 { value /= 1000 }
    guard value >= 946_684_800, value < 4_102_444_800 else { return nil }
    return Date(timeIntervalSince1970: TimeInterval(value))
}

/// RFC 3339 / ISO 8601 date-times as the platforms write them (`2024-01-12T19:30:15Z`,
/// `2024-01-12T19:30:15.123+07:00`, a bare `2024-01-12`), read by the model's one parser.
func parseISODate(_ text: String?) -> Date? {
    text.flatMap(ISODate.parse)
}

/// `https://host/path` made absolute against `base`; only http(s) results are kept.
func absoluteURL(_ text: String?, base: String) -> String? {
    guard let text = nonEmptyText(text) else { return nil }
    // A URL or a path; a bare word ("7", "cover") is no link to anything.
    let lowered = text.lowercased()
    guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || text.hasPrefix("/") || text.hasPrefix("?") else { return nil }
    let candidate = text.hasPrefix("//") ? "https:" + text : text
    guard let url = URL(string: candidate, relativeTo: URL(string: base))?.absoluteURL,
        let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
    else { return nil }
    return url.absoluteString
}

/// The URL without the query parameters named (`key`, `access_token`): what a parser outputs
/// must never carry a credential the request had.
func removingQueryItems(_ names: Set<String>, from text: String) -> String {
    guard var components = URLComponents(string: text), let items = components.queryItems, !items.isEmpty else { return text }
    let kept = items.filter { !names.contains($0.name.lowercased()) }
    guard kept.count != items.count else { return text }
    components.queryItems = kept.isEmpty ? nil : kept
    return components.string ?? text
}

/// A query parameter's value.
func queryValue(_ name: String, in text: String) -> String? {
    URLComponents(string: text)?.queryItems?.first { $0.name == name }?.value
}

/// The host of a URL, lowercased, without `www.` and `m.`.
func bareHost(_ text: String) -> String? {
    guard var host = URL(string: text)?.host?.lowercased() else { return nil }
    for prefix in ["www.", "m.", "mobile.", "mbasic.", "web."] where host.hasPrefix(prefix) {
        host.removeFirst(prefix.count)
    }
    return host
}

/// A path's segments.
func pathSegments(_ text: String) -> [String] {
    URL(string: text)?.path.split(separator: "/").map(String.init) ?? []
}

/// Byte search in `Data` from `start`: `memchr` finds each candidate first byte, `memcmp`
/// checks the rest.
func find(_ needle: String, in data: Data, from start: Int = 0) -> Int? {
    let pattern = Array(needle.utf8)
    guard !pattern.isEmpty, start >= 0, start + pattern.count <= data.count else { return nil }
    return data.withUnsafeBytes { buffer -> Int? in
        guard let base = buffer.baseAddress else { return nil }
        let first = Int32(pattern[0])
        let lastStart = buffer.count - pattern.count
        var position = start
        return pattern.withUnsafeBytes { needleBuffer -> Int? in
            while position <= lastStart {
                guard let hit = memchr(base + position, first, lastStart - position + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + offset, needleBuffer.baseAddress!, pattern.count) == 0 { return offset }
                position = offset + 1
            }
            return nil
        }
    }
}

/// Whether `data` contains `needle` (bytes, case as written).
func contains(_ needle: String, in data: Data) -> Bool { find(needle, in: data) != nil }

/// Reads JSON embedded in an HTML page without an HTML parse: cheap and linear.
enum EmbeddedJSON {
    /// The content of `<script id="ID" ...>...</script>`.
    static func script(id: String, in page: Data) -> Data? {
        for quote in ["\"", "'"] {
            guard let at = find("id=\(quote)\(id)\(quote)", in: page) else { continue }
            guard let open = find(">", in: page, from: at), let close = find("</script", in: page, from: open) else { return nil }
            return page.subdata(in: (open + 1)..<close)
        }
        return nil
    }

    /// The object literal assigned by `marker` (`var ytInitialPlayerResponse = `,
    /// `window._sharedData = `): from its `{` to the matching `}`. Nil when the marker is
    /// missing; `.truncated` when the object never closes.
    static func assignedObject(after marker: String, in page: Data) -> Lookup {
        var from = 0
        while let at = find(marker, in: page, from: from) {
            from = at + marker.utf8.count
            let result = page.withUnsafeBytes { buffer -> Lookup? in
                let bytes = buffer.bindMemory(to: UInt8.self)
                var start = from
                while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0x09 {
                    start += 1
                }
                guard start < bytes.count, bytes[start] == 0x7B else { return nil }
                guard let end = JSONScan.endOfValue(in: bytes, from: start) else { return .truncated(offset: start) }
                return .found(page.subdata(in: start..<end))
            }
            if let result { return result }
        }
        return .missing
    }

    enum Lookup {
        case found(Data)
        case truncated(offset: Int)
        case missing
    }

    /// The contents of every `<script type="application/json" ...>` (and `application/ld+json`
    /// when `ldJSON`) whose text contains any of `markers` (all when `markers` is empty), in page
    /// order: one pass over the page.
    static func jsonScripts(in page: Data, containingAny markers: [String], ldJSON: Bool = false) -> [Data] {
        var found: [Data] = []
        var from = 0
        while let at = find("<script", in: page, from: from) {
            guard let open = find(">", in: page, from: at), let close = find("</script", in: page, from: open) else { break }
            from = close + 8
            guard open - at < 2_000 else { continue }
            let tag = String(decoding: page.subdata(in: at..<open), as: UTF8.self).lowercased()
            let isJSON = tag.contains("application/json") || (ldJSON && tag.contains("application/ld+json"))
            guard isJSON else { continue }
            let content = page.subdata(in: (open + 1)..<close)
            if !markers.isEmpty, !markers.contains(where: { find($0, in: content) != nil }) { continue }
            found.append(content)
        }
        return found
    }

    /// The contents of every JSON script whose text contains `marker` (every one when nil).
    static func jsonScripts(in page: Data, containing marker: String?, ldJSON: Bool = false) -> [Data] {
        var found: [Data] = []
        var from = 0
        while let at = find("<script", in: page, from: from) {
            guard let open = find(">", in: page, from: at), let close = find("</script", in: page, from: open) else { break }
            from = close + 8
            let tag = String(decoding: page.subdata(in: at..<open), as: UTF8.self).lowercased()
            let isJSON = tag.contains("application/json") || (ldJSON && tag.contains("application/ld+json"))
            guard isJSON else { continue }
            let content = page.subdata(in: (open + 1)..<close)
            if let marker, find(marker, in: content) == nil { continue }
            found.append(content)
        }
        return found
    }
}

/// Walls every platform shows the same way: the HTTP status and a redirect to a login page.
enum CommonWalls {
    static func fromStatus(_ input: PlatformInput) -> PlatformWall? {
        switch input.status {
        case 429:
            return PlatformWall(.rateLimited, "HTTP 429 Too Many Requests", retryAfter: input.retryAfter)
        case 404, 410:
            return PlatformWall(.notFound, "HTTP \(input.status)")
        case 401:
            return PlatformWall(.loginRequired, "HTTP 401 Unauthorized")
        default:
            return nil
        }
    }

    /// A final URL on a login, checkpoint or captcha path while something else was asked for.
    static func fromRedirect(_ input: PlatformInput, loginPaths: [String], challengePaths: [String]) -> PlatformWall? {
        let path = (URL(string: input.url)?.path ?? "").lowercased()
        let asked = (input.requestURL.flatMap { URL(string: $0)?.path } ?? "").lowercased()
        for login in loginPaths where path.hasPrefix(login) && !asked.hasPrefix(login) {
            return PlatformWall(.loginRequired, "redirected to the login page \(path)")
        }
        for challenge in challengePaths where path.hasPrefix(challenge) && !asked.hasPrefix(challenge) {
            return PlatformWall(.challenge, "redirected to \(path)")
        }
        return nil
    }
}

/// Keeps the accounts of one answer once each (by account key), the first full one winning;
/// a later sighting fills fields the first lacked.
struct ProfileSet {
    private(set) var profiles: [AccountProfile] = []
    private var indexByKey: [String: Int] = [:]

    mutating func add(_ profile: AccountProfile?) {
        guard let profile, let key = profile.key else { return }
        if let index = indexByKey[key] {
            var existing = profiles[index]
            existing.accountID = existing.accountID ?? profile.accountID
            existing.handle = existing.handle ?? profile.handle
            existing.displayName = existing.displayName ?? profile.displayName
            existing.bio = existing.bio ?? profile.bio
            existing.category = existing.category ?? profile.category
            existing.profileURL = existing.profileURL ?? profile.profileURL
            if existing.links.isEmpty { existing.links = profile.links }
            for (name, value) in profile.fields where existing.fields[name] == nil { existing.fields[name] = value }
            profiles[index] = existing
        } else {
            indexByKey[key] = profiles.count
            profiles.append(profile)
        }
    }
}
