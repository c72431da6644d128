import Foundation
import Logging
import NetralEvidence
import NetralExtract
import NetralFetch
import NetralModel
import NetralOCR
import NetralRules
import NetralStore

/// An error from the run's own state or evidence: it ends the run (exit 3). Only `PageSink`
/// makes one: every state and evidence call of a scan goes through it.
public struct RunAbort: Error, CustomStringConvertible {
    public var description: String
}

/// Where a judged page's rows go.
enum PageRow {
    /// In a transaction of its own now, with the capture's fetch row and body digest (an API
    /// page, a page of a site).
    case fetched(digest: String)
    /// In a transaction of its own now, without a fetch row (a WARC record, an interaction
    /// judged from a listing).
    case read
    /// With the target's completion, one transaction per batch of targets (a `page` target and
    /// a local file: one page each); `digest` is set when the page was fetched.
    case withTarget(digest: String?)
}

/// The one sink of a scan: everything every source reads ends here. For each page it judges
/// the items (unless judged in the fetch stage), fetches the images of each item with findings
/// whose case file is new, writes that case file and records it, then records the page's rows.
/// It is the only way a source touches the state and the evidence, and the only place a run
/// aborts: their errors become `RunAbort`; any other error fails only its target. Used by the
/// judging task alone.
final class PageSink {
    let store: StateStore
    let cases: CaseFileRecorder
    let engine: FetchEngine
    let judge: Judge
    let packs: [PackReference]
    /// Reviewer-facing signal labels for reports (`paslon-02` → "02 Prabowo Subianto – ...").
    let signalLabels: [String: String]
    var summary = ScanSummary()
    var workspace = RuleSet.Workspace()
    /// Accounts' profiles seen this run, so each is looked up once per run.
    var profiles = ProfileCache()
    /// The words in pictures (OCR) of items worth it; nil when turned off or unavailable.
    var pictureWords: PictureWords?
    /// Account identities: what the state holds, read once per account per run and read again
    /// after this run records more (see `AccountIdentities.swift` in this folder).
    var identityCache: [String: [AccountIdentity]] = [:]
    /// Profiles read since the last page, recorded before the next one is filed.
    var pendingProfiles: [AccountIdentityReader.ProfileReading] = []
    /// Accounts whose watchlist subject this run has recorded.
    var subjectsRecorded = Set<String>()
    /// Case files are written here, one at a time, off Swift's cooperative pool: the writer
    /// syncs every file and may wait for a time-stamping authority.
    private let evidenceQueue = DispatchQueue(label: "netral-evidence")

    init(store: StateStore, cases: CaseFileRecorder, engine: FetchEngine, judge: Judge) {
        self.store = store
        self.cases = cases
        self.engine = engine
        self.judge = judge
        packs = judge.ruleSet.packs.map(\.reference)
        // The first pack that labels a name wins.
        signalLabels = Dictionary(
            judge.ruleSet.packs.flatMap(\.signals).compactMap { signal in signal.label.map { (signal.name, $0) } },
            uniquingKeysWith: { first, _ in first })
    }

