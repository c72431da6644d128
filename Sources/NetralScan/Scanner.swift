import Foundation
public import Logging
import NetralEvidence
public import NetralExtract
import NetralFetch
public import NetralModel
public import NetralRules
import NetralStore

/// A target that could not be scanned, and why.
public struct TargetFailure: Sendable, Codable, Equatable {
    public var target: String
    public var url: String
    public var error: String
}

/// One finding as a scan reports it.
public struct ScanFinding: Sendable, Codable, Equatable {
    public var id: String
    public var target: String
    public var url: String
    public var rule: String
    public var act: String
    public var severity: Severity
    public var score: Double
    public var bundle: String
    /// False when the finding was already known from an earlier run.
    public var new: Bool
}

/// What a scan did: counts, findings and failures. `--format json` prints this.
public struct ScanSummary: Sendable, Codable, Equatable {
    public var targets = 0
    public var fetched = 0
    public var items = 0
    public var findings: [ScanFinding] = []
    public var failures: [TargetFailure] = []
    public var evidence: String = ""
    public var state: String = ""

    public init() {}

    public var newFindings: Int { findings.filter(\.new).count }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
}

/// The pipeline: targets in, findings out. Fetch (or read) → extract → judge → bundle + record.
public struct Scanner: Sendable {
    public let config: ScanConfig
    public let ruleSet: RuleSet
    /// Site profiles for splitting HTML pages into items.
    public let profiles: [SiteProfile]
    let fetcher: Fetcher

    public init(config: ScanConfig, ruleSet: RuleSet, profiles: [SiteProfile] = []) {
        self.config = config
        self.ruleSet = ruleSet
        self.profiles = profiles
        self.fetcher = Fetcher(options: config.fetch)
    }

    /// Targets that name a profile none of `profiles` has, as messages for the operator.
    public func unknownProfiles() -> [String] {
        config.targets.compactMap { target in
            guard let name = target.profile, profiles.named(name) == nil else { return nil }
            return "target '\(target.id)' names site profile '\(name)', which is not in \(config.sitePaths.joined(separator: ", "))"
        }
    }

    /// A target that stopped with an error; the scan goes on with the next target.
    struct TargetError: Error, CustomStringConvertible {
        var description: String
    }

    /// Everything a running scan writes to, shared by the per-kind readers.
    final class Run {
        let store: StateStore
        /// Files one case file per judged item with findings (issue 12).
        let cases: CaseFileRecorder
        let packs: [PackReference]
        /// Reviewer-facing signal labels for reports (`paslon-02` → "02 Prabowo Subianto – ...").
        let signalLabels: [String: String]
        var summary = ScanSummary()

        init(store: StateStore, cases: CaseFileRecorder, packs: [PackReference], signalLabels: [String: String]) {
            self.store = store
            self.cases = cases
            self.packs = packs
            self.signalLabels = signalLabels
        }
    }

    /// Scans every target once. A target that fails is recorded and skipped; the others go on.
    /// Throws only when the state or evidence store itself cannot be used.
    public func run(logger: Logger) async throws -> ScanSummary {
        let lock = try RunLock(path: config.statePath + ".lock")
        defer { withExtendedLifetime(lock) {} }
        let store = try StateStore(path: config.statePath)
        let writer = CaseFileWriter(root: config.evidencePath, signer: try config.signingKeyPath.map { try ManifestSigner(keyFile: $0) },
                                    timestamper: config.timestampAuthorities.isEmpty ? nil : Timestamper(authorities: config.timestampAuthorities))
        writer.removeIncomplete()
        let run = Run(store: store, cases: CaseFileRecorder(writer: writer, store: store), packs: ruleSet.packs.map(\.reference),
                      signalLabels: Self.signalLabels(of: ruleSet))
        run.summary.targets = config.targets.count
        run.summary.evidence = config.evidencePath
        run.summary.state = config.statePath

        for target in config.targets {
            var targetLogger = logger
            targetLogger[metadataKey: "target"] = "\(target.id)"
            do {
                switch target.kind {
                case .page:
                    let capture = try await fetch(target.url, run: run)
                    try judge(capture, kind: nil, target: target, run: run, logger: targetLogger)
                case .feed:
                    let capture = try await fetch(target.url, run: run)
                    try judge(capture, kind: .feed, target: target, run: run, logger: targetLogger)
                case .mastodon:
                    try await scanMastodon(target, run: run, logger: targetLogger)
                case .bluesky:
                    try await scanBluesky(target, run: run, logger: targetLogger)
                case .warc:
                    try scanWARC(target, run: run, logger: targetLogger)
                case .file:
                    let capture = try Extractor.captureFile(atPath: target.url)
                    run.summary.fetched += 1
                    try judge(capture, kind: nil, target: target, run: run, logger: targetLogger)
                }
            } catch let error as TargetError {
                targetLogger.warning("target failed", metadata: ["url": "\(target.url)", "error": "\(error)"])
                run.summary.failures.append(TargetFailure(target: target.id, url: target.url, error: error.description))
            } catch let error as FetchError {
                targetLogger.warning("fetch failed", metadata: ["url": "\(target.url)", "error": "\(error)"])
                run.summary.failures.append(TargetFailure(target: target.id, url: target.url, error: "\(error)"))
            } catch let error as ExtractError {
                run.summary.failures.append(TargetFailure(target: target.id, url: target.url, error: "\(error)"))
            } catch let error as SourceError {
                run.summary.failures.append(TargetFailure(target: target.id, url: target.url, error: "\(error)"))
            }
        }
        try run.cases.writeIndex()
        return run.summary
    }

