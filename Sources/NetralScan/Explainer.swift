import Foundation
public import NetralExtract
public import NetralFetch
public import NetralModel
public import NetralRules

/// One item and how the rules judged it.
public struct ExplainedItem: Sendable, Codable {
    public var item: Item
    /// Every hit of every signal, whether or not a rule fired.
    public var hits: [Hit]
    public var findings: [Finding]
}

/// `netral explain`'s answer: the items of one source and every finding on each.
public struct Explanation: Sendable, Codable {
    public var source: String
    public var kind: SourceKind
    public var items: [ExplainedItem]
}

/// Reads one file or URL, extracts its items and judges them, for an analyst's eyes.
public struct Explainer: Sendable {
    public let ruleSet: RuleSet
    public let fetchOptions: FetchOptions

    public init(ruleSet: RuleSet, fetchOptions: FetchOptions = FetchOptions()) {
        self.ruleSet = ruleSet
        self.fetchOptions = fetchOptions
    }

    /// `source` is an http(s) URL or a local path; `kind` is guessed when nil.
    public func explain(_ source: String, kind: SourceKind? = nil) async throws -> Explanation {
        let capture: Capture
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            capture = try await Fetcher(options: fetchOptions).fetch(source)
        } else {
            capture = try Self.readFile(source)
        }
        let resolvedKind = kind ?? SourceKind.guess(mediaType: capture.mediaType, path: source, body: capture.body)
        let items = try Extractor().items(from: capture, kind: resolvedKind)
        return Explanation(
            source: source,
            kind: resolvedKind,
            items: items.map { item in
                let evaluation = ruleSet.evaluate(item)
                return ExplainedItem(item: item, hits: evaluation.hits, findings: evaluation.findings)
            }
        )
    }

    /// A local file as a capture: status 0, no headers, a file URL.
    static func readFile(_ path: String) throws -> Capture {
        let url = URL(fileURLWithPath: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes[.size] as? Int, size > 64 * 1024 * 1024 {
            throw ExplainError.fileTooLarge(path: path, size: size)
        }
        let data = try Data(contentsOf: url)
        return Capture(requestURL: url.absoluteString, finalURL: url.absoluteString, status: 0, body: data, fetchedAt: Date())
    }
}

public enum ExplainError: Error, Sendable, CustomStringConvertible {
    case fileTooLarge(path: String, size: Int)

    public var description: String {
        switch self {
        case let .fileTooLarge(path, size): "\(path): file of \(size) bytes is larger than the 64 MiB that explain reads"
        }
    }
}
