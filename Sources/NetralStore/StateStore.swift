public import Foundation
public import NetralModel
import Synchronization

/// A finding as the store knows it.
public struct StoredFinding: Sendable, Equatable {
    public var id: String
    public var target: String?
    public var itemURL: String
    public var rule: String
    public var act: String
    public var severity: Severity
    public var score: Double
    /// The case-file folder the finding was filed in, as the evidence root was given.
    public var caseFilePath: String
    public var findingClass: FindingClass
    /// The rule pack's name (nil for findings recorded before packs were stored).
    public var pack: String? = nil
}

/// Netral's state: targets and when they are due, what was fetched (with validators for
/// conditional GETs), which items were seen, which findings exist and where their case files are,
/// each host's robots.txt, case files and the review log. The logic is written once against
/// `SQLExecutor`; the state is one SQLite file in WAL mode (mode 0600) on one machine, or a
/// PostgreSQL database that several workers and the desk share. Each page is one transaction,
/// so a killed run leaves a consistent database behind.
public final class StateStore: Sendable {
    /// The database underneath, which the other tables' files (CaseFileStore.swift,
    /// ReviewLog.swift, …) share. Outside this module only the test support sees it (SPI
    /// `Testing`), to edit a state behind Netral's back.
    @_spi(Testing) public let database: any SQLExecutor
    /// The file path, or the PostgreSQL URL without a password.
    public let path: String
    /// How review-log entries are signed and their head anchored (`sealReviews(with:)`).
    let reviewSeal = Mutex<ReviewSeal?>(nil)

    /// Opens (or creates, mode 0600) the SQLite database at `path` and brings its schema up to date.
    public convenience init(path: String) throws {
        try self.init(location: .sqlite(path: path))
    }

    /// Opens the state where `location` says, as `access` allows (made when missing only with
    /// `.create`), and brings its schema up to date; a read-only state is never migrated, so it
    /// must have been brought up to date by a command that writes it.
    public init(location: StateLocation, access: StateAccess = .create) throws {
        switch location {
        case .sqlite(let path): database = try SQLiteExecutor(path: path, access: access)
        case .postgres(let postgres): database = try PostgresExecutor(location: postgres, readOnly: access == .readOnly)
        }
        path = location.description
        try Migrations.checkMarker(database, access: access)
        if access == .readOnly {
            let applied = try Migrations.applied(database)
            if let missing = Migrations.all.first(where: { !applied.contains($0.name) }) {
                throw StateFileError(path: path, found: "was made by an earlier Netral (its schema lacks '\(missing.name)'); "
                                     + "run netral scan once to bring it up to date")
            }
        } else {
            try Migrations.migrate(database)
        }
    }

    /// True when the state is a shared database server (workers on several machines), false for
    /// a file only this machine uses.
    public var isShared: Bool { database.dialect == .postgres }

    /// On a shared database, takes the lock `name` for as long as this store's connection lives
    /// (a session advisory lock, which the server releases when the process or its connection
    /// dies): false when another live process holds it. One live run per worker name, one push
    /// per destination. On SQLite it returns true: lock files beside the database do this job.
    public func holdSessionLock(_ name: String) throws -> Bool {
        guard let postgres = database as? PostgresExecutor else { return true }
        return try postgres.session { db in
            try db.fetchValue("SELECT pg_try_advisory_lock(hashtext(?)::bigint)", ["netral:" + name], as: Bool.self) ?? false
        }
    }

    public func syncTargets(_ targets: [TargetDefinition], at date: Date) throws {
        try database.write { db in
            for target in targets {
                try db.execute(
                    """
                    INSERT INTO target (id, kind, url, every_seconds, robots_override) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, url = excluded.url,
                        every_seconds = excluded.every_seconds, robots_override = excluded.robots_override,
                        next_due = CASE WHEN target.url = excluded.url AND target.kind = excluded.kind THEN target.next_due ELSE NULL END
                    """,
                    [target.id, target.kind, target.url, target.every, target.robotsOverride]
                )
            }
            let ids = targets.map(\.id)
            if ids.isEmpty {
                try db.execute("DELETE FROM target")
            } else {
                try db.execute("DELETE FROM target WHERE id NOT IN (\(placeholders(ids.count)))", ids)
            }
        }
    }