    /// Every labelled signal of every pack, by name; the first pack that labels a name wins.
    static func signalLabels(of ruleSet: RuleSet) -> [String: String] {
        Dictionary(ruleSet.packs.flatMap(\.signals).compactMap { signal in signal.label.map { (signal.name, $0) } },
                   uniquingKeysWith: { first, _ in first })
    }

    /// Fetches one URL; failures and non-2xx answers are recorded and end the target.
    func fetch(_ url: String, run: Run) async throws -> Capture {
        let capture: Capture
        do {
            capture = try await fetcher.fetch(url)
        } catch {
            try run.store.recordFetchFailure(url: url, error: "\(error)", at: Date())
            throw error
        }
        try run.store.recordFetch(capture)
        run.summary.fetched += 1
        guard (200..<300).contains(capture.status) else {
            throw TargetError(description: "HTTP status \(capture.status)")
        }
        return capture
    }

    /// Extracts a capture's items (unless given) and judges them.
    func judge(_ capture: Capture, kind: SourceKind?, items given: [Item]? = nil, author: Author? = nil,
               source: SourceRecord? = nil, target: Target, run: Run, logger: Logger) throws {
        var items: [Item]
        if let given {
            items = given
        } else {
            let resolved = kind ?? SourceKind.guess(mediaType: capture.mediaType, path: capture.finalURL, body: capture.body)
            let profile = target.profile.flatMap { profiles.named($0) } ?? profiles.matching(url: capture.finalURL)
            let extraction = try Explainer.extract(capture, kind: resolved, profile: profile)
            for warning in extraction.warnings { logger.info("extraction warning", metadata: ["url": "\(capture.finalURL)", "warning": "\(warning)"]) }
            items = extraction.items
        }
        var workspace = RuleSet.Workspace()
        for var item in items {
            if let subject = target.subject { item.subject = subject }
            // An account's bio (Mastodon note, Bluesky description) belongs to each of its posts.
            if let author, item.author?.bio == nil, item.author?.handle == nil || item.author?.handle == author.handle {
                item.author = Author(name: item.author?.name ?? author.name, handle: item.author?.handle ?? author.handle,
                                     profileURL: item.author?.profileURL ?? author.profileURL, bio: author.bio)
            }
            run.summary.items += 1
            let evaluation = ruleSet.evaluate(item, workspace: &workspace)
            let contentDigest = RuleSet.contentDigest(of: item)
            try run.store.recordItem(id: item.identityURL, url: item.sourceURL, contentDigest: contentDigest, at: capture.fetchedAt)
            guard !evaluation.findings.isEmpty else { continue }
            // One case file per item, holding all its findings (issue 12).
            let outcome = try run.cases.file(CaseFile(
                capture: capture, item: item, findings: evaluation.findings, packs: run.packs, contentDigest: contentDigest,
                signalLabels: run.signalLabels, source: source, region: target.region, zone: target.zone, target: target.id
            ))
            for finding in evaluation.findings {
                run.summary.findings.append(ScanFinding(target: target.id, finding: finding, url: item.sourceURL, bundle: outcome.path, new: outcome.created))
            }
            if let problem = outcome.timestampProblem {
                logger.warning("case file not time-stamped", metadata: ["bundle": "\(outcome.path)", "error": "\(problem)"])
            }
            if outcome.created {
                logger.info("case file", metadata: ["acts": "\(evaluation.findings.map(\.act).joined(separator: ","))", "bundle": "\(outcome.path)"])
            }
        }
    }

