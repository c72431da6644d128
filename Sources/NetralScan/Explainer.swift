import Foundation
public import NetralExtract
public import NetralFetch
public import NetralModel
public import NetralRules

/// One item and how the rules judged it.
public struct ExplainedItem: Sendable, Codable {
    public var item: Item
    /// Every hit of every signal, whether or not a rule fired (the first `maximumHits`).
    public var hits: [Hit]
    /// Hits beyond `maximumHits`, counted, not listed.
    public var omittedHits: Int
    /// Each identity hit, whether it describes the author, and why.
    public var identity: [IdentityEvidence]
    public var findings: [Finding]

    /// The most hits listed for one item: a page that repeats a phrase is not printed whole.
    public static let maximumHits = 500

    public init(item: Item, evaluation: Evaluation) {
        self.item = item
        self.hits = evaluation.hits(limit: Self.maximumHits)
        self.omittedHits = max(0, evaluation.hitCount - Self.maximumHits)
        self.identity = evaluation.identity(limit: Self.maximumHits)
        self.findings = evaluation.findings
    }
}

/// `netral explain`'s answer: the items of one source and every finding on each.
public struct Explanation: Sendable, Codable {
    public var source: String
    public var kind: SourceKind
    public var items: [ExplainedItem]
    /// What could not be read (a broken feed entry, a damaged WARC record): nothing is lost silently.
    public var warnings: [String] = []
}

/// Reads one file or URL, extracts its items and judges them, for an analyst's eyes.
public struct Explainer: Sendable {
    public let ruleSet: RuleSet
    public let fetchOptions: FetchOptions

    public init(ruleSet: RuleSet, fetchOptions: FetchOptions = FetchOptions()) {
        self.ruleSet = ruleSet
        self.fetchOptions = fetchOptions
    }

    /// `source` is an http(s) URL or a local path; `kind` is guessed when nil. A local WARC is
    /// streamed record by record.
    ///
    /// With a site profile, an HTML page splits into the items its XPath selectors pick out.
    public func explain(_ source: String, kind: SourceKind? = nil, profile: SiteProfile? = nil) async throws -> Explanation {
        let lower = source.lowercased()
        let extraction: SourceExtraction
        let resolvedKind: SourceKind
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            let capture = try await Fetcher(options: fetchOptions).fetch(source)
            resolvedKind = kind ?? SourceKind.guess(mediaType: capture.mediaType, path: source, body: capture.body)
            extraction = try Self.extract(capture, kind: resolvedKind, profile: profile)
        } else if kind == .warc || (kind == nil && Self.isWARC(source)) {
            resolvedKind = .warc
            extraction = try Extractor().extractFile(atPath: source, kind: .warc)
        } else {
            let capture = try Extractor.captureFile(atPath: source)
            resolvedKind = kind ?? SourceKind.guess(mediaType: nil, path: source, body: capture.body)
            extraction = try Self.extract(capture, kind: resolvedKind, profile: profile)
        }
        return Explanation(
            source: source,
            kind: resolvedKind,
            items: extraction.items.map { item in
                ExplainedItem(item: item, evaluation: ruleSet.evaluate(item))
            },
            warnings: extraction.warnings
        )
    }

    /// Extracts one capture; an HTML page with a site profile gives one item per selected node.
    static func extract(_ capture: Capture, kind: SourceKind, profile: SiteProfile?) throws -> SourceExtraction {
        if kind == .html, let profile {
            return SourceExtraction(items: try HTMLExtractor().extract(capture, profile: profile), warnings: [])
        }
        return try Extractor().extract(capture, kind: kind)
    }

    /// True when a local file starts like a WARC (plain, or gzip: Netral's WARC reader checks
    /// the decompressed start itself).
    static func isWARC(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return head.starts(with: Array("WARC/".utf8)) || (head.starts(with: [0x1F, 0x8B]) && path.lowercased().contains(".warc"))
    }
}