    /// Runs `body` against the state store; its errors abort the run.
    static func state<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let abort as RunAbort {
            throw abort
        } catch {
            throw RunAbort(description: "state store: \(error)")
        }
    }

    // MARK: - The state, for sources

    /// What the state remembers of a URL's last fetch (for a conditional GET and the digest).
    func memory(url: String) throws -> FetchMemory? {
        try Self.state { try store.fetchMemory(url: url) }
    }

    /// When a URL was last fetched (a sitemap's `lastmod` is compared with it).
    func lastFetched(url: String) throws -> Date? {
        try Self.state { try store.lastFetched(url: url) }
    }

    /// Counts a failed fetch of a URL against its fetch row.
    func recordFailure(url: String, status: Int?, message: String) throws {
        try Self.state { try store.recordFetchFailure(url: url, status: status, error: message, at: Date()) }
    }

    // MARK: - What sources hand in

    /// Judges a capture (its items extracted, or `items` a source parsed from it, with
    /// `author`'s bio given to the account's posts), then files and records it. `target` judges
    /// in place of the scan's own (a copy without the subject, when the subject describes
    /// someone else); `related` are further answers a case file keeps, by item. The pictures
    /// of a new case file's item are fetched unless the page was read from disk
    /// (`fetchesImages: false`). `pictures` are further picture URLs of an item (a platform
    /// post's photos), by item identity URL; `held` are pictures already in hand, by URL (the
    /// images a capture holds, a screenshot), used instead of fetching.
    func judge(
        _ capture: Capture, kind: SourceKind? = nil, items: [Item]? = nil, author: Author? = nil, as target: Target? = nil,
        related: [String: [Capture]] = [:], pictures: [String: [String]] = [:], held: [String: Capture] = [:], record: PageRow,
        fetchesImages: Bool = true, in scan: TargetScan
    ) async throws {
        let page = try judge.judge(capture, kind: kind, items: items, author: author, target: target ?? scan.target, workspace: &workspace)
        try await file(
            page, capture: capture, as: target, related: related, pictures: pictures, held: held, record: record,
            fetchesImages: fetchesImages, in: scan)
    }

    /// An answer that holds nothing to judge (a sitemap, a listing of posts): its fetch row.
    func listing(_ capture: Capture, in scan: TargetScan) throws {
        let page = PageRecord(target: scan.target.id, capture: capture, bodyDigest: judge.digest(capture), items: [], at: Date())
        try Self.state { try store.recordPage(page) }
    }

    /// A local file read whole (a capture folder's file): its row, with the digest of its bytes
    /// and the packs, so the next run reads it only if it changed.
    func read(file marker: Capture, digest: String, in scan: TargetScan) throws {
        let page = PageRecord(target: scan.target.id, capture: marker, bodyDigest: digest, items: [], at: Date())
        try Self.state { try store.recordPage(page) }
    }

    /// A page whose body (and packs) did not change since it was last judged: its fetch row,
    /// nothing judged again.
    func unchanged(_ capture: Capture, digest: String, record: PageRow, in scan: TargetScan) throws {
        try self.record(PageRecord(target: scan.target.id, capture: capture, bodyDigest: digest, items: [], at: Date()), record, in: scan)
    }

    /// An account's profile as a platform showed it in `answer`, kept for this run (each
    /// account is looked up once per run).
    func saw(_ profile: AccountProfile, in answer: Capture) {
        profiles.insert(profile, answer: answer)
        if let reading = judge.identities.read(profile, workspace: &workspace) { pendingProfiles.append(reading) }
    }

    // MARK: - Judged pages

    /// Files and records an already judged page (the `page` source's head start ends here).
    func file(
        _ page: JudgedPage, capture: Capture, as target: Target? = nil, related: [String: [Capture]] = [:],
        pictures: [String: [String]] = [:], held: [String: Capture] = [:], record: PageRow, fetchesImages: Bool = true,
        in scan: TargetScan
    ) async throws {
        let target = target ?? scan.target
        for warning in page.warnings {
            scan.logger.info("extraction warning", metadata: ["url": "\(capture.finalURL)", "warning": "\(warning)"])
        }
        try recordProfiles()
        var page = page
        try applyIdentities(to: &page)
        var rows: [PageRecord.ItemRow] = []
        rows.reserveCapacity(page.items.count)
        for var judged in page.items {
            // The words in the item's pictures, read before anything is filed so the rules judge
            // them (`image_text`) and the case file keeps them with their picture.
            var images: [Capture]?
            if let pictureWords, judged.item.imageTexts.isEmpty {
                let chosen = pictureWords.policy.picturesToRead(
                    PictureWords.candidates(of: judged.item, listed: pictures[judged.item.identityURL] ?? []),
                    authorHasASNIdentity: judged.asnAuthor, textHasCampaignSignal: judged.campaignSignal)
                if !chosen.isEmpty {
                    let got = try await self.pictures(chosen, held: held, fetches: fetchesImages, allowPrivate: target.allowPrivate)
                    images = got
                    let texts = try await pictureWords.read(got, logger: scan.logger)
                    if !texts.isEmpty {
                        judged.item.imageTexts = texts
                        judged.findings = judge.ruleSet.evaluate(judged.item, workspace: &workspace).findings
                    }
                }
            }
            let item = judged.item
            let contentDigest = RuleSet.contentDigest(of: item)
            summary.items += 1
            scan.result.items += 1
            rows.append(PageRecord.ItemRow(id: item.identityURL, url: item.sourceURL, contentDigest: contentDigest))
            try recordSubject(of: item, target: target)
            guard !judged.findings.isEmpty else {
                try recordLearned(judged.learned, caseID: nil)
                continue
            }
            // One case file per item, holding all its findings; it and its finding rows are
            // recorded in their own transaction.
            var caseFile = CaseFile(
                capture: capture, item: item, findings: judged.findings, packs: packs, contentDigest: contentDigest,
                signalLabels: signalLabels, source: item.archiveRecord.map(SourceRecord.init), region: target.region,
                zone: target.zone, target: target.id, related: related[item.identityURL] ?? [])
            if let images {
                caseFile.images = images
            } else if !fetchesImages {
                // Pictures a capture holds, and those whose words were read (a screenshot).
                var seen = Set<String>()
                caseFile.images = (CaseFile.imageURLs(of: item) + item.imageTexts.map(\.imageURL))
                    .filter { seen.insert($0).inserted }.compactMap { held[$0] }
            }
            let outcome = try await file(
                caseFile, pictures: pictures[item.identityURL] ?? [], fetchesImages: fetchesImages, allowPrivate: target.allowPrivate)
            try recordLearned(judged.learned, caseID: caseFile.id)
            for finding in judged.findings {
                scan.result.findings += 1
                if outcome.created { scan.result.newFindings += 1 }
                summary.findings.append(
                    ScanFinding(target: target.id, finding: finding, url: item.sourceURL, caseFile: outcome.path, new: outcome.created))
            }
            if let problem = outcome.timestampProblem {
                scan.logger.warning("case file not time-stamped", metadata: ["caseFile": "\(outcome.path)", "error": "\(problem)"])
            }
            if outcome.created {
                scan.logger.info(
                    "case file", metadata: ["acts": "\(judged.findings.map(\.act).joined(separator: ","))", "caseFile": "\(outcome.path)"])
            }
        }
        let digest: String? =
            switch record {
            case .fetched(let digest): digest
            case .withTarget(let digest): digest
            case .read: nil
            }
        try self.record(
            PageRecord(target: scan.target.id, capture: digest == nil ? nil : capture, bodyDigest: digest, items: rows, at: Date()),
            record, in: scan)
    }

    private func record(_ page: PageRecord, _ row: PageRow, in scan: TargetScan) throws {
        switch row {
        case .withTarget: scan.completion.page = page
        case .fetched, .read: try Self.state { try store.recordPage(page) }
        }
    }

    // MARK: - Case files

    /// Files the case file (or finds the one filed before) and records it with its findings.
    /// A new one first gets its item's pictures.
    private func file(_ caseFile: CaseFile, pictures: [String], fetchesImages: Bool, allowPrivate: Bool) async throws -> CaseFileOutcome {
        var caseFile = caseFile
        // Pictures already in hand (read for their words, or held by a capture) are kept as they are.
        if fetchesImages, caseFile.images.isEmpty, try Self.state({ try store.caseFile(id: caseFile.id) }) == nil {
            caseFile.images = try await images(of: caseFile.item, pictures: pictures, allowPrivate: allowPrivate)
        }
        let cases = self.cases
        let complete = caseFile
        return try await withCheckedThrowingContinuation { continuation in
            evidenceQueue.async {
                do {
                    continuation.resume(returning: try cases.file(complete))
                } catch {
                    continuation.resume(throwing: RunAbort(description: "evidence: \(error)"))
                }
            }
        }
    }

    /// The item's images (og:image, twitter:image) and the pictures its platform answer lists,
    /// capped by `CaseFile.maxImages`, through the engine and its politeness. An image that
    /// fails is left out, never the case file.
    private func images(of item: Item, pictures listed: [String], allowPrivate: Bool) async throws -> [Capture] {
        var urls = CaseFile.imageURLs(of: item)
        for url in listed where !urls.contains(url) && urls.count < CaseFile.maxImages { urls.append(url) }
        return try await pictures(urls, held: [:], fetches: true, allowPrivate: allowPrivate)
    }

    /// The pictures at `urls`: those in hand from `held`, the rest fetched through the engine
    /// (unless the page was read from disk). A picture that fails is left out.
    private func pictures(_ urls: [String], held: [String: Capture], fetches: Bool, allowPrivate: Bool) async throws -> [Capture] {
        var pictures: [Capture] = []
        for url in urls {
            if let picture = held[url] {
                pictures.append(picture)
                continue
            }
            guard fetches else { continue }
            do {
                let fetched = try await engine.fetch(FetchRequest(url: url, allowPrivate: allowPrivate))
                if (200..<300).contains(fetched.capture.status) { pictures.append(fetched.capture) }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                continue
            }
        }
        return pictures
    }

    /// Rewrites the evidence folder's `index.html` from the state.
    func writeIndex() throws {
        do {
            try cases.writeIndex()
        } catch {
            throw RunAbort(description: "evidence index: \(error)")
        }
    }
}

