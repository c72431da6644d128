public import Foundation
public import NetralModel
import NetralZlib

/// A sitemap (sitemaps.org 0.9): a `urlset` of pages or a `sitemapindex` of further sitemaps,
/// each entry with its `lastmod` when given. Read through libxml2 with entities and DTDs off
/// (`XMLTreeDocument`), from plain XML or gzip (`sitemap.xml.gz`, recognised by its magic bytes,
/// inflated at most to `maxInflatedBytes`).
///
/// - SeeAlso: https://www.sitemaps.org/protocol.html
public struct Sitemap: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Pages (`<urlset>`).
        case pages
        /// Further sitemaps (`<sitemapindex>`).
        case index
    }

    public struct Entry: Sendable, Equatable {
        /// Absolute http(s) URL.
        public var url: String
        public var lastModified: Date?
    }

    /// The protocol's own limits: 50,000 entries and 50 MB uncompressed per file.
    public static let maxEntries = 50_000
    public static let maxInflatedBytes = 50 * 1024 * 1024

    public var kind: Kind
    public var entries: [Entry]
    /// Entries skipped (not http(s), unreadable `lastmod`, beyond `maxEntries`) and recovered
    /// XML errors, each with where and why.
    public var warnings: [String]

    /// Reads a fetched sitemap.
    ///
    /// - Throws: `SourceError` when the body is empty, not XML, corrupt gzip, or neither a
    ///   `urlset` nor a `sitemapindex`.
    public init(capture: Capture) throws {
        let source = capture.finalURL
        var bytes = capture.body
        if bytes.count >= 2, bytes[bytes.startIndex] == 0x1F, bytes[bytes.startIndex + 1] == 0x8B {
            do {
                bytes = try inflateBody(bytes, format: .gzip, limit: Self.maxInflatedBytes)
            } catch {
                throw SourceError.corruptGzip(source: source, offset: 0, reason: error.reason)
            }
        }
        let document = try XMLTreeDocument(bytes: bytes, url: source)
        var warnings: [String] = []
        if let error = document.recoveredError {
            warnings.append("\(source): the sitemap is not well-formed XML (\(error)); read what could be recovered")
        }
        guard let root = document.root else {
            throw SourceError.invalidXML(source: source, reason: document.recoveredError ?? "the document has no root element")
        }
        let entryName: String
        switch root.localName {
        case "urlset":
            kind = .pages
            entryName = "url"
        case "sitemapindex":
            kind = .index
            entryName = "sitemap"
        default:
            throw SourceError.notASitemap(source: source, rootElement: root.localName)
        }
        var entries: [Entry] = []
        let base = URL(string: source)
        for (index, node) in root.children.enumerated() where node.localName == entryName {
            guard entries.count < Self.maxEntries else {
                warnings.append("\(source): more than \(Self.maxEntries) entries; the rest are ignored")
                break
            }
            let children = node.children
            let location = children.first { $0.localName == "loc" }?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard let url = URL(string: location, relativeTo: base)?.absoluteURL, let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil else {
                warnings.append("\(source): entry \(index + 1) has no http(s) <loc>; skipped")
                continue
            }
            var lastModified: Date?
            if let text = children.first(where: { $0.localName == "lastmod" })?.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                lastModified = Self.date(text)
                if lastModified == nil { warnings.append("\(source): entry \(index + 1) has an unreadable <lastmod> '\(text)'") }
            }
            entries.append(Entry(url: url.absoluteString, lastModified: lastModified))
        }
        self.entries = entries
        self.warnings = warnings
    }

    /// W3C datetime as sitemaps use it: `2024-11-10`, `2024-11-10T08:00:00+08:00`, with or
    /// without seconds and fractions.
    static func date(_ text: String) -> Date? {
        if text.count == 10 {
            let parts = text.split(separator: "-")
            guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
            var components = DateComponents(year: year, month: month, day: day)
            components.timeZone = TimeZone(identifier: "UTC")
            return Calendar(identifier: .gregorian).date(from: components)
        }
        return ISODate.parse(text)
    }
}
