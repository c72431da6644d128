import Foundation
public import Logging
import NetralEvidence
public import NetralExtract
import NetralFetch
import NetralModel
public import NetralRules
public import NetralStore

/// The scan: due targets in, findings out. Each target's source (`SourceRegistry`) gets a head
/// start in the concurrent fetch stage (the `page` source fetches, extracts and judges its page
/// there, beside the other transfers), then reads the rest in the judging stage, one target at a
/// time as answers arrive, handing everything to the run's one `PageSink`. At most
/// `2 × concurrency` targets wait to be judged (back-pressure), so memory stays flat however
/// many targets there are.
///
/// Which errors end what is a rule, not a list of types: an error from the state store or the
/// evidence writer (a `RunAbort`, made only by the sink) ends the run; any other error fails
/// only its target.
public struct Scanner: Sendable {
    public let config: ScanConfig
    let judge: Judge

    public var pipeline: CapturePipeline { judge.pipeline }
    public var ruleSet: RuleSet { pipeline.ruleSet }
    public var profiles: [SiteProfile] { pipeline.profiles }

    public init(config: ScanConfig, ruleSet: RuleSet, profiles: [SiteProfile] = []) {
        self.config = config
        self.judge = Judge(pipeline: CapturePipeline(ruleSet: ruleSet, profiles: profiles))
    }