/// Accounts' profiles seen in one run, by account key (`AccountProfile.key`), so each is looked
/// up once per run however many posts it wrote or interacted with. The profile (small) is kept
/// for every account; the answer as received only while few and small, since only a case file
/// needs it (it is fetched again in the rare case it was not kept).
struct ProfileCache {
    struct Entry {
        var profile: AccountProfile
        var answer: Capture?
    }

    static let maxKeptAnswers = 500
    static let maxKeptAnswerBytes = 64 * 1024

    private var entries: [String: Entry] = [:]
    private var keptAnswers = 0

    subscript(key: String) -> Entry? { entries[key] }

    mutating func insert(_ profile: AccountProfile, answer: Capture) {
        guard let key = profile.key else { return }
        let keep = keptAnswers < Self.maxKeptAnswers && answer.body.count <= Self.maxKeptAnswerBytes
        if keep { keptAnswers += 1 }
        entries[key] = Entry(profile: profile, answer: keep ? answer : nil)
    }
}

extension SourceRecord {
    init(_ record: ArchiveRecord) {
        self.init(warcFile: record.file, recordID: record.recordID, offset: record.offset, digest: record.payloadDigest)
    }
}

extension ScanFinding {
    init(target: String, finding: Finding, url: String, caseFile: String, new: Bool) {
        self.init(
            id: finding.id, target: target, url: url, rule: finding.rule, findingClass: finding.findingClass, act: finding.act,
            severity: finding.severity, score: finding.score, caseFile: caseFile, new: new)
    }
}
