import Crypto
import Foundation
public import Logging
import NetralEvidence
public import NetralExtract
import NetralFetch
import NetralModel
public import NetralRules
public import NetralStore

/// The scan: due targets in, findings out. Fetches run concurrently on the fetch engine's
/// thread; extraction, judging, bundles and state writes happen here, one target at a time,
/// overlapping with the fetches still in flight. At most `2 × concurrency` fetched targets wait
/// to be judged (back-pressure), so memory stays flat however many targets there are.
///
/// Which errors end what is a rule, not a list of types: an error from the state store or the
/// evidence writer aborts the run (`RunAbort`); any other error fails only its target.
public struct Scanner: Sendable {
    public let config: ScanConfig
    public let pipeline: CapturePipeline

    public var ruleSet: RuleSet { pipeline.ruleSet }
    public var profiles: [SiteProfile] { pipeline.profiles }

    public init(config: ScanConfig, ruleSet: RuleSet, profiles: [SiteProfile] = []) {
        self.config = config
        self.pipeline = CapturePipeline(ruleSet: ruleSet, profiles: profiles)
    }

    /// Targets that name a profile none of `profiles` has, as messages for the operator.
    public func unknownProfiles() -> [String] {
        config.targets.compactMap { target in
            guard let name = target.profile, profiles.named(name) == nil else { return nil }
            return "target '\(target.id)' names site profile '\(name)', which is not in \(config.sitePaths.joined(separator: ", "))"
        }
    }

    /// An error from the run's own sinks (state store, evidence): it ends the run.
    public struct RunAbort: Error, CustomStringConvertible {
        public var description: String
    }

