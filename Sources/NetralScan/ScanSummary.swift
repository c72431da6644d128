public import Foundation
public import NetralModel
public import NetralStore

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
    /// `violation` (the author's own act) or `report` (about someone else): never counted as a violation.
    public var findingClass: FindingClass
    public var act: String
    public var severity: Severity
    public var score: Double
    /// The case file's folder.
    public var caseFile: String
    /// False when the finding was already known from an earlier run.
    public var new: Bool

    enum CodingKeys: String, CodingKey {
        case id, target, url, rule, findingClass = "class", act, severity, score, caseFile, new
    }
}

/// How one target's scan went, for the summary and cron mail.
public struct TargetResult: Sendable, Codable, Equatable {
    public var target: String
    public var kind: String
    public var outcome: TargetOutcome
    public var error: String?
    /// Pages, API pages or WARC records fetched or read (2xx only).
    public var pages = 0
    public var items = 0
    public var findings = 0
    public var newFindings = 0
    /// Tries of the last fetch (more than 1 after a retry).
    public var attempts: Int?
    /// Set when the target ignores robots.txt: the operator's reason.
    public var robotsIgnored: String?
    /// Set when a platform would not show the target (a login wall, a challenge, a rate limit,
    /// a refused sign-in): the target failed for this reason, and was not read as empty.
    public var refused: SourceRefused.Reason?
}

/// What a scan did: counts, findings, failures and each target's result. `--format json`
/// prints this.
public struct ScanSummary: Sendable, Codable, Equatable {
    public var version = NetralVersion.current
    public var startedAt = Date()
    public var endedAt = Date()
    public var durationSeconds = 0.0
    /// Targets in the configuration.
    public var targets = 0
    /// Targets due in this run (the rest are not due yet, see `every:`).
    public var due = 0
    /// 2xx responses fetched (pages, feeds, API pages) and WARC records or files read.
    public var fetched = 0
    /// Targets whose answer was 304, or whose body had not changed: not judged again.
    public var unchanged = 0
    public var items = 0
    public var findings: [ScanFinding] = []
    public var failures: [TargetFailure] = []
    public var results: [TargetResult] = []
    public var evidence: String = ""
    public var state: String = ""

    public init() {}

    public var newFindings: Int { findings.filter(\.new).count }
    /// Findings that are the authors' own acts.
    public var violations: [ScanFinding] { findings.filter { $0.findingClass == .violation } }
    /// Findings that report someone else's act: leads, never counted as violations.
    public var reports: [ScanFinding] { findings.filter { $0.findingClass == .report } }
    public var newViolations: Int { violations.filter(\.new).count }

    /// The process exit code for this summary: with `findingsExitCode` (`--exit-code`), new
    /// violations give 1 even when targets failed, so cron's "1 = look at this" is never lost
    /// (new reports about others are listed, but do not raise it); otherwise failed targets
    /// give 4, and a clean run 0.
    public func exitCode(findingsExitCode: Bool) -> Int32 {
        if findingsExitCode && newViolations > 0 { return 1 }
        if !failures.isEmpty { return 4 }
        return 0
    }

    /// Violations of a severity.
    public func count(_ severity: Severity) -> Int { violations.filter { $0.severity == severity }.count }
}

/// Where a running scan is, for a progress line on a terminal.
public struct ScanProgress: Sendable {
    public var done: Int
    public var due: Int
    public var items: Int
    public var findings: Int
    public var pages: Int
    public var elapsed: Double

    public var pagesPerSecond: Double { elapsed > 0 ? Double(pages) / elapsed : 0 }
}
