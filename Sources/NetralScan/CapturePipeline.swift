import Foundation
public import NetralExtract
public import NetralModel
public import NetralRules
import NetralWARC

/// The one path from a capture to judged items, shared by `scan`, `explain` and `demo`: which
/// site profile applies, what kind of source a capture or file is, how a WARC is walked, and
/// how items are extracted and judged.
public struct CapturePipeline: Sendable {
    public let ruleSet: RuleSet
    public let profiles: [SiteProfile]

    public init(ruleSet: RuleSet, profiles: [SiteProfile] = []) {
        self.ruleSet = ruleSet
        self.profiles = profiles
    }

    /// A profile named explicitly wins; otherwise the first whose `match:` covers the URL.
    public func profile(named name: String?, for url: String) -> SiteProfile? {
        if let name { return profiles.named(name) }
        return profiles.matching(url: url)
    }

    /// The one sniffer: what a capture holds, from its media type, its URL's path and its first bytes.
    public static func kind(of capture: Capture) -> SourceKind {
        SourceKind.guess(mediaType: capture.mediaType, path: capture.finalURL, body: capture.body)
    }

    /// What a local file holds, judged from its name and first 64 KiB without reading it all.
    public static func kind(ofFile path: String) throws -> SourceKind {
        try SourceKind.guess(fileAt: path)
    }

    /// Extracts one capture; an HTML page with a site profile gives one item per selected node.
    public func extract(_ capture: Capture, kind: SourceKind, profileName: String? = nil) throws -> SourceExtraction {
        if kind == .html, let profile = profile(named: profileName, for: capture.finalURL) {
            return SourceExtraction(items: try HTMLExtractor().extract(capture, profile: profile), warnings: [])
        }
        return try Extractor().extract(capture, kind: kind)
    }

    /// The one WARC loop: each 2xx response record holding a page, a feed or API JSON, with the
    /// record's place kept on its items. A record that cannot be extracted is a warning, not the
    /// end of the file; a damaged file ends the loop with the error, after what came before.
    public func forEachWARCRecord(path: String, _ body: (Capture, SourceExtraction) throws -> Void) throws -> [String] {
        let reader = try WARCReader(path: path)
        var warnings: [String] = []
        var read = 0
        do {
            while let record = try reader.nextCapture() {
                let capture = record.capture
                guard (200..<300).contains(capture.status) else { continue }
                let kind = Self.kind(of: capture)
                guard [.html, .feed, .mastodon, .bluesky].contains(kind) else { continue }
                read += 1
                var extraction: SourceExtraction
                do {
                    extraction = try extract(capture, kind: kind)
                } catch let error as ExtractError {
                    warnings.append("record at offset \(record.recordOffset) skipped: \(error)")
                    continue
                } catch let error as SourceError {
                    warnings.append("record at offset \(record.recordOffset) skipped: \(error)")
                    continue
                }
                for index in extraction.items.indices {
                    extraction.items[index].metadata["warc_file"] = reader.source
                    extraction.items[index].metadata["warc_record_offset"] = String(record.recordOffset)
                    if let id = record.recordID { extraction.items[index].metadata["warc_record_id"] = id }
                    if let digest = record.payloadDigest { extraction.items[index].metadata["warc_payload_digest"] = digest }
                }
                try body(capture, extraction)
            }
        } catch let error as WARCReadError where read > 0 {
            // A damaged tail: what came before is judged; the caller still hears of the damage.
            throw WARCDamage(message: "\(error) (after \(read) records)", warnings: warnings + reader.warnings)
        }
        return warnings + reader.warnings
    }

    /// A WARC whose tail could not be read, after some records were.
    public struct WARCDamage: Error, CustomStringConvertible {
        public var message: String
        public var warnings: [String]
        public var description: String { message }
    }
}