    /// Claims the targets due at `date` that no live lease holds, for `worker`, until
    /// `date + lease`: at most `limit` (all when nil). In the same transaction it renews the
    /// lease of every target `worker` already holds, so a worker that keeps claiming keeps its
    /// targets. A target that ran at or after `runStartedAt` is not handed out again in that
    /// run, even when it is due on every run. On PostgreSQL the rows are locked with
    /// `FOR UPDATE SKIP LOCKED`, so workers claiming at once never take the same target and
    /// never wait for each other.
    /// Claims every target due at `date` for one run that started then.
    public func claimDueTargets(worker: String, at date: Date, lease: TimeInterval) throws -> [String] {
        try claimDueTargets(worker: worker, at: date, lease: lease, limit: nil, runStartedAt: nil)
    }

    public func claimDueTargets(worker: String, at date: Date, lease: TimeInterval, limit: Int?, runStartedAt: Date?) throws -> [String] {
        try database.write { db in
            let until = date.addingTimeInterval(lease)
            try db.execute("UPDATE target SET claimed_until = ? WHERE claimed_by = ?", [until, worker])
            var arguments: SQLArguments = [date, date, runStartedAt ?? date]
            var sql = """
                SELECT id FROM target
                WHERE (next_due IS NULL OR next_due <= ?) AND (claimed_until IS NULL OR claimed_until < ?)
                  AND (last_run IS NULL OR last_run < ?)
                ORDER BY next_due IS NOT NULL, next_due, id
                """
            if let limit {
                sql += " LIMIT ?"
                arguments.append(max(0, limit))
            }
            let ids = try db.fetchColumn(sql + db.dialect.lockForClaim, arguments, as: String.self)
            guard !ids.isEmpty else { return [] }
            try db.execute("UPDATE target SET claimed_by = ?, claimed_until = ? WHERE id IN (\(placeholders(ids.count)))", [worker, until] + ids)
            return ids
        }
    }

    /// When the first lease ends that another worker holds on a target it has not finished since
    /// `runStartedAt` (nil when there is none): what a worker with nothing left waits for.
    public func earliestLeaseHeldByOthers(worker: String, runStartedAt: Date, at date: Date) throws -> Date? {
        try database.readOne { db in
            try db.fetchValue("""
                SELECT MIN(claimed_until) FROM target
                WHERE claimed_by IS NOT NULL AND claimed_by <> ? AND claimed_until >= ? AND (last_run IS NULL OR last_run < ?)
                """, [worker, date, runStartedAt], as: Date.self)
        }
    }

    public func releaseClaims(worker: String?) throws {
        _ = try database.write { db in
            if let worker {
                try db.execute("UPDATE target SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?", [worker])
            } else {
                try db.execute("UPDATE target SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL")
            }
        }
    }

    public func finishTarget(_ id: String, outcome: TargetOutcome, error: String?, at date: Date, nextDue: Date?) throws {
        try database.write { db in try Self.finishTarget(db, id, outcome: outcome, error: error, at: date, nextDue: nextDue) }
    }

    public func complete(_ completions: [TargetCompletion]) throws -> [String: [StoredFinding]] {
        guard !completions.isEmpty else { return [:] }
        return try database.write { db in
            var known: [String: [StoredFinding]] = [:]
            for completion in completions {
                if let page = completion.page { try Self.recordPage(db, page) }
                if let url = completion.notModifiedURL { try Self.recordUnchanged(db, url: url, at: completion.at) }
                if let failed = completion.failedFetch { try Self.recordFetchFailure(db, url: failed.url, status: failed.status, error: failed.error, at: completion.at) }
                try Self.finishTarget(db, completion.target, outcome: completion.outcome, error: completion.error, at: completion.at, nextDue: completion.nextDue)
                guard completion.outcome == .unchanged else { continue }
                known[completion.target] = try db.fetchAll("SELECT \(Self.findingColumns) FROM finding WHERE target = ? ORDER BY created_at, id",
                                                           [completion.target]).map(Self.finding)
            }
            return known
        }
    }

    /// A target gone (404/410) again is asked for less and less often: 6 hours after the second
    /// gone in a row, doubling up to 30 days; so cron stops mailing about it every run. Any
    /// other outcome resets the count (the `failures` column).
    public static func goneBackoff(previousFailures: Int) -> TimeInterval? {
        guard previousFailures >= 1 else { return nil }
        return min(30 * 86_400, 6 * 3600 * pow(2, Double(min(previousFailures - 1, 16))))
    }