    /// A Mastodon account: look it up, then read its statuses page by page (Link header),
    /// at most `maxPages` pages. Each page's API answer is the capture its findings keep.
    func scanMastodon(_ target: Target, run: Run, logger: Logger) async throws {
        let (api, acct) = try MastodonAPI.forAccount(target.url)
        let lookup = try await fetch(api.accountLookupURL(acct: acct), run: run)
        let account = try MastodonExtractor().account(from: lookup.body, sourceURL: lookup.finalURL)
        var next: String? = api.accountStatusesURL(accountID: account.id)
        var pages = 0
        while let url = next, pages < target.maxPages {
            let capture = try await fetch(url, run: run)
            let page = try MastodonExtractor().page(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["url": "\(url)", "warning": "\(warning)"]) }
            try judge(capture, kind: .mastodon, items: page.items, author: account.author, target: target, run: run, logger: logger)
            next = page.nextURL
            pages += 1
        }
    }

    /// A Bluesky account: its profile (for the bio), then its author feed page by page (cursor),
    /// at most `maxPages` pages.
    func scanBluesky(_ target: Target, run: Run, logger: Logger) async throws {
        let api = try BlueskyAPI()
        let actor = try BlueskyAPI.actor(from: target.url)
        let profileCapture = try await fetch(api.profileURL(actor: actor), run: run)
        let profile = try BlueskyExtractor().profile(from: profileCapture.body, sourceURL: profileCapture.finalURL)
        let author = Author(name: profile.displayName, handle: profile.handle, profileURL: profile.profileURL, bio: profile.bio)
        var cursor: String?
        var pages = 0
        repeat {
            let capture = try await fetch(api.authorFeedURL(actor: actor, cursor: cursor), run: run)
            let page = try BlueskyExtractor().feedPage(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            try judge(capture, kind: .bluesky, items: page.items, author: author, target: target, run: run, logger: logger)
            cursor = page.cursor
            pages += 1
        } while cursor != nil && pages < target.maxPages
    }

    /// A WARC file, record by record: memory stays flat however large the file. Response
    /// records whose content is HTML, a feed or API JSON are judged; the rest are skipped.
    func scanWARC(_ target: Target, run: Run, logger: Logger) throws {
        let reader = try WARCReader(path: target.url)
        var read = 0
        do {
            while let record = try reader.nextCapture() {
                let capture = record.capture
                guard (200..<300).contains(capture.status) else { continue }
                let kind = SourceKind.guess(mediaType: capture.mediaType, path: capture.finalURL, body: capture.body)
                guard kind != .text, kind != .warc else { continue }
                run.summary.fetched += 1
                read += 1
                do {
                    let source = SourceRecord(warcFile: target.url, recordID: record.recordID, offset: record.recordOffset, digest: record.payloadDigest)
                    try judge(capture, kind: kind, source: source, target: target, run: run, logger: logger)
                } catch let error as ExtractError {
                    logger.info("record skipped", metadata: ["offset": "\(record.recordOffset)", "error": "\(error)"])
                } catch let error as SourceError {
                    logger.info("record skipped", metadata: ["offset": "\(record.recordOffset)", "error": "\(error)"])
                }
            }
        } catch let error as SourceError where read > 0 {
            // A damaged tail: what came before is judged; the target still reports the damage.
            for warning in reader.warnings { logger.warning("WARC warning", metadata: ["warning": "\(warning)"]) }
            throw TargetError(description: "\(error) (after \(read) records)")
        }
        for warning in reader.warnings { logger.warning("WARC warning", metadata: ["warning": "\(warning)"]) }
    }
}

extension ScanFinding {
    init(target: String, finding: Finding, url: String, bundle: String, new: Bool) {
        self.init(id: finding.id, target: target, url: url, rule: finding.rule, act: finding.act,
                  severity: finding.severity, score: finding.score, bundle: bundle, new: new)
    }
}
