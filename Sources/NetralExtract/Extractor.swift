public import Foundation
import NetralZlib
public import NetralModel
import NetralWARC

/// What a capture holds, and so how to read it. The raw values are what `netral explain --kind`
/// accepts.
public enum SourceKind: String, Sendable, CaseIterable, Codable {
    /// A web page.
    case html
    /// An RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom feed.
    case feed
    /// A Mastodon API answer: a status, an array of statuses, or an account.
    case mastodon
    /// A Bluesky AppView answer: an author feed, posts, a thread, a post view, or a profile.
    case bluesky
    /// A WARC file, plain or gzipped.
    case warc
    /// Plain text.
    case text

    /// Guesses the kind from the media type, then from the file name or URL path, then from the
    /// first bytes (`<rss`, `<feed`, `<rdf:RDF`, `WARC/1.`, gzip holding a WARC, the keys of a
    /// Mastodon or Bluesky JSON answer, HTML tags). Falls back to `.text`.
    /// What a local file holds, judged from its name and first 64 KiB without reading it all.
    public static func guess(fileAt path: String) throws -> SourceKind {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw SourceError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        return guess(mediaType: nil, path: path, body: head)
    }

    public static func guess(mediaType: String?, path: String?, body: Data) -> SourceKind {
        let lowerPath = path.map(Self.pathWithoutQuery)
        if let mediaType {
            let type = mediaType.lowercased()
            if type.contains("rss") || type.contains("atom") || type.contains("rdf+xml") { return .feed }
            if type.hasPrefix("application/warc") { return .warc }
            if type.contains("html") { return .html }
            if type.hasPrefix("text/plain") { return .text }
            if type.contains("json"), let kind = sniffJSON(body, path: lowerPath) { return kind }
            if type.contains("xml"), sniffFeed(body) { return .feed }
        }
        if let lower = lowerPath {
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return .html }
            if lower.hasSuffix(".txt") { return .text }
            if lower.hasSuffix(".rss") || lower.hasSuffix(".atom") || lower.hasSuffix(".rdf") { return .feed }
            if lower.hasSuffix(".warc") || lower.hasSuffix(".warc.gz") { return .warc }
            if lower.hasSuffix(".xml"), sniffFeed(body) { return .feed }
            if lower.hasSuffix(".json"), let kind = sniffJSON(body, path: lower) { return kind }
        }
        return sniff(body, path: lowerPath)
    }

    /// Guesses from the bytes alone.
    static func sniff(_ body: Data, path: String?) -> SourceKind {
        let start = body.prefix(4096).drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        if start.starts(with: Array("WARC/1.".utf8)) { return .warc }
        if start.starts(with: [0x1F, 0x8B]) {
            return gzippedWARC(body) ? .warc : .text
        }
        if let first = start.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return sniffJSON(body, path: path) ?? .text
        }
        if sniffFeed(body) { return .feed }
        let head = String(decoding: body.prefix(1024), as: UTF8.self).lowercased()
        if head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") || head.contains("<p") {
            return .html
        }
        return .text
    }

    /// True when the root element, within the first 4 KiB, is `rss`, `feed` or `rdf:RDF`.
    static func sniffFeed(_ body: Data) -> Bool {
        let head = String(decoding: body.prefix(4096), as: UTF8.self).lowercased()
        for marker in ["<rss", "<feed", "<rdf:rdf"] {
            guard let range = head.range(of: marker) else { continue }
            // A page that merely mentions a feed has `<html` before it.
            if let html = head.range(of: "<html"), html.lowerBound < range.lowerBound { continue }
            return true
        }
        return false
    }

    /// A gzip stream whose first inflated bytes are a WARC header.
    static func gzippedWARC(_ body: Data) -> Bool {
        guard let inflater = try? Inflater(format: .gzip) else { return false }
        let input = [UInt8](body.prefix(64 * 1024))
        var output = [UInt8](repeating: 0, count: 64)
        let step = input.withUnsafeBytes { raw in
            output.withUnsafeMutableBytes { out in inflater.inflate(input: raw, output: out) }
        }
        return output[0..<step.produced].starts(with: Array("WARC/1.".utf8))
    }

    /// Tells a Mastodon answer from a Bluesky one by its keys (and the API path, for an empty page).
    static func sniffJSON(_ body: Data, path: String?) -> SourceKind? {
        guard body.count <= 64 * 1024 * 1024, let reader = try? JSONReader(data: body, source: path ?? "input"),
              let shape = try? reader.shape()
        else { return nil }
        let pathHint: SourceKind? = path.flatMap { path in
            if path.contains("/xrpc/app.bsky.") || path.contains("/xrpc/com.atproto.") { return .bluesky }
            if path.contains("/api/v1/") || path.contains("/api/v2/") { return .mastodon }
            return nil
        }
        switch shape {
        case let .object(keys):
            if keys.contains("feed") || keys.contains("posts") || keys.contains("thread") || keys.contains("post") { return .bluesky }
            if keys.contains("uri") && keys.contains("record") { return .bluesky }
            if keys.contains("did") && keys.contains("handle") { return .bluesky }
            if keys.contains("content") && keys.contains("account") { return .mastodon }
            if keys.contains("acct") || (keys.contains("username") && keys.contains("note")) { return .mastodon }
            return pathHint
        case .array:
            if let head = try? reader.decode(ArrayHead.self).first?.keys,
               head.contains("content") && head.contains("account") {
                return .mastodon
            }
            return pathHint
        case .scalar:
            return nil
        }
    }

    static func pathWithoutQuery(_ path: String) -> String {
        let cut = path.firstIndex { $0 == "?" || $0 == "#" } ?? path.endIndex
        return path[..<cut].lowercased()
    }
}

