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