    /// A target that stopped with a reason of its own (an HTTP status, a damaged file).
    struct TargetError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `body` against the state store; its errors abort the run.
    static func stored<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw RunAbort(description: "state store: \(error)")
        }
    }

    /// Everything a running scan writes to. Used by the judging task only.
    final class Run {
        let store: StateStore
        /// Files one case file per judged item with findings.
        let cases: CaseFileRecorder
        /// Reviewer-facing signal labels for reports (`paslon-02` → "02 Prabowo Subianto – ...").
        let signalLabels: [String: String]
        let engine: FetchEngine
        let packs: [PackReference]
        let started: Date
        var summary = ScanSummary()
        var workspace = RuleSet.Workspace()
        /// Targets done but not yet committed: they are written `completionBatch` at a time.
        var pending: [(completion: TargetCompletion, result: TargetResult)] = []
        /// Interacting accounts' profiles looked up this run, by platform and account id
        /// (`InteractionProfiles`): each is fetched once per run.
        var interactionProfiles = InteractionProfiles()
        /// robots.txt per host, shared with the fetch stage; used by sites read page by page.
        var robots: RobotsGate?

        init(store: StateStore, cases: CaseFileRecorder, signalLabels: [String: String], engine: FetchEngine, packs: [PackReference], started: Date) {
            self.store = store
            self.cases = cases
            self.signalLabels = signalLabels
            self.engine = engine
            self.packs = packs
            self.started = started
        }
    }

    /// What the fetch stage hands to the judging stage.
    enum Prefetched: Sendable {
        /// `judged`: a changed 2xx page or feed, already extracted and judged.
        case fetched(Target, FetchResult, FetchMemory?, judged: JudgedPage?)
        /// `fetchFailed`: the failure belongs in the URL's fetch row too.
        case failed(Target, String, fetchFailed: Bool)
        case disallowed(Target, String)
        /// Read or fetched page by page by the judging stage (files, WARCs, social accounts).
        case deferred(Target)

        var target: Target {
            switch self {
            case .fetched(let target, _, _, _), .failed(let target, _, _), .disallowed(let target, _), .deferred(let target): target
            }
        }
    }

    /// Who this run claims targets as, on a state several workers share.
    public struct WorkerOptions: Sendable {
        /// Unique among the workers sharing the state: one live run per name.
        public var name: String
        /// How long a claim holds without being renewed; a killed worker's targets are claimed
        /// by another once it has passed. Each new batch a worker claims renews its leases. Seconds.
        public var lease: Double

        public static let defaultLease: Double = 900

        public init(name: String, lease: Double = WorkerOptions.defaultLease) {
            self.name = name
            self.lease = lease
        }
    }

    /// Another live run already holds this state (SQLite's lock file) or this worker name
    /// (PostgreSQL's advisory lock).
    struct WorkerBusy: Error, CustomStringConvertible {
        var name: String
        var location: String
        var description: String { "another netral scan runs as worker '\(name)' on \(location); this run did nothing" }
    }

    /// Scans every due target once. A target that fails is recorded and skipped; the others go on.
    /// Throws only when the state or evidence store itself cannot be used, or on cancellation.
    /// On a shared PostgreSQL state, `worker` names this run among the others; due targets are
    /// then claimed a batch at a time, so workers started together share them out.
    public func run(logger: Logger, progress: (@Sendable (ScanProgress) -> Void)? = nil, worker workerOptions: WorkerOptions? = nil) async throws -> ScanSummary {
        let location: StateLocation
        do {
            location = try config.stateLocation()
        } catch {
            throw RunAbort(description: "state: \(error)")
        }
        // On one machine a lock file beside the database keeps runs apart; on PostgreSQL that is
        // the database's job (claims, and an advisory lock per worker name).
        var fileLock: RunLock?
        if case .sqlite(let path) = location { fileLock = try RunLock(path: path + ".lock") }
        defer { withExtendedLifetime(fileLock) {} }
        let started = Date()
        let store = try StateStore(location: location)
        let worker = workerOptions?.name ?? Self.workerName()
        if store.isShared, try !Self.stored({ try store.holdSessionLock("scan --worker " + worker) }) {
            throw WorkerBusy(name: worker, location: store.path)
        }
        let writer: CaseFileWriter
        do {
            writer = CaseFileWriter(root: config.evidencePath, signer: try config.signingKeyPath.map { try ManifestSigner(keyFile: $0) },
                                    timestamper: config.timestampAuthorities.isEmpty ? nil : Timestamper(authorities: config.timestampAuthorities))
        } catch {
            throw RunAbort(description: "evidence: \(error)")
        }
        writer.removeIncomplete()
        let engine = FetchEngine(options: config.fetch)
        let run = Run(store: store, cases: CaseFileRecorder(writer: writer, store: store), signalLabels: Self.signalLabels(of: ruleSet),
                      engine: engine, packs: ruleSet.packs.map(\.reference), started: started)
        run.summary.startedAt = started
        run.summary.targets = config.targets.count
        run.summary.evidence = config.evidencePath
        run.summary.state = store.path

        try Self.stored {
            try store.syncTargets(config.targets.map(\.definition), at: started)
            // SQLite: the run lock makes this process the only worker on this file, so claims a
            // killed run left behind are released. PostgreSQL: only this worker name's own (its
            // lock says no other live run has the name); other workers' claims end with their lease.
            try store.releaseClaims(worker: store.isShared ? worker : nil)
        }
        let lease = workerOptions?.lease ?? 6 * 3600
        let window = max(2, config.fetch.maxConcurrency * 2)
        /// Claims the next due targets: all at once on one machine; a window's worth on a shared
        /// state, so the other workers get theirs.
        func claim() throws -> [Target] {
            let ids = try Self.stored {
                try store.isShared
                    ? store.claimDueTargets(worker: worker, at: Date(), lease: lease, limit: window, runStartedAt: started)
                    : store.claimDueTargets(worker: worker, at: started, lease: lease)
            }
            // In the configuration's order. A row another worker's configuration added is not
            // ours to scan; its lease runs out.
            let claimed = Set(ids)
            return config.targets.filter { claimed.contains($0.id) }
        }
        var due = try claim()
        run.summary.due = due.count
        /// On a shared state, when nothing is left to claim but other workers still hold
        /// targets of this run: waits (polling once a second) until they finish them or their
        /// leases end, so a killed worker's targets are taken over. True when more were claimed.
        func awaitOthers() async throws -> Bool {
            while let leaseEnd = try Self.stored({ try store.earliestLeaseHeldByOthers(worker: worker, runStartedAt: started, at: Date()) }) {
                try await Task.sleep(for: .seconds(min(1, max(0.05, leaseEnd.timeIntervalSinceNow + 0.05))))
                let more = try claim()
                if !more.isEmpty {
                    due += more
                    run.summary.due += more.count
                    return true
                }
            }
            return false
        }

        let robots = RobotsGate(engine: engine, store: store, userAgent: config.fetch.userAgent)
        run.robots = robots
        var next = 0
        var done = 0
        var renewed = Date()
        var claimedMore = false
        do {
            repeat {
                try await withThrowingTaskGroup(of: Prefetched.self) { group in
                    func addNext() throws {
                        if next == due.count, store.isShared {
                            let more = try claim()
                            due += more
                            run.summary.due += more.count
                            renewed = Date()
                        }
                        guard next < due.count else { return }
                        let target = due[next]
                        next += 1
                        group.addTask { try await prefetch(target, engine: engine, robots: robots, store: store) }
                    }
                    while next < min(window, due.count) { try addNext() }
                    while let prefetched = try await group.next() {
                        try await process(prefetched, run: run, logger: logger)
                        if run.pending.count >= Self.completionBatch { try flush(run) }
                        done += 1
                        progress?(ScanProgress(done: done, due: due.count, items: run.summary.items, findings: run.summary.findings.count,
                                               pages: run.summary.fetched, elapsed: Date().timeIntervalSince(started)))
                        // A long target must not let this worker's leases run out under it.
                        if store.isShared, Date().timeIntervalSince(renewed) > lease / 3 {
                            _ = try Self.stored { try store.claimDueTargets(worker: worker, at: Date(), lease: lease, limit: 0, runStartedAt: started) }
                            renewed = Date()
                        }
                        try addNext()
                    }
                }
                try flush(run)
                claimedMore = store.isShared ? try await awaitOthers() : false
            } while claimedMore
        } catch {
            // What was done is kept; a store error may leave it unwritten (the targets stay due).
            try? flush(run)
            try? store.releaseClaims(worker: worker)
            throw error
        }
        do {
            try run.cases.writeIndex()
        } catch {
            throw RunAbort(description: "evidence index: \(error)")
        }
        run.summary.endedAt = Date()
        run.summary.durationSeconds = run.summary.endedAt.timeIntervalSince(started)
        return run.summary
    }

    /// This process as a claimant of targets: host name and process id. `gethostname`, not
    /// `ProcessInfo.hostName`, which asks DNS for the canonical name and can stall offline.
    static func workerName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host):\(getpid())"
    }

    // MARK: - Fetch stage (concurrent)

    /// Robots, conditional headers, the fetch, and for a changed page or feed its extraction and
    /// judging. Runs concurrently; touches the store only to read.
    func prefetch(_ target: Target, engine: FetchEngine, robots: RobotsGate, store: StateStore) async throws -> Prefetched {
        // Sites followed link by link are read page by page in the judging stage.
        guard (target.kind == .page && target.follow == nil) || target.kind == .feed else { return .deferred(target) }
        let credentials: String?
        switch target.credentials() {
        case .success(let value): credentials = value
        case .failure(let error): return .failed(target, error.description, fetchFailed: false)
        }
        if target.robotsIgnoredBecause == nil {
            let policy = try await robots.policy(for: target.url, allowPrivate: target.allowPrivate)
            guard policy.allows(target.url) else { return .disallowed(target, target.url) }
        }
        let memory = try Self.stored { try store.fetchMemory(url: target.url) }
        let request = FetchRequest(url: target.url, etag: memory?.etag, lastModified: memory?.lastModified,
                                   allowPrivate: target.allowPrivate, credentials: credentials)
        let fetched: FetchResult
        do {
            fetched = try await engine.fetch(request)
        } catch let failure as FetchFailure {
            return .failed(target, failure.description, fetchFailed: true)
        } catch let error as FetchError {
            return .failed(target, error.description, fetchFailed: true)
        }
        let capture = fetched.capture
        guard (200..<300).contains(capture.status) else { return .fetched(target, fetched, memory, judged: nil) }
        let digest = bodyDigest(capture)
        guard memory?.bodyDigest != digest else { return .fetched(target, fetched, memory, judged: nil) }
        do {
            var workspace = RuleSet.Workspace()
            let (items, warnings) = try evaluate(capture, kind: target.kind == .feed ? .feed : nil, target: target, workspace: &workspace)
            return .fetched(target, fetched, memory, judged: JudgedPage(digest: digest, items: items, warnings: warnings))
        } catch {
            return .failed(target, "\(error)", fetchFailed: false)
        }
    }

    // MARK: - Judging stage (one target at a time)

    func process(_ prefetched: Prefetched, run: Run, logger: Logger) async throws {
        let target = prefetched.target
        var targetLogger = logger
        targetLogger[metadataKey: "target"] = "\(target.id)"
        var result = TargetResult(target: target.id, kind: target.kind.rawValue, outcome: .scanned, robotsIgnored: target.robotsIgnoredBecause)
        var completion = TargetCompletion(target: target.id, outcome: .scanned, at: Date())
        do {
            switch prefetched {
            case let .failed(_, message, fetchFailed):
                if fetchFailed { completion.failedFetch = (target.url, nil, message) }
                throw TargetError(description: message)
            case .disallowed(_, let url):
                result.outcome = .disallowed
                result.error = "robots.txt disallows \(url) for \(RobotsPolicy.agentToken(of: config.fetch.userAgent))"
            case let .fetched(_, fetched, memory, judged):
                try await handle(fetched, memory: memory, judged: judged, target: target, result: &result, completion: &completion, run: run, logger: targetLogger)
            case .deferred:
                switch target.kind {
                case .mastodon: try await scanMastodon(target, result: &result, run: run, logger: targetLogger)
                case .bluesky: try await scanBluesky(target, result: &result, run: run, logger: targetLogger)
                case .campaignAccount: try await scanCampaignAccount(target, result: &result, run: run, logger: targetLogger)
                case .sitemap: try await scanSite(target, result: &result, run: run, logger: targetLogger)
                case .hashtag: try await scanHashtag(target, result: &result, run: run, logger: targetLogger)
                case .search: try await scanSearch(target, result: &result, run: run, logger: targetLogger)
                case .page where target.follow != nil: try await scanSite(target, result: &result, run: run, logger: targetLogger)
                case .warc: try scanWARC(target, result: &result, run: run, logger: targetLogger)
                case .file, .page, .feed:
                    let capture = try Extractor.captureFile(atPath: target.url)
                    run.summary.fetched += 1
                    result.pages += 1
                    completion.page = try judge(capture, kind: nil, target: target, result: &result, run: run, logger: targetLogger, record: nil)
                }
            }
        } catch let abort as RunAbort {
            throw abort
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch {
            result.outcome = .failed
            result.error = "\(error)"
        }
        let now = Date()
        switch result.outcome {
        case .failed, .gone, .disallowed:
            let message = result.error ?? result.outcome.rawValue
            targetLogger.warning("target failed", metadata: ["url": "\(target.url)", "error": "\(message)"])
            run.summary.failures.append(TargetFailure(target: target.id, url: target.url, error: message))
        case .scanned, .unchanged:
            break
        }
        let failed = result.outcome != .scanned && result.outcome != .unchanged
        // A failed target is due again sooner than its interval, but not within 15 minutes' hammering.
        completion.outcome = result.outcome
        completion.error = result.error
        completion.at = now
        completion.nextDue = target.every.map { now.addingTimeInterval(failed ? min($0, 900) : $0) }
        run.pending.append((completion, result))
    }

    /// Targets recorded per transaction: a commit per target costs more than the work of an
    /// unchanged one; a killed run loses at most this many records (their bundles are found
    /// again by path, and the targets are simply due again).
    static let completionBatch = 64

    /// Commits the pending targets in one transaction and adds them to the summary.
    func flush(_ run: Run) throws {
        guard !run.pending.isEmpty else { return }
        let batch = run.pending
        run.pending.removeAll(keepingCapacity: true)
        let known = try Self.stored { try run.store.complete(batch.map(\.completion)) }
        for (completion, done) in batch {
            var result = done
            if result.outcome == .unchanged {
                run.summary.unchanged += 1
                // Not judged again: the findings already recorded for the target are listed as known.
                for stored in known[completion.target] ?? [] {
                    run.summary.findings.append(ScanFinding(
                        id: stored.id, target: completion.target, url: stored.itemURL, rule: stored.rule,
                        findingClass: stored.findingClass, act: stored.act,
                        severity: stored.severity, score: stored.score, bundle: stored.caseFilePath, new: false))
                    result.findings += 1
                }
            }
            run.summary.results.append(result)
        }
    }

    /// A page or feed answer: unchanged, gone, failed, or judged.
    func handle(_ fetched: FetchResult, memory: FetchMemory?, judged: JudgedPage?, target: Target, result: inout TargetResult, completion: inout TargetCompletion,
                run: Run, logger: Logger) async throws {
        let capture = fetched.capture
        result.attempts = fetched.attempts
        let attemptsNote = fetched.attempts > 1 ? " (after \(fetched.attempts) attempts)" : ""
        switch capture.status {
        case 304:
            completion.notModifiedURL = target.url
            result.outcome = .unchanged
        case 404, 410:
            let message = "gone: HTTP status \(capture.status)"
            completion.failedFetch = (target.url, capture.status, message)
            result.outcome = .gone
            result.error = message
        case 200..<300:
            run.summary.fetched += 1
            result.pages += 1
            let digest = judged?.digest ?? bodyDigest(capture)
            if let memory, memory.bodyDigest == digest {
                completion.page = PageRecord(target: target.id, capture: capture, bodyDigest: digest, items: [], at: Date())
                result.outcome = .unchanged
                return
            }
            var items: [JudgedItem], warnings: [String]
            if let judged {
                (items, warnings) = (judged.items, judged.warnings)
            } else {
                (items, warnings) = try evaluate(capture, kind: target.kind == .feed ? .feed : nil, target: target, workspace: &run.workspace)
            }
            let images = await fetchImages(for: items, capture: capture, target: target, run: run)
            completion.page = try collect(items, warnings: warnings, capture: capture, target: target, result: &result, run: run,
                                          logger: logger, record: (capture, digest), images: images)
        default:
            let message = "HTTP status \(capture.status)\(attemptsNote)"
            completion.failedFetch = (target.url, capture.status, message)
            throw TargetError(description: message)
        }
    }

    /// SHA-256 of the body and of the packs that judged it: new rules judge an old page again.
    func bodyDigest(_ capture: Capture) -> String {
        var hasher = SHA256()
        hasher.update(data: capture.body)
        for pack in ruleSet.packs { hasher.update(data: Data(pack.reference.sha256.utf8)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// An item and the findings the rules gave it.
    struct JudgedItem: Sendable {
        var item: Item
        var findings: [Finding]
    }

    /// A page extracted and judged in the fetch stage, ready to be recorded.
    struct JudgedPage: Sendable {
        var digest: String
        var items: [JudgedItem]
        var warnings: [String]
    }

    /// Extracts a capture's items (unless given) and judges them. Touches nothing shared, so it
    /// runs in the concurrent fetch stage for pages and feeds.
    func evaluate(_ capture: Capture, kind: SourceKind?, items given: [Item]? = nil, author: Author? = nil, target: Target,
                  workspace: inout RuleSet.Workspace) throws -> (items: [JudgedItem], warnings: [String]) {
        var items: [Item]
        var warnings: [String] = []
        if let given {
            items = given
        } else {
            let extraction = try pipeline.extract(capture, kind: kind ?? CapturePipeline.kind(of: capture), profileName: target.profile)
            warnings = extraction.warnings
            items = extraction.items
        }
        var judged: [JudgedItem] = []
        judged.reserveCapacity(items.count)
        for var item in items {
            if let subject = target.subject { item.subject = subject }
            // An account's bio (Mastodon note, Bluesky description) belongs to each of its posts.
            if let author, item.author?.bio == nil, item.author?.handle == nil || item.author?.handle == author.handle {
                item.author = Author(name: item.author?.name ?? author.name, handle: item.author?.handle ?? author.handle,
                                     profileURL: item.author?.profileURL ?? author.profileURL, bio: author.bio)
            }
            judged.append(JudgedItem(item: item, findings: ruleSet.evaluate(item, workspace: &workspace).findings))
        }
        return (judged, warnings)
    }

    /// Extracts and judges a capture here, in the judging stage, then records it.
    func judge(_ capture: Capture, kind: SourceKind?, items given: [Item]? = nil, author: Author? = nil,
               target: Target, result: inout TargetResult, run: Run, logger: Logger, record: (Capture, String)?) throws -> PageRecord {
        let (judged, warnings) = try evaluate(capture, kind: kind, items: given, author: author, target: target, workspace: &run.workspace)
        return try collect(judged, warnings: warnings, capture: capture, target: target, result: &result, run: run, logger: logger, record: record)
    }

    /// Counts judged items, writes bundles for new findings and returns the page's rows for one
    /// transaction. `record` carries the fetch row, when fetched.
    func collect(_ judged: [JudgedItem], warnings: [String], capture: Capture, target: Target, result: inout TargetResult, run: Run,
                 logger: Logger, record: (Capture, String)?, images: [String: [Capture]] = [:], related: [String: [Capture]] = [:]) throws -> PageRecord {
        for warning in warnings { logger.info("extraction warning", metadata: ["url": "\(capture.finalURL)", "warning": "\(warning)"]) }
        var itemRows: [PageRecord.ItemRow] = []
        for judgedItem in judged {
            let item = judgedItem.item
            run.summary.items += 1
            result.items += 1
            itemRows.append(PageRecord.ItemRow(id: item.identityURL, url: item.sourceURL, contentDigest: RuleSet.contentDigest(of: item)))
            guard !judgedItem.findings.isEmpty else { continue }
            // One case file per item, holding all its findings; it and its finding rows are
            // recorded in their own transaction.
            let outcome = try writeEvidence(capture: capture, item: item, findings: judgedItem.findings, target: target, run: run,
                                            images: images[item.identityURL] ?? [], related: related[item.identityURL] ?? [])
            for finding in judgedItem.findings {
                result.findings += 1
                run.summary.findings.append(ScanFinding(target: target.id, finding: finding, url: item.sourceURL, bundle: outcome.path, new: outcome.created))
                if outcome.created { result.newFindings += 1 }
            }
            if let problem = outcome.timestampProblem {
                logger.warning("case file not time-stamped", metadata: ["bundle": "\(outcome.path)", "error": "\(problem)"])
            }
            if outcome.created {
                logger.info("case file", metadata: ["acts": "\(judgedItem.findings.map(\.act).joined(separator: ","))", "bundle": "\(outcome.path)"])
            }
        }
        return PageRecord(target: target.id, capture: record?.0, bodyDigest: record?.1, items: itemRows, at: Date())
    }

    /// Records one page of a source read page by page (an API page, a WARC record).
    func recordPage(_ page: PageRecord, run: Run) throws {
        try Self.stored { try run.store.recordPage(page) }
    }

    // MARK: - Evidence (the one place a finding becomes a bundle)

    /// Files the case file of an item with findings (or finds the one already filed) and
    /// records it with its findings. Its errors abort the run.
    func writeEvidence(capture: Capture, item: Item, findings: [Finding], target: Target, run: Run, images: [Capture] = [],
                       related: [Capture] = []) throws -> CaseFileOutcome {
        // A record read from a WARC keeps where it came from.
        let source = item.metadata["warc_file"].map { file in
            SourceRecord(warcFile: file, recordID: item.metadata["warc_record_id"],
                         offset: Int64(item.metadata["warc_record_offset"] ?? "") ?? 0, digest: item.metadata["warc_payload_digest"])
        }
        do {
            return try run.cases.file(caseFile(capture: capture, item: item, findings: findings, target: target, run: run, source: source, images: images,
                                               related: related))
        } catch {
            throw RunAbort(description: "evidence: \(error)")
        }
    }

    func caseFile(capture: Capture, item: Item, findings: [Finding], target: Target, run: Run, source: SourceRecord? = nil, images: [Capture] = [],
                  related: [Capture] = []) -> CaseFile {
        CaseFile(capture: capture, item: item, findings: findings, packs: run.packs, contentDigest: RuleSet.contentDigest(of: item),
                 signalLabels: run.signalLabels, source: source, region: target.region, zone: target.zone, target: target.id, images: images,
                 related: related)
    }

    /// Fetches the images (og:image, twitter:image; capped by `CaseFile`) of the items with
    /// findings whose case file is not filed yet, through the engine and its politeness, by
    /// item. An image that fails is left out, never the case file.
    func fetchImages(for judged: [JudgedItem], capture: Capture, target: Target, run: Run) async -> [String: [Capture]] {
        var images: [String: [Capture]] = [:]
        for judgedItem in judged where !judgedItem.findings.isEmpty {
            let item = judgedItem.item
            let urls = CaseFile.imageURLs(of: item)
            guard !urls.isEmpty else { continue }
            let id = caseFile(capture: capture, item: item, findings: judgedItem.findings, target: target, run: run).id
            guard (try? run.store.caseFile(id: id)) == nil else { continue }
            for url in urls {
                if let fetched = try? await run.engine.fetch(FetchRequest(url: url, allowPrivate: target.allowPrivate)),
                   (200..<300).contains(fetched.capture.status) {
                    images[item.identityURL, default: []].append(fetched.capture)
                }
            }
        }
        return images
    }

    /// Every labelled signal of every pack, by name; the first pack that labels a name wins.
    static func signalLabels(of ruleSet: RuleSet) -> [String: String] {
        Dictionary(ruleSet.packs.flatMap(\.signals).compactMap { signal in signal.label.map { (signal.name, $0) } },
                   uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Sources read page by page

    /// Fetches one API page for a social account: retries, then any non-2xx ends the target.
    func fetchPage(_ url: String, target: Target, result: inout TargetResult, run: Run) async throws -> Capture {
        let credentials = try target.credentials().get()
        let fetched: FetchResult
        do {
            fetched = try await run.engine.fetch(FetchRequest(url: url, allowPrivate: target.allowPrivate, credentials: credentials))
        } catch let error as FetchFailure {
            try Self.stored { try run.store.recordFetchFailure(url: url, status: nil, error: error.description, at: Date()) }
            throw error
        }
        let capture = fetched.capture
        result.attempts = fetched.attempts
        guard (200..<300).contains(capture.status) else {
            let message = "HTTP status \(capture.status)" + (fetched.attempts > 1 ? " (after \(fetched.attempts) attempts)" : "")
            try Self.stored { try run.store.recordFetchFailure(url: url, status: capture.status, error: message, at: Date()) }
            throw TargetError(description: "\(url): \(message)")
        }
        run.summary.fetched += 1
        result.pages += 1
        return capture
    }

    /// A Mastodon account: look it up, then read its statuses page by page (Link header),
    /// at most `maxPages` pages. Each page's API answer is the capture its findings keep.
    func scanMastodon(_ target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws {
        let (api, acct) = try MastodonAPI.forAccount(target.url)
        let lookup = try await fetchPage(api.accountLookupURL(acct: acct), target: target, result: &result, run: run)
        let account = try MastodonExtractor().account(from: lookup.body, sourceURL: lookup.finalURL)
        var next: String? = api.accountStatusesURL(accountID: account.id)
        var pages = 0
        while let url = next, pages < target.maxPages {
            let capture = try await fetchPage(url, target: target, result: &result, run: run)
            let page = try MastodonExtractor().page(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["url": "\(url)", "warning": "\(warning)"]) }
            let (judged, warnings) = try evaluate(capture, kind: .mastodon, items: page.items, author: account.author, target: target, workspace: &run.workspace)
            let images = await fetchImages(for: judged, capture: capture, target: target, run: run)
            try recordPage(collect(judged, warnings: warnings, capture: capture, target: target, result: &result, run: run, logger: logger,
                                   record: (capture, bodyDigest(capture)), images: images), run: run)
            next = page.nextURL
            pages += 1
        }
    }

    /// A Bluesky account: its profile (for the bio), then its author feed page by page (cursor),
    /// at most `maxPages` pages.
    func scanBluesky(_ target: Target, result: inout TargetResult, run: Run, logger: Logger) async throws {
        let api = try BlueskyAPI(appView: target.appView ?? BlueskyAPI.defaultAppView)
        let actor = try BlueskyAPI.actor(from: target.url)
        let profileCapture = try await fetchPage(api.profileURL(actor: actor), target: target, result: &result, run: run)
        let profile = try BlueskyExtractor().profile(from: profileCapture.body, sourceURL: profileCapture.finalURL)
        let author = Author(name: profile.displayName, handle: profile.handle, profileURL: profile.profileURL, bio: profile.bio)
        var cursor: String?
        var pages = 0
        repeat {
            let capture = try await fetchPage(api.authorFeedURL(actor: actor, cursor: cursor), target: target, result: &result, run: run)
            let page = try BlueskyExtractor().feedPage(from: capture)
            for warning in page.warnings { logger.info("extraction warning", metadata: ["warning": "\(warning)"]) }
            let (judged, warnings) = try evaluate(capture, kind: .bluesky, items: page.items, author: author, target: target, workspace: &run.workspace)
            let images = await fetchImages(for: judged, capture: capture, target: target, run: run)
            try recordPage(collect(judged, warnings: warnings, capture: capture, target: target, result: &result, run: run, logger: logger,
                                   record: (capture, bodyDigest(capture)), images: images), run: run)
            cursor = page.cursor
            pages += 1
        } while cursor != nil && pages < target.maxPages
    }

    /// A WARC file through the pipeline's one WARC loop: memory stays flat however large the
    /// file; each record is one transaction.
    func scanWARC(_ target: Target, result: inout TargetResult, run: Run, logger: Logger) throws {
        var local = result
        do {
            let warnings = try pipeline.forEachWARCRecord(path: target.url) { capture, extraction in
                run.summary.fetched += 1
                local.pages += 1
                try recordPage(judge(capture, kind: nil, items: extraction.items, target: target, result: &local, run: run, logger: logger, record: nil), run: run)
            }
            for warning in warnings { logger.warning("WARC warning", metadata: ["warning": "\(warning)"]) }
            result = local
        } catch let damage as CapturePipeline.WARCDamage {
            for warning in damage.warnings { logger.warning("WARC warning", metadata: ["warning": "\(warning)"]) }
            result = local
            throw TargetError(description: damage.message)
        }
    }
}

extension ScanFinding {
    init(target: String, finding: Finding, url: String, bundle: String, new: Bool) {
        self.init(id: finding.id, target: target, url: url, rule: finding.rule, findingClass: finding.findingClass, act: finding.act,
                  severity: finding.severity, score: finding.score, bundle: bundle, new: new)
    }
}

extension Target {
    /// The row the state keeps for this target.
    var definition: TargetDefinition {
        TargetDefinition(id: id, kind: kind.rawValue, url: url, every: every, robotsOverride: robotsIgnoredBecause)
    }

    /// `user:password` from the environment variable the target names, read when needed and
    /// never stored.
    func credentials() -> Result<String?, Scanner.TargetError> {
        guard let variable = credentialsVariable else { return .success(nil) }
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            return .failure(Scanner.TargetError(description: "environment variable \(variable) (auth_env) is not set"))
        }
        return .success(value)
    }
}

/// robots.txt, fetched once per host per run (concurrent askers share the one fetch), saved in
/// the state, and applied to our agent. Crawl-delay (capped at 60 s) raises the host's delay.
actor RobotsGate {
    let engine: FetchEngine
    let store: StateStore
    let agent: String
    private var policies: [String: Task<RobotsPolicy, any Error>] = [:]

    init(engine: FetchEngine, store: StateStore, userAgent: String) {
        self.engine = engine
        self.store = store
        self.agent = RobotsPolicy.agentToken(of: userAgent)
    }

    func policy(for url: String, allowPrivate: Bool) async throws -> RobotsPolicy {
        let host = FetchEngine.hostKey(for: url)
        if let task = policies[host] { return try await task.value }
        let task = Task { try await self.load(host: host, url: url, allowPrivate: allowPrivate) }
        policies[host] = task
        return try await task.value
    }

    private func load(host: String, url: String, allowPrivate: Bool) async throws -> RobotsPolicy {
        guard var components = URLComponents(string: url) else { return .allowAll }
        components.path = "/robots.txt"
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        guard let robotsURL = components.string else { return .allowAll }
        let stored = try Scanner.stored { try store.robots(host: host) }
        let policy: RobotsPolicy
        do {
            let capture = try await engine.fetch(FetchRequest(url: robotsURL, allowPrivate: allowPrivate)).capture
            let text = String(decoding: capture.body.prefix(500 * 1024), as: UTF8.self)
            try Scanner.stored { try store.saveRobots(host: host, robots: StoredRobots(status: capture.status, body: text, fetchedAt: Date())) }
            policy = Self.policy(status: capture.status, text: text, agent: agent)
        } catch is CancellationError {
            throw CancellationError()
        } catch let abort as Scanner.RunAbort {
            throw abort
        } catch {
            // Unreachable now: the last copy in the state, if any; the page fetch will say why.
            policy = stored.map { Self.policy(status: $0.status, text: $0.body, agent: agent) } ?? .allowAll
        }
        if let delay = policy.crawlDelay, delay > 0 {
            engine.setMinimumDelay(min(delay, 60), forHostOf: url)
        }
        return policy
    }

    /// RFC 9309: 2xx gives the rules, 4xx allows everything, 5xx disallows everything.
    static func policy(status: Int, text: String, agent: String) -> RobotsPolicy {
        switch status {
        case 200..<300: RobotsPolicy(text: text, agent: agent)
        case 500...: .disallowAll
        default: .allowAll
        }
    }
}

extension Scanner {
    /// Each target's row in the state: last result, next due time, failures, findings. Empty
    /// when no scan has made the state yet (nothing is created).
    public static func status(config: ScanConfig) throws -> [TargetStatus] {
        let location = try config.stateLocation()
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return [] }
        return try StateStore(location: location).targetStatuses()
    }
}
