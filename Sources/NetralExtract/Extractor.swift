public import Foundation
public import NetralModel

/// What a capture holds, and so how to read it.
public enum SourceKind: String, Sendable, CaseIterable, Codable {
    case html
    case text

    /// Guesses the kind from the media type, then from the file name, then from the bytes.
    public static func guess(mediaType: String?, path: String?, body: Data) -> SourceKind {
        if let mediaType {
            if mediaType.contains("html") { return .html }
            if mediaType.hasPrefix("text/plain") { return .text }
        }
        if let path {
            let lower = path.lowercased()
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return .html }
            if lower.hasSuffix(".txt") { return .text }
        }
        let head = String(decoding: body.prefix(1024), as: UTF8.self).lowercased()
        if head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") || head.contains("<p") {
            return .html
        }
        return .text
    }
}

/// Reads the items of a capture, whatever its kind.
public struct Extractor: Sendable {
    public init() {}

    public func items(from capture: Capture, kind: SourceKind) throws -> [Item] {
        switch kind {
        case .html:
            return [try HTMLExtractor().extract(capture)]
        case .text:
            let text = String(decoding: capture.body, as: UTF8.self)
            return [Item(sourceURL: capture.finalURL, platform: "text", body: text, hashtags: Hashtags.find(in: [text]))]
        }
    }
}
