public import Foundation
public import NetralModel

/// A target as the configuration defines it, for the state's target rows.
public struct TargetDefinition: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var url: String
    /// Seconds between scans; nil means due on every run.
    public var every: Double?
    /// Why robots.txt is ignored for this target, when it is.
    public var robotsOverride: String?

    public init(id: String, kind: String, url: String, every: Double? = nil, robotsOverride: String? = nil) {
        self.id = id
        self.kind = kind
        self.url = url
        self.every = every
        self.robotsOverride = robotsOverride
    }
}

/// How one target's scan ended.
public enum TargetOutcome: String, Sendable, Codable, Equatable, SQLTextEnum {
    /// Fetched (or read) and judged.
    case scanned
    /// A 304, or a body whose digest had not changed: not judged again.
    case unchanged
    /// 404 or 410: recorded as gone, not fetched.
    case gone
    /// robots.txt disallows it for our agent.
    case disallowed
    case failed
}

/// What the state remembers of one URL's last fetch, for a conditional GET.
public struct FetchMemory: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?
    /// SHA-256 of the body last judged.
    public var bodyDigest: String?

    public init(etag: String? = nil, lastModified: String? = nil, bodyDigest: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
        self.bodyDigest = bodyDigest
    }
}

/// Everything one fetched page leaves in the state, written in one transaction.
public struct PageRecord: Sendable {
    public struct ItemRow: Sendable {
        public var id: String
        public var url: String
        public var contentDigest: String

        public init(id: String, url: String, contentDigest: String) {
            self.id = id
            self.url = url
            self.contentDigest = contentDigest
        }
    }

    public var target: String
    /// The capture's fetch row; nil for a local file or WARC record.
    public var capture: Capture?
    public var bodyDigest: String?
    public var items: [ItemRow]
    public var at: Date

    /// Findings are not part of a page's rows: each is recorded with its case file, in the
    /// case file's own transaction (`recordCaseFile`).
    public init(target: String, capture: Capture?, bodyDigest: String?, items: [ItemRow], at: Date) {
        self.target = target
        self.capture = capture
        self.bodyDigest = bodyDigest
        self.items = items
        self.at = at
    }
}

/// How a target's scan ended, with every row it leaves, written in one transaction.
public struct TargetCompletion: Sendable {
    public var target: String
    public var outcome: TargetOutcome
    public var error: String?
    public var at: Date
    /// Nil: due on the next run.
    public var nextDue: Date?
    /// The last page judged or confirmed unchanged by digest (its fetch row, items, findings).
    public var page: PageRecord?
    /// A URL that answered 304: its fetch row is marked current.
    public var notModifiedURL: String?
    /// A URL whose fetch failed or is gone: its fetch row counts the failure.
    public var failedFetch: (url: String, status: Int?, error: String)?

    public init(target: String, outcome: TargetOutcome, error: String? = nil, at: Date, nextDue: Date? = nil,
                page: PageRecord? = nil, notModifiedURL: String? = nil, failedFetch: (url: String, status: Int?, error: String)? = nil) {
        self.target = target
        self.outcome = outcome
        self.error = error
        self.at = at
        self.nextDue = nextDue
        self.page = page
        self.notModifiedURL = notModifiedURL
        self.failedFetch = failedFetch
    }
}

/// A target's row as `netral status` shows it.
public struct TargetStatus: Sendable, Codable, Equatable {
    public var id: String
    public var kind: String
    public var url: String
    public var every: Double?
    public var lastRun: Date?
    public var lastResult: TargetOutcome?
    public var lastError: String?
    public var nextDue: Date?
    public var consecutiveFailures: Int
    public var findings: Int
    public var robotsOverride: String?
}

/// robots.txt of one host as last fetched.
public struct StoredRobots: Sendable, Equatable {
    public var status: Int
    public var body: String
    public var fetchedAt: Date

    public init(status: Int, body: String, fetchedAt: Date) {
        self.status = status
        self.body = body
        self.fetchedAt = fetchedAt
    }
}

/// The state a scan reads and writes, behind one protocol. Due targets are rows a worker
/// claims for a lease: SQLite claims them in one immediate transaction; a shared PostgreSQL
/// database claims with `SELECT … FOR UPDATE SKIP LOCKED`, so several machines never take the
/// same target.
public protocol ScanStateStore: Sendable {
    /// Makes the target rows match the configuration (new rows are due now; removed targets go).
    func syncTargets(_ targets: [TargetDefinition], at date: Date) throws
    /// Claims the targets due at `date` that no live lease holds, for `worker`, until `date + lease`:
    /// at most `limit`, none that ran since `runStartedAt`; renews the leases `worker` holds.
    func claimDueTargets(worker: String, at date: Date, lease: TimeInterval, limit: Int?, runStartedAt: Date?) throws -> [String]
    /// Releases the claims of `worker` (all claims when nil: the caller knows it is the only worker).
    func releaseClaims(worker: String?) throws
    /// Records how a target's scan ended, releases its claim and sets its next due time.
    func finishTarget(_ id: String, outcome: TargetOutcome, error: String?, at date: Date, nextDue: Date?) throws
    /// One transaction for a batch of targets' ends: their pages, fetch rows and target rows.
    /// Returns, by target id, the findings recorded for each target that was unchanged (to list
    /// them as known).
    func complete(_ completions: [TargetCompletion]) throws -> [String: [StoredFinding]]
    func fetchMemory(url: String) throws -> FetchMemory?
    /// One transaction: the fetch row, the items seen and the findings recorded for one page.
    func recordPage(_ page: PageRecord) throws
    /// Records a failed or gone fetch; consecutive failures are counted.
    func recordFetchFailure(url: String, status: Int?, error: String, at date: Date) throws
    /// Marks a URL's last fetch as unchanged (304 or same digest) at `date`.
    func recordUnchanged(url: String, at date: Date) throws
    func caseFilePath(forFinding id: String) throws -> String?
    /// The findings recorded for a target, for the summary of an unchanged page.
    func findings(forTarget id: String) throws -> [StoredFinding]
    func robots(host: String) throws -> StoredRobots?
    func saveRobots(host: String, robots: StoredRobots) throws
    func targetStatuses() throws -> [TargetStatus]
}

extension ScanStateStore {
    /// Claims every target due at `date` for one run that started then.
    public func claimDueTargets(worker: String, at date: Date, lease: TimeInterval) throws -> [String] {
        try claimDueTargets(worker: worker, at: date, lease: lease, limit: nil, runStartedAt: nil)
    }
}