    private static func finishTarget(_ db: any SQLConnection, _ id: String, outcome: TargetOutcome, error: String?, at date: Date, nextDue: Date?) throws {
        let failed = outcome == .failed || outcome == .gone
        var nextDue = nextDue
        if outcome == .gone,
            let previous = try db.fetchValue("SELECT failures FROM target WHERE id = ?", [id], as: Int.self),
            let backoff = goneBackoff(previousFailures: previous)
        {
            nextDue = max(nextDue ?? date, date.addingTimeInterval(backoff))
        }
        try db.execute(
            """
            UPDATE target SET claimed_by = NULL, claimed_until = NULL, last_run = ?, last_result = ?,
                last_error = ?, next_due = ?, failures = CASE WHEN ? THEN failures + 1 ELSE 0 END
            WHERE id = ?
            """,
            [date, outcome, error, nextDue, failed, id]
        )
    }

    public func fetchMemory(url: String) throws -> FetchMemory? {
        try database.readOne { db in
            let sql = #"SELECT url, etag, last_modified, body_digest FROM "fetch" WHERE url = ? AND failures = 0"#
            return try db.fetchOne(sql, [url]).map { row throws(StateRowError) in
                let column = StateRowReader(row, table: "fetch", key: "url")
                return FetchMemory(etag: try column.optional("etag"), lastModified: try column.optional("last_modified"),
                                   bodyDigest: try column.optional("body_digest"))
            }
        }
    }