/// The first element of a JSON array, decoded only as a shape.
private struct ArrayHead: Decodable {
    var first: JSONShape?

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        first = container.isAtEnd ? nil : try container.decode(JSONShape.self)
    }
}

/// Reads the items of a capture, whatever its kind.
public struct Extractor: Sendable {
    /// The largest local file read whole; WARC files are streamed whatever their size.
    public static let defaultMaxFileBytes = 64 * 1024 * 1024

    public init() {}

    /// The items of `capture` read as `kind`. Skipped parts are dropped silently; use
    /// `extract(_:kind:)` to see them.
    ///
    /// - Throws: `ExtractError` (HTML) or `SourceError` when nothing at all can be read.
    public func items(from capture: Capture, kind: SourceKind) throws -> [Item] {
        try extract(capture, kind: kind).items
    }

    /// The items of `capture` read as `kind`, with warnings for what was skipped.
    ///
    /// - `.feed`: one item per entry.
    /// - `.mastodon`: one status, an array of statuses, or an account (one profile item).
    /// - `.bluesky`: an author feed, posts, a thread, a post view, or a profile.
    /// - `.warc`: the items of every 2xx response record holding HTML, a feed, or a Mastodon or
    ///   Bluesky answer; a damaged file gives the items before the damage and a warning.
    public func extract(_ capture: Capture, kind: SourceKind) throws -> SourceExtraction {
        switch kind {
        case .html:
            return SourceExtraction(items: [try HTMLExtractor().extract(capture)])
        case .text:
            let text = String(decoding: capture.body, as: UTF8.self)
            return SourceExtraction(items: [Item(sourceURL: capture.finalURL, platform: "text", body: text, hashtags: Hashtags.find(in: [text]))])
        case .feed:
            let result = try FeedExtractor().extract(capture)
            return SourceExtraction(items: result.items, warnings: result.warnings, feedTitle: result.title)
        case .mastodon:
            return try MastodonExtractor().items(from: capture)
        case .bluesky:
            return try BlueskyExtractor().items(from: capture)
        case .warc:
            let reader = try WARCReader(data: capture.body, source: capture.finalURL)
            return try extract(from: reader)
        }
    }

    /// The items of a local file: a WARC is streamed from disk whatever its size; anything else
    /// is read whole (up to `maxBytes`) and read as `kind`, guessed when nil.
    public func extractFile(atPath path: String, kind: SourceKind? = nil, maxBytes: Int = Extractor.defaultMaxFileBytes) throws -> SourceExtraction {
        let isWARC = try kind == .warc || (kind == nil && headIsWARC(path))
        if isWARC {
            return try extract(from: WARCReader(path: path))
        }
        let capture = try Self.captureFile(atPath: path, maxBytes: maxBytes)
        let resolved = kind ?? SourceKind.guess(mediaType: nil, path: path, body: capture.body)
        return try extract(capture, kind: resolved)
    }

    /// A local file as a capture: status 0, no headers, a `file://` URL, read now.
    ///
    /// - Throws: `SourceError.unreadableFile` or `SourceError.fileTooLarge`.
    public static func captureFile(atPath path: String, maxBytes: Int = Extractor.defaultMaxFileBytes) throws -> Capture {
        let url = URL(fileURLWithPath: path)
        let size: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            throw SourceError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        guard size <= Int64(maxBytes) else { throw SourceError.fileTooLarge(path: path, size: size, limit: Int64(maxBytes)) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SourceError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        return Capture(requestURL: url.absoluteString, finalURL: url.absoluteString, status: 0, body: data, fetchedAt: Date())
    }

    /// Whether a file is a WARC, judged from its name and first 64 KiB without reading it all.
    private func headIsWARC(_ path: String) throws -> Bool {
        try SourceKind.guess(fileAt: path) == .warc
    }

    /// Every item of every usable response in a WARC.
    func extract(from reader: WARCReader) throws -> SourceExtraction {
        var items: [Item] = []
        var warnings: [String] = []
        do {
            while let response = try reader.nextCapture() {
                let capture = response.capture
                guard (200..<300).contains(capture.status) else { continue }
                if let type = capture.mediaType,
                   !["html", "xml", "rss", "atom", "json"].contains(where: { type.contains($0) }) {
                    continue
                }
                let kind = SourceKind.guess(mediaType: capture.mediaType, path: capture.finalURL, body: capture.body)
                guard [.html, .feed, .mastodon, .bluesky].contains(kind) else { continue }
                do {
                    let extracted = try extract(capture, kind: kind)
                    for var item in extracted.items {
                        item.metadata["warc_file"] = reader.source
                        item.metadata["warc_record_offset"] = String(response.recordOffset)
                        if let id = response.recordID { item.metadata["warc_record_id"] = id }
                        items.append(item)
                    }
                    warnings.append(contentsOf: extracted.warnings)
                } catch {
                    warnings.append("\(capture.finalURL) (WARC record at byte offset \(response.recordOffset)): \(error)")
                }
            }
        } catch {
            // Damage after some items: keep them and say where reading stopped.
            if items.isEmpty { throw error }
            warnings = reader.warnings + warnings
            warnings.append("\(error); reading stopped there")
            return SourceExtraction(items: items, warnings: warnings)
        }
        return SourceExtraction(items: items, warnings: reader.warnings + warnings)
    }
}
