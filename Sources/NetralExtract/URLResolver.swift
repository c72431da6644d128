import Foundation

/// Resolves `href`s against the page's base URL (`<base href>` or the final URL).
struct URLResolver {
    let base: URL?
    /// `scheme://host[:port]` of an http(s) base without user info, for root-relative links.
    let origin: String?

    init(pageURL: String, baseHref: String?) {
        let page = URL(string: pageURL)
        if let baseHref = baseHref.flatMap(nonEmpty), let base = URL(string: baseHref, relativeTo: page) {
            self.base = base.absoluteURL
        } else {
            self.base = page
        }
        origin = URLResolver.origin(of: base)
    }

    /// An absolute URL, or nil for fragments, `javascript:` and `data:` links and unparseable ones.
    ///
    /// Two common forms skip Foundation's URL parser, which costs more than parsing the page's
    /// HTML for a link-heavy page: absolute http(s) URLs and root-relative paths (`/a/b?c`), both
    /// of plain printable ASCII without dot segments, which `URL` would return unchanged.
    func resolve(_ href: String) -> String? {
        guard let trimmed = nonEmpty(href), !trimmed.hasPrefix("#") else { return nil }
        let plain = trimmed.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }
        if plain {
            if trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") { return trimmed }
            if let origin, trimmed.hasPrefix("/"), !trimmed.hasPrefix("//"), !URLResolver.hasDotSegment(trimmed) {
                return origin + trimmed
            }
        }
        let lower = trimmed.prefix(11).lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("data:") { return nil }
        return URL(string: trimmed, relativeTo: base)?.absoluteString
    }

    private static func origin(of base: URL?) -> String? {
        guard let base, let scheme = base.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = base.host, !host.isEmpty, base.user == nil,
              host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "@") && $0 != UInt8(ascii: ":") })
        else { return nil }
        return "\(scheme)://\(host)" + (base.port.map { ":\($0)" } ?? "")
    }

    /// Whether the path part (before `?` or `#`) has a `.` or `..` segment.
    static func hasDotSegment(_ path: String) -> Bool {
        var segmentLength = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            if byte == UInt8(ascii: "/") {
                if segmentLength > 0, segmentLength == dots, dots <= 2 { return true }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentLength > 0 && segmentLength == dots && dots <= 2
    }
}