    /// Targets that name a profile none of `profiles` has, as messages for the operator.
    public func unknownProfiles() -> [String] {
        config.targets.compactMap { target in
            guard let name = target.profile, profiles.named(name) == nil else { return nil }
            return "target '\(target.id)' names site profile '\(name)', which is not in \(config.sitePaths.joined(separator: ", "))"
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

    /// A target's source after its head start: the rest of its work, for the judging stage.
    struct Staged: Sendable {
        let target: Target
        let rest: @Sendable (TargetScan) async throws -> Void
    }

    /// Targets recorded per transaction: a commit per target costs more than the work of an
    /// unchanged one; a killed run loses at most this many records (their case files are found
    /// again by path, and the targets are simply due again).
    static let completionBatch = 64

    /// Scans every due target once. A target that fails is recorded and skipped; the others go on.
    /// Throws only when the state or evidence store itself cannot be used, or on cancellation.
    /// On a shared PostgreSQL state, `worker` names this run among the others; due targets are
    /// then claimed a batch at a time, so workers started together share them out.
    public func run(logger: Logger, progress: (@Sendable (ScanProgress) -> Void)? = nil, worker workerOptions: WorkerOptions? = nil)
        async throws -> ScanSummary
    {
        let location: StateLocation
        do {
            location = try config.stateLocation()
        } catch {
            throw RunAbort(description: "state: \(error)")
        }
        // Opened first: a path that is no Netral state (another application's database, a device,
        // a symlink) is refused before anything, a lock file included, is made beside it.
        let store = try StateStore(location: location)
        // On one machine a lock file beside the database keeps runs apart; on PostgreSQL that is
        // the database's job (claims, and an advisory lock per worker name).
        var fileLock: RunLock?
        if case .sqlite(let path) = location { fileLock = try RunLock(path: path + ".lock") }
        defer { withExtendedLifetime(fileLock) {} }
        let started = Date()
        let worker = workerOptions?.name ?? Self.workerName()
        if store.isShared, try !PageSink.state({ try store.holdSessionLock("scan --worker " + worker) }) {
            throw WorkerBusy(name: worker, location: store.path)
        }
        let engine = FetchEngine(options: config.fetch)
        let writer: CaseFileWriter
        do {
            writer = CaseFileWriter(
                root: config.evidencePath, signer: try config.signingKeyPath.map { try ManifestSigner(keyFile: $0) },
                timestamper: config.timestampAuthorities.isEmpty
                    ? nil
                    : Timestamper(authorities: config.timestampAuthorities, send: engine.timestampSender))
        } catch {
            throw RunAbort(description: "evidence: \(error)")
        }
        writer.removeIncomplete()
        let recorder = CaseFileRecorder(writer: writer, store: store)
        // Before anything is judged: an earlier version a killed run left without its row is
        // recorded first, so the new version names it in `supersedes`.
        _ = try PageSink.state { try recorder.adoptPending() }
        let sink = PageSink(store: store, cases: recorder, engine: engine, judge: judge)
        if config.ocr {
            // Readings are kept beside a SQLite state, so a rescan never reads a picture twice.
            var cacheFolder: String?
            if case .sqlite(let path) = location {
                cacheFolder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("ocr-cache")
            }
            switch PictureWords.make(cacheFolder: cacheFolder) {
            case .success(let words): sink.pictureWords = words
            case .failure(let error): logger.warning("the words in pictures are not read in this run", metadata: ["reason": "\(error)"])
            }
        }
        sink.summary.startedAt = started
        sink.summary.targets = config.targets.count
        sink.summary.evidence = config.evidencePath
        sink.summary.state = store.path

        try PageSink.state {
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
            let ids = try PageSink.state {
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
        sink.summary.due = due.count
        /// On a shared state, when nothing is left to claim but other workers still hold
        /// targets of this run: waits (polling once a second) until they finish them or their
        /// leases end, so a killed worker's targets are taken over. True when more were claimed.
        func awaitOthers() async throws -> Bool {
            while let leaseEnd = try PageSink.state({
                try store.earliestLeaseHeldByOthers(worker: worker, runStartedAt: started, at: Date())
            }) {
                try await Task.sleep(for: .seconds(min(1, max(0.05, leaseEnd.timeIntervalSinceNow + 0.05))))
                let more = try claim()
                if !more.isEmpty {
                    due += more
                    sink.summary.due += more.count
                    return true
                }
            }
            // A lease can run out between the last claim and the look that finds none left:
            // claim once more, or a killed worker's targets stay undone (seen on a busy machine).
            let more = try claim()
            due += more
            sink.summary.due += more.count
            return !more.isEmpty
        }

        let robots = RobotsGate(engine: engine, store: store, userAgent: config.fetch.userAgent)
        var pending: [(completion: TargetCompletion, result: TargetResult)] = []
        var next = 0
        var done = 0
        var renewed = Date()
        var claimedMore = false
        do {
            repeat {
                try await withThrowingTaskGroup(of: Staged.self) { group in
                    func addNext() throws {
                        if next == due.count, store.isShared {
                            let more = try claim()
                            due += more
                            sink.summary.due += more.count
                            renewed = Date()
                        }
                        guard next < due.count else { return }
                        let target = due[next]
                        next += 1
                        let stage = FetchStage(target: target, engine: engine, robots: robots, store: store, judge: judge)
                        group.addTask { try await Self.stage(stage) }
                    }
                    while next < min(window, due.count) { try addNext() }
                    while let staged = try await group.next() {
                        pending.append(try await read(staged, sink: sink, robots: robots, logger: logger))
                        if pending.count >= Self.completionBatch { try flush(&pending, sink: sink) }
                        done += 1
                        progress?(
                            ScanProgress(
                                done: done, due: due.count, items: sink.summary.items, findings: sink.summary.findings.count,
                                pages: sink.summary.fetched, elapsed: Date().timeIntervalSince(started)))
                        // A long target must not let this worker's leases run out under it.
                        if store.isShared, Date().timeIntervalSince(renewed) > lease / 3 {
                            _ = try PageSink.state {
                                try store.claimDueTargets(worker: worker, at: Date(), lease: lease, limit: 0, runStartedAt: started)
                            }
                            renewed = Date()
                        }
                        try addNext()
                    }
                }
                try flush(&pending, sink: sink)
                claimedMore = store.isShared ? try await awaitOthers() : false
            } while claimedMore
        } catch {
            // What was done is kept where the state still takes it (a state error may leave it
            // unwritten: those targets stay due); the run ends with the first error either way.
            try? flush(&pending, sink: sink)
            try? store.releaseClaims(worker: worker)
            throw error
        }
        try sink.writeIndex()
        sink.summary.endedAt = Date()
        sink.summary.durationSeconds = sink.summary.endedAt.timeIntervalSince(started)
        return sink.summary
    }

    /// This process as a claimant of targets: host name and process id. `gethostname`, not
    /// `ProcessInfo.hostName`, which asks DNS for the canonical name and can stall offline.
    static func workerName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host):\(getpid())"
    }

    // MARK: - Fetch stage (concurrent)

    /// The target's source and its head start.
    static func stage(_ stage: FetchStage) async throws -> Staged {
        guard let row = SourceRegistry.row(for: stage.target.kind) else {
            let kind = stage.target.kind
            return Staged(target: stage.target) { _ in throw TargetError("unsupported target kind '\(kind)'") }
        }
        return try await headStart(row.source(stage.target), stage)
    }

    private static func headStart<Source: TargetSource>(_ source: Source, _ stage: FetchStage) async throws -> Staged {
        let head = try await source.headStart(stage)
        return Staged(target: stage.target) { scan in try await source.read(scan, after: head) }
    }

    // MARK: - Judging stage (one target at a time)

    /// Reads one target to its end and says how it ended.
    func read(_ staged: Staged, sink: PageSink, robots: RobotsGate, logger: Logger) async throws -> (
        completion: TargetCompletion, result: TargetResult
    ) {
        let target = staged.target
        let scan = TargetScan(target: target, logger: logger, sink: sink, options: config.fetch, robots: robots)
        do {
            try await staged.rest(scan)
        } catch let abort as RunAbort {
            throw abort
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch let refusal as SourceRefused {
            scan.result.outcome = .failed
            scan.result.error = refusal.message
            scan.result.refused = refusal.reason
        } catch {
            scan.result.outcome = .failed
            scan.result.error = "\(error)"
        }
        var result = scan.result
        var completion = scan.completion
        let now = Date()
        let failed = result.outcome != .scanned && result.outcome != .unchanged
        if failed {
            let message = result.error ?? result.outcome.rawValue
            scan.logger.warning("target failed", metadata: ["url": "\(target.url)", "error": "\(message)"])
            sink.summary.failures.append(TargetFailure(target: target.id, url: target.url, error: message))
        }
        // A failed target is due again sooner than its interval, but not within 15 minutes' hammering.
        completion.outcome = result.outcome
        completion.error = result.error
        completion.at = now
        completion.nextDue = target.every.map { now.addingTimeInterval(failed ? min($0, 900) : $0) }
        result.outcome = completion.outcome
        return (completion, result)
    }

    /// Commits the pending targets in one transaction and adds them to the summary.
    func flush(_ pending: inout [(completion: TargetCompletion, result: TargetResult)], sink: PageSink) throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        let known = try PageSink.state { try sink.store.complete(batch.map(\.completion)) }
        for (completion, done) in batch {
            var result = done
            if result.outcome == .unchanged {
                sink.summary.unchanged += 1
                // Not judged again: the findings already recorded for the target are listed as known.
                for stored in known[completion.target] ?? [] {
                    sink.summary.findings.append(
                        ScanFinding(
                            id: stored.id, target: completion.target, url: stored.itemURL, rule: stored.rule,
                            findingClass: stored.findingClass, act: stored.act,
                            severity: stored.severity, score: stored.score, caseFile: stored.caseFilePath,
                            new: false))
                    result.findings += 1
                }
            }
            sink.summary.results.append(result)
        }
    }
}

extension Target {
    /// The row the state keeps for this target.
    var definition: TargetDefinition {
        TargetDefinition(id: id, kind: kind.rawValue, url: url, every: every, robotsOverride: robotsIgnoredBecause)
    }
}

extension Scanner {
    /// Each target's row in the state: last result, next due time, failures, findings. Empty
    /// when no scan has made the state yet (nothing is created).
    public static func status(config: ScanConfig) throws -> [TargetStatus] {
        let location = try config.stateLocation()
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return [] }
        return try StateStore(location: location, access: .readOnly).targetStatuses()
    }
}
