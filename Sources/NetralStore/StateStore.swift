public import Foundation
import GRDB
public import NetralModel

/// A finding as the store knows it.
public struct StoredFinding: Sendable, Equatable {
    public var id: String
    public var target: String?
    public var itemURL: String
    public var rule: String
    public var act: String
    public var severity: String
    public var score: Double
    public var bundlePath: String
    public var reviewStatus: String
    /// `violation` or `report` (see `FindingClass`).
    public var findingClass: String
    /// The rule pack's name (nil for findings recorded before packs were stored).
    public var pack: String? = nil
}

/// Netral's state in one SQLite file in WAL mode: targets and when they are due, what was
/// fetched (with validators for conditional GETs), which items were seen, which findings exist
/// and where their bundles are, and each host's robots.txt. Each page is one transaction, so a
/// killed run leaves a consistent database behind. The file is readable by its owner only.
public final class StateStore: ScanStateStore {
    /// One connection in WAL mode: a scan's reads and writes are short and serial, and one
    /// connection keeps one page cache (a pool's readers re-read pages after every commit).
    /// Internal so the other tables' files (CaseFileStore.swift) share the one connection.
    let queue: DatabaseQueue
    public let path: String

    /// Opens (or creates, mode 0600) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // SQLite gives its -wal and -shm files the database file's mode, so creating the file
        // 0600 first keeps all three private.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            close(descriptor)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            // WAL: a commit appends to the log; NORMAL syncs at checkpoints, not at every commit.
            // A power cut may lose the last transactions, never consistency.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(queue)
    }

    /// Named, ordered migrations; a released migration is never edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-fetches-items-findings") { db in
            try db.create(table: "fetch") { table in
                table.primaryKey("url", .text)
                table.column("final_url", .text)
                table.column("status", .integer)
                table.column("etag", .text)
                table.column("last_modified", .text)
                table.column("fetched_at", .datetime).notNull()
                table.column("failures", .integer).notNull().defaults(to: 0)
                table.column("last_error", .text)
            }
            try db.create(table: "item") { table in
                table.primaryKey("id", .text)
                table.column("url", .text).notNull()
                table.column("content_digest", .text).notNull()
                table.column("first_seen", .datetime).notNull()
                table.column("last_seen", .datetime).notNull()
            }
            try db.create(table: "finding") { table in
                table.primaryKey("id", .text)
                table.column("item_url", .text).notNull()
                table.column("rule", .text).notNull()
                table.column("act", .text).notNull()
                table.column("severity", .text).notNull()
                table.column("score", .double).notNull()
                table.column("bundle_path", .text).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("review_status", .text).notNull().defaults(to: "new")
            }
            try db.create(index: "finding_on_item_url", on: "finding", columns: ["item_url"])
        }
        migrator.registerMigration("v2-targets-robots-digests") { db in
            try db.alter(table: "fetch") { table in
                table.add(column: "body_digest", .text)
            }
            try db.alter(table: "finding") { table in
                table.add(column: "target", .text)
            }
            try db.create(index: "finding_on_target", on: "finding", columns: ["target"])
            try db.create(table: "target") { table in
                table.primaryKey("id", .text)
                table.column("kind", .text).notNull()
                table.column("url", .text).notNull()
                table.column("every_seconds", .double)
                table.column("robots_override", .text)
                // NULL: due now. A worker claims a due row by setting claimed_by/claimed_until.
                table.column("next_due", .datetime)
                table.column("claimed_by", .text)
                table.column("claimed_until", .datetime)
                table.column("last_run", .datetime)
                table.column("last_result", .text)
                table.column("last_error", .text)
                table.column("failures", .integer).notNull().defaults(to: 0)
            }
            try db.create(index: "target_on_next_due", on: "target", columns: ["next_due"])
            try db.create(table: "robots") { table in
                table.primaryKey("host", .text)
                table.column("status", .integer).notNull()
                table.column("body", .text).notNull()
                table.column("fetched_at", .datetime).notNull()
            }
        }
        registerCaseFileMigrations(&migrator)
        migrator.registerMigration("v3-finding-class") { db in
            // Findings recorded before classes existed were all judged as the author's own acts.
            try db.alter(table: "finding") { table in
                table.add(column: "class", .text).notNull().defaults(to: "violation")
            }
        }
        ReviewLog.registerMigrations(&migrator)
        registerQueryMigrations(&migrator)
        registerExportMigrations(&migrator)
        return migrator
    }

    public func syncTargets(_ targets: [TargetDefinition], at date: Date) throws {
        try queue.write { db in
            for target in targets {
                try db.run(
                    sql: """
                    INSERT INTO target (id, kind, url, every_seconds, robots_override) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, url = excluded.url,
                        every_seconds = excluded.every_seconds, robots_override = excluded.robots_override,
                        next_due = CASE WHEN target.url = excluded.url AND target.kind = excluded.kind THEN target.next_due ELSE NULL END
                    """,
                    arguments: [target.id, target.kind, target.url, target.every, target.robotsOverride]
                )
            }
            let ids = targets.map(\.id)
            if ids.isEmpty {
                try db.execute(sql: "DELETE FROM target")
            } else {
                try db.execute(sql: "DELETE FROM target WHERE id NOT IN (\(databaseQuestionMarks(count: ids.count)))", arguments: StatementArguments(ids))
            }
        }
    }

    public func claimDueTargets(worker: String, at date: Date, lease: TimeInterval) throws -> [String] {
        try queue.writeWithoutTransaction { db in
            var result: [String] = []
            try db.inTransaction(.immediate) {
                let ids = try String.fetchAll(db, sql: """
                    SELECT id FROM target
                    WHERE (next_due IS NULL OR next_due <= ?) AND (claimed_until IS NULL OR claimed_until < ?)
                    ORDER BY next_due IS NOT NULL, next_due, id
                    """, arguments: [date, date])
                for id in ids {
                    try db.execute(sql: "UPDATE target SET claimed_by = ?, claimed_until = ? WHERE id = ?",
                                   arguments: [worker, date.addingTimeInterval(lease), id])
                }
                result = ids
                return .commit
            }
            return result
        }
    }

    public func releaseClaims(worker: String?) throws {
        try queue.write { db in
            if let worker {
                try db.execute(sql: "UPDATE target SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?", arguments: [worker])
            } else {
                try db.execute(sql: "UPDATE target SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL")
            }
        }
    }

    public func finishTarget(_ id: String, outcome: TargetOutcome, error: String?, at date: Date, nextDue: Date?) throws {
        try queue.write { db in try Self.finishTarget(db, id, outcome: outcome, error: error, at: date, nextDue: nextDue) }
    }

    public func complete(_ completions: [TargetCompletion]) throws -> [String: [StoredFinding]] {
        guard !completions.isEmpty else { return [:] }
        return try queue.write { db in
            var known: [String: [StoredFinding]] = [:]
            for completion in completions {
                if let page = completion.page { try Self.recordPage(db, page) }
                if let url = completion.notModifiedURL { try Self.recordUnchanged(db, url: url, at: completion.at) }
                if let failed = completion.failedFetch { try Self.recordFetchFailure(db, url: failed.url, status: failed.status, error: failed.error, at: completion.at) }
                try Self.finishTarget(db, completion.target, outcome: completion.outcome, error: completion.error, at: completion.at, nextDue: completion.nextDue)
                guard completion.outcome == .unchanged else { continue }
                known[completion.target] = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT \(Self.findingColumns) FROM finding WHERE target = ? ORDER BY created_at, id"),
                    arguments: [completion.target]).map(Self.finding)
            }
            return known
        }
    }

    private static func finishTarget(_ db: Database, _ id: String, outcome: TargetOutcome, error: String?, at date: Date, nextDue: Date?) throws {
        let failed = outcome == .failed || outcome == .gone
        try db.run(
            sql: """
            UPDATE target SET claimed_by = NULL, claimed_until = NULL, last_run = ?, last_result = ?,
                last_error = ?, next_due = ?, failures = CASE WHEN ? THEN failures + 1 ELSE 0 END
            WHERE id = ?
            """,
            arguments: [date, outcome.rawValue, error, nextDue, failed, id]
        )
    }

    public func fetchMemory(url: String) throws -> FetchMemory? {
        try queue.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT etag, last_modified, body_digest FROM fetch WHERE url = ? AND failures = 0"), arguments: [url]).map { row in
                FetchMemory(etag: row["etag"], lastModified: row["last_modified"], bodyDigest: row["body_digest"])
            }
        }
    }

    public func recordPage(_ page: PageRecord) throws {
        try queue.write { db in try Self.recordPage(db, page) }
    }

    private static func recordPage(_ db: Database, _ page: PageRecord) throws {
        if let capture = page.capture {
            try db.run(
                sql: """
                INSERT INTO fetch (url, final_url, status, etag, last_modified, fetched_at, failures, last_error, body_digest)
                VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?)
                ON CONFLICT(url) DO UPDATE SET final_url = excluded.final_url, status = excluded.status,
                    etag = excluded.etag, last_modified = excluded.last_modified,
                    fetched_at = excluded.fetched_at, failures = 0, last_error = NULL, body_digest = excluded.body_digest
                """,
                arguments: [capture.requestURL, capture.finalURL, capture.status, capture.header("ETag"),
                            capture.header("Last-Modified"), capture.fetchedAt, page.bodyDigest]
            )
        }
        for item in page.items {
            try db.run(
                sql: """
                INSERT INTO item (id, url, content_digest, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET url = excluded.url, content_digest = excluded.content_digest, last_seen = excluded.last_seen
                """,
                arguments: [item.id, item.url, item.contentDigest, page.at, page.at]
            )
        }
    }

    public func recordFetchFailure(url: String, status: Int?, error: String, at date: Date) throws {
        try queue.write { db in try Self.recordFetchFailure(db, url: url, status: status, error: error, at: date) }
    }

    private static func recordFetchFailure(_ db: Database, url: String, status: Int?, error: String, at date: Date) throws {
        try db.run(
            sql: """
            INSERT INTO fetch (url, status, fetched_at, failures, last_error) VALUES (?, ?, ?, 1, ?)
            ON CONFLICT(url) DO UPDATE SET status = excluded.status, fetched_at = excluded.fetched_at,
                failures = fetch.failures + 1, last_error = excluded.last_error
            """,
            arguments: [url, status, date, error]
        )
    }

    public func recordUnchanged(url: String, at date: Date) throws {
        try queue.write { db in try Self.recordUnchanged(db, url: url, at: date) }
    }

    private static func recordUnchanged(_ db: Database, url: String, at date: Date) throws {
        try db.execute(sql: "UPDATE fetch SET fetched_at = ?, failures = 0, last_error = NULL WHERE url = ?", arguments: [date, url])
    }

    public func bundlePath(forFinding id: String) throws -> String? {
        try queue.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT bundle_path FROM finding WHERE id = ?"), arguments: [id])
        }
    }

    private static let findingColumns = "id, target, item_url, rule, act, severity, score, bundle_path, review_status, class, pack"

    /// Records a finding and its bundle. Recording the same finding twice keeps the first.
    public func recordFinding(_ finding: Finding, itemURL: String, bundlePath: String, at date: Date, target: String? = nil) throws {
        try queue.write { db in try Self.insertFinding(finding, itemURL: itemURL, bundlePath: bundlePath, at: date, target: target, in: db) }
    }

    /// The insert behind `recordFinding`, for callers that record more in the same transaction.
    static func insertFinding(_ finding: Finding, itemURL: String, bundlePath: String, at date: Date, target: String?, in db: Database) throws {
        try db.execute(
            sql: """
            INSERT OR IGNORE INTO finding (id, item_url, rule, act, severity, score, bundle_path, created_at, target, class, pack)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            arguments: [finding.id, itemURL, finding.rule, finding.act, finding.severity.rawValue,
                        finding.score, bundlePath, date, target, finding.findingClass.rawValue, finding.pack.name]
        )
    }

    private static func finding(_ row: Row) -> StoredFinding {
        StoredFinding(id: row["id"], target: row["target"], itemURL: row["item_url"], rule: row["rule"], act: row["act"],
                      severity: row["severity"], score: row["score"], bundlePath: row["bundle_path"], reviewStatus: row["review_status"], findingClass: row["class"], pack: row["pack"])
    }

    public func findings() throws -> [StoredFinding] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.findingColumns) FROM finding ORDER BY created_at, id").map(Self.finding)
        }
    }

    /// The findings recorded for one item (its URL or canonical id), oldest first.
    public func findings(itemURL: String) throws -> [StoredFinding] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.findingColumns) FROM finding WHERE item_url = ? ORDER BY created_at, id", arguments: [itemURL]).map(Self.finding)
        }
    }

    public func findings(forTarget id: String) throws -> [StoredFinding] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.findingColumns) FROM finding WHERE target = ? ORDER BY created_at, id", arguments: [id]).map(Self.finding)
        }
    }

    public func robots(host: String) throws -> StoredRobots? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT status, body, fetched_at FROM robots WHERE host = ?", arguments: [host]).map { row in
                StoredRobots(status: row["status"], body: row["body"], fetchedAt: row["fetched_at"])
            }
        }
    }

    public func saveRobots(host: String, robots: StoredRobots) throws {
        try queue.write { db in
            try db.run(
                sql: "INSERT OR REPLACE INTO robots (host, status, body, fetched_at) VALUES (?, ?, ?, ?)",
                arguments: [host, robots.status, robots.body, robots.fetchedAt]
            )
        }
    }

    public func targetStatuses() throws -> [TargetStatus] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.*, (SELECT COUNT(*) FROM finding f WHERE f.target = t.id) AS finding_count
                FROM target t ORDER BY t.id
                """).map { row in
                TargetStatus(id: row["id"], kind: row["kind"], url: row["url"], every: row["every_seconds"], lastRun: row["last_run"],
                             lastResult: row["last_result"], lastError: row["last_error"], nextDue: row["next_due"],
                             consecutiveFailures: row["failures"], findings: row["finding_count"], robotsOverride: row["robots_override"])
            }
        }
    }

    /// How many fetches failed in a row for a URL (0 when the last one succeeded).
    public func consecutiveFailures(url: String) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT failures FROM fetch WHERE url = ?", arguments: [url]) ?? 0
        }
    }

    /// SQLite's journal mode, for the test that the state runs in WAL.
    public func journalMode() throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}

extension Database {
    /// Runs one statement from the connection's statement cache: a scan runs the same few
    /// statements thousands of times, and compiling each again costs more than running it.
    fileprivate func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