    /// When `url` was last fetched with success (a sitemap's `lastmod` older than this is not
    /// fetched again), or nil.
    public func lastFetched(url: String) throws -> Date? {
        try database.readOne { db in
            try db.fetchValue(#"SELECT fetched_at FROM "fetch" WHERE url = ? AND failures = 0"#, [url], as: Date.self)
        }
    }

    public func recordPage(_ page: PageRecord) throws {
        try database.write { db in try Self.recordPage(db, page) }
    }

    private static func recordPage(_ db: any SQLConnection, _ page: PageRecord) throws {
        if let capture = page.capture {
            try db.execute(
                """
                INSERT INTO "fetch" (url, final_url, status, etag, last_modified, fetched_at, failures, last_error, body_digest)
                VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?)
                ON CONFLICT(url) DO UPDATE SET final_url = excluded.final_url, status = excluded.status,
                    etag = excluded.etag, last_modified = excluded.last_modified,
                    fetched_at = excluded.fetched_at, failures = 0, last_error = NULL, body_digest = excluded.body_digest
                """,
                [capture.requestURL, capture.finalURL, capture.status, capture.header("ETag"),
                 capture.header("Last-Modified"), capture.fetchedAt, page.bodyDigest]
            )
        }
        for item in page.items {
            try db.execute(
                """
                INSERT INTO item (id, url, content_digest, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET url = excluded.url, content_digest = excluded.content_digest, last_seen = excluded.last_seen
                """,
                [item.id, item.url, item.contentDigest, page.at, page.at]
            )
        }
    }

    public func recordFetchFailure(url: String, status: Int?, error: String, at date: Date) throws {
        try database.write { db in try Self.recordFetchFailure(db, url: url, status: status, error: error, at: date) }
    }

    private static func recordFetchFailure(_ db: any SQLConnection, url: String, status: Int?, error: String, at date: Date) throws {
        try db.execute(
            """
            INSERT INTO "fetch" (url, status, fetched_at, failures, last_error) VALUES (?, ?, ?, 1, ?)
            ON CONFLICT(url) DO UPDATE SET status = excluded.status, fetched_at = excluded.fetched_at,
                failures = "fetch".failures + 1, last_error = excluded.last_error
            """,
            [url, status, date, error]
        )
    }

    public func recordUnchanged(url: String, at date: Date) throws {
        try database.write { db in try Self.recordUnchanged(db, url: url, at: date) }
    }

    private static func recordUnchanged(_ db: any SQLConnection, url: String, at date: Date) throws {
        try db.execute(#"UPDATE "fetch" SET fetched_at = ?, failures = 0, last_error = NULL WHERE url = ?"#, [date, url])
    }

    /// The case-file folder a finding was filed in (the column keeps its first name, `bundle_path`).
    public func caseFilePath(forFinding id: String) throws -> String? {
        try database.readOne { db in try db.fetchValue("SELECT bundle_path FROM finding WHERE id = ?", [id], as: String.self) }
    }

    private static let findingColumns = "id, target, item_url, rule, act, severity, score, bundle_path, class, pack"

    /// Records a finding and its case file. Recording the same finding twice keeps the first.
    public func recordFinding(_ finding: Finding, itemURL: String, caseFilePath: String, at date: Date, target: String? = nil) throws {
        try database.write { db in
            try Self.insertFinding(finding, itemURL: itemURL, caseFilePath: caseFilePath, at: date, target: target, in: db)
        }
    }

    /// The insert behind `recordFinding`, for callers that record more in the same transaction.
    static func insertFinding(_ finding: Finding, itemURL: String, caseFilePath: String, at date: Date, target: String?,
                              in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO finding (id, item_url, rule, act, severity, score, bundle_path, created_at, target, class, pack)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """,
            [finding.id, itemURL, finding.rule, finding.act, finding.severity,
             finding.score, caseFilePath, date, target, finding.findingClass, finding.pack.name]
        )
    }

    private static func finding(_ row: SQLRow) throws(StateRowError) -> StoredFinding {
        let column = StateRowReader(row, table: "finding", key: "id")
        return StoredFinding(id: try column("id"), target: try column.optional("target"), itemURL: try column("item_url"),
                             rule: try column("rule"), act: try column("act"), severity: try column("severity"), score: try column("score"),
                             caseFilePath: try column("bundle_path"), findingClass: try column("class"), pack: try column.optional("pack"))
    }

    public func findings() throws -> [StoredFinding] {
        try database.read { db in
            try db.fetchAll("SELECT \(Self.findingColumns) FROM finding ORDER BY created_at, id").map(Self.finding)
        }
    }

    /// The findings recorded for one item (its URL or canonical id), oldest first.
    public func findings(itemURL: String) throws -> [StoredFinding] {
        try database.readOne { db in
            try db.fetchAll("SELECT \(Self.findingColumns) FROM finding WHERE item_url = ? ORDER BY created_at, id", [itemURL]).map(Self.finding)
        }
    }

    public func findings(forTarget id: String) throws -> [StoredFinding] {
        try database.readOne { db in
            try db.fetchAll("SELECT \(Self.findingColumns) FROM finding WHERE target = ? ORDER BY created_at, id", [id]).map(Self.finding)
        }
    }

    public func robots(host: String) throws -> StoredRobots? {
        try database.readOne { db in
            try db.fetchOne("SELECT host, status, body, fetched_at FROM robots WHERE host = ?", [host]).map { row throws(StateRowError) in
                let column = StateRowReader(row, table: "robots", key: "host")
                return StoredRobots(status: try column("status"), body: try column("body"), fetchedAt: try column("fetched_at"))
            }
        }
    }

    public func saveRobots(host: String, robots: StoredRobots) throws {
        _ = try database.write { db in
            try db.execute(
                """
                INSERT INTO robots (host, status, body, fetched_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(host) DO UPDATE SET status = excluded.status, body = excluded.body, fetched_at = excluded.fetched_at
                """,
                [host, robots.status, robots.body, robots.fetchedAt]
            )
        }
    }

    public func targetStatuses() throws -> [TargetStatus] {
        try database.read { db in
            try db.fetchAll("""
                SELECT t.*, (SELECT COUNT(*) FROM finding f WHERE f.target = t.id) AS finding_count
                FROM target t ORDER BY t.id
                """).map { row throws(StateRowError) in
                let column = StateRowReader(row, table: "target", key: "id")
                return TargetStatus(id: try column("id"), kind: try column("kind"), url: try column("url"),
                                    every: try column.optional("every_seconds"), lastRun: try column.optional("last_run"),
                                    lastResult: try column.optional("last_result"), lastError: try column.optional("last_error"),
                                    nextDue: try column.optional("next_due"),
                                    consecutiveFailures: try column("failures"), findings: try column("finding_count"),
                                    robotsOverride: try column.optional("robots_override"))
            }
        }
    }

    /// How many fetches failed in a row for a URL (0 when the last one succeeded).
    public func consecutiveFailures(url: String) throws -> Int {
        try database.readOne { db in try db.fetchValue(#"SELECT failures FROM "fetch" WHERE url = ?"#, [url], as: Int.self) ?? 0 }
    }

    /// SQLite's journal mode, for the test that the state runs in WAL ("" on PostgreSQL).
    public func journalMode() throws -> String {
        guard database.dialect == .sqlite else { return "" }
        return try database.read { db in try db.fetchValue("PRAGMA journal_mode", as: String.self) ?? "" }
    }
}
