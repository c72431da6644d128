public import Foundation
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
    /// The rules that nearly fired (one part missing) and the rules held back by `unless`.
    public var diagnosis: RuleDiagnosis

    /// The most hits listed for one item: a page that repeats a phrase is not printed whole.
    public static let maximumHits = 500

    public init(item: Item, evaluation: Evaluation) {
        self.item = item
        self.hits = evaluation.hits(limit: Self.maximumHits)
        self.omittedHits = max(0, evaluation.hitCount - Self.maximumHits)
        self.identity = evaluation.identity(limit: Self.maximumHits)
        self.findings = evaluation.findings
        self.diagnosis = evaluation.diagnosis()
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

/// Reads one file or URL, extracts its items and judges them, for an analyst's eyes, through
/// the same pipeline as a scan: the same profile resolution (`match:`), sniffer and WARC loop.
public struct Explainer: Sendable {
    public let pipeline: CapturePipeline
    public let fetchOptions: FetchOptions
    /// What the analyst knows about the author (a target's `subject`): applied to every item,
    /// as a scan applies its target's.
    public var subject: Subject?
    /// The date every item is judged as published on (`--published`), replacing the source's,
    /// so that race windows apply.
    public var publishedAt: Date?
    /// The account identities a state keeps, by item (`StateStore.appliedAccountIdentities`),
    /// applied as in a scan; nil: none.
    public var accountIdentities: (@Sendable (Item) throws -> [AccountIdentity])?

    public var ruleSet: RuleSet { pipeline.ruleSet }

    public init(
        ruleSet: RuleSet, profiles: [SiteProfile] = [], fetchOptions: FetchOptions = FetchOptions(), subject: Subject? = nil,
        publishedAt: Date? = nil
    ) {
        self.pipeline = CapturePipeline(ruleSet: ruleSet, profiles: profiles)
        self.fetchOptions = fetchOptions
        self.subject = subject
        self.publishedAt = publishedAt
    }

    /// The most bytes of text `explain(text:)` takes, as for a local file.
    public static let maximumTextBytes = Extractor.defaultMaxFileBytes

    /// Judges text given directly (an argument or standard input) as one post with no page
    /// around it; `kind` reads it as something else (a page, a feed) instead. `source` names
    /// where it came from in the explanation (`--text`, `-`); the item's URL is `text:SOURCE`.
    public func explain(text: String, source: String, kind: SourceKind = .text, profile: String? = nil) throws -> Explanation {
        let body = Data(text.utf8)
        guard body.count <= Self.maximumTextBytes else {
            throw TargetError("\(source): \(body.count) bytes of text, more than the \(Self.maximumTextBytes) a source may have")
        }
        let url = "text:\(source)"
        let capture = Capture(requestURL: url, finalURL: url, status: 0, body: body, fetchedAt: Date())
        let extraction = try pipeline.extract(capture, kind: kind, profileName: profile)
        return Explanation(
            source: URLCredentials.masked(source), kind: kind, items: try judged(extraction.items), warnings: extraction.warnings)
    }

    /// `source` is an http(s) URL or a local path; `kind` is guessed when nil. A local WARC is
    /// streamed record by record. `profile` names a site profile; without one, a profile whose
    /// `match:` covers the URL is used, as in a scan. `allowPrivate` lets a URL reach loopback or
    /// private addresses.
    public func explain(_ source: String, kind: SourceKind? = nil, profile: String? = nil, allowPrivate: Bool = false) async throws
        -> Explanation
    {
        let lower = source.lowercased()
        var items: [Item] = []
        var warnings: [String] = []
        let resolvedKind: SourceKind
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            let engine = FetchEngine(options: fetchOptions)
            let capture = try await engine.fetch(FetchRequest(url: source, allowPrivate: allowPrivate)).capture
            guard (200..<300).contains(capture.status) else {
                throw TargetError("\(source): HTTP status \(capture.status)")
            }
            resolvedKind = kind ?? CapturePipeline.kind(of: capture)
            let extraction = try pipeline.extract(capture, kind: resolvedKind, profileName: profile)
            (items, warnings) = (extraction.items, extraction.warnings)
        } else if try kind == .warc || (kind == nil && CapturePipeline.kind(ofFile: source) == .warc) {
            resolvedKind = .warc
            var recordWarnings: [String] = []
            let records = try pipeline.records(ofWARC: source)
            do {
                while let (_, extraction) = try records.next() {
                    items += extraction.items
                    recordWarnings += extraction.warnings
                }
                warnings = recordWarnings + records.warnings
            } catch let damage as CapturePipeline.WARCDamage {
                warnings = recordWarnings + damage.warnings + [damage.message]
            }
        } else if kind == nil, let tip = try await CitizenTip.items(atPath: source) {
            // A citizen's tip: a screenshot (its words by OCR) or a WhatsApp chat export.
            resolvedKind = .text
            (items, warnings) = tip
        } else {
            let capture = try Extractor.captureFile(atPath: source)
            resolvedKind = kind ?? CapturePipeline.kind(of: capture)
            let extraction = try pipeline.extract(capture, kind: resolvedKind, profileName: profile)
            (items, warnings) = (extraction.items, extraction.warnings)
        }
        // The source is shown as given, less any password or token it holds.
        return Explanation(source: URLCredentials.masked(source), kind: resolvedKind, items: try judged(items), warnings: warnings)
    }

    /// Each item with what the analyst gave applied (subject, publish date, the account identities a state keeps), judged and diagnosed.
    func judged(_ items: [Item]) throws -> [ExplainedItem] {
        try items.map { original in
            var item = original
            if let subject { item.subject = subject }
            if let publishedAt { item.publishedAt = publishedAt }
            if let accountIdentities {
                item.accountIdentities = try accountIdentities(item).filter { $0.applies(at: item.publishedAt) }
            }
            return ExplainedItem(item: item, evaluation: ruleSet.evaluate(item))
        }
    }
}
