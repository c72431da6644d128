public import Foundation
import GRDB
public import NetralModel

/// Netral's state in one SQLite file: what was fetched, which items were seen, which findings
/// exist and where their bundles are. Every write is a transaction, so a killed run leaves a
/// consistent database behind.
public final class StateStore: Sendable {
    /// Internal so the other tables' files (CaseFileStore.swift) share one connection.
    let queue: DatabaseQueue
    public let path: String

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
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
        registerCaseFileMigrations(&migrator)
        return migrator
    }

    /// Records a successful fetch.
    public func recordFetch(_ capture: Capture) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                INSERT INTO fetch (url, final_url, status, etag, last_modified, fetched_at, failures, last_error)
                VALUES (?, ?, ?, ?, ?, ?, 0, NULL)
                ON CONFLICT(url) DO UPDATE SET final_url = excluded.final_url, status = excluded.status,
                    etag = excluded.etag, last_modified = excluded.last_modified,
                    fetched_at = excluded.fetched_at, failures = 0, last_error = NULL
                """,
                arguments: [capture.requestURL, capture.finalURL, capture.status, capture.header("ETag"),
                            capture.header("Last-Modified"), capture.fetchedAt]
            )
        }
    }

    /// Records a failed fetch; consecutive failures are counted.
    public func recordFetchFailure(url: String, error: String, at date: Date) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                INSERT INTO fetch (url, fetched_at, failures, last_error) VALUES (?, ?, 1, ?)
                ON CONFLICT(url) DO UPDATE SET fetched_at = excluded.fetched_at,
                    failures = fetch.failures + 1, last_error = excluded.last_error
                """,
                arguments: [url, date, error]
            )
        }
    }

    /// Records that an item was seen; returns true when its content is new.
    @discardableResult
    public func recordItem(id: String, url: String, contentDigest: String, at date: Date) throws -> Bool {
        try queue.write { db in
            let existing = try String.fetchOne(db, sql: "SELECT content_digest FROM item WHERE id = ?", arguments: [id])
            if existing == nil {
                try db.execute(
                    sql: "INSERT INTO item (id, url, content_digest, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, url, contentDigest, date, date]
                )
                return true
            }
            try db.execute(
                sql: "UPDATE item SET content_digest = ?, last_seen = ? WHERE id = ?",
                arguments: [contentDigest, date, id]
            )
            return existing != contentDigest
        }
    }

    /// The bundle of a finding already recorded, if any.
    public func bundlePath(forFinding id: String) throws -> String? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT bundle_path FROM finding WHERE id = ?", arguments: [id])
        }
    }

    /// Records a finding and its bundle. Recording the same finding twice keeps the first.
    public func recordFinding(_ finding: Finding, itemURL: String, bundlePath: String, at date: Date) throws {
        try queue.write { db in try Self.insertFinding(finding, itemURL: itemURL, bundlePath: bundlePath, at: date, in: db) }
    }

    /// The insert behind `recordFinding`, for callers that record more in the same transaction.
    static func insertFinding(_ finding: Finding, itemURL: String, bundlePath: String, at date: Date, in db: Database) throws {
        try db.execute(
            sql: """
            INSERT OR IGNORE INTO finding (id, item_url, rule, act, severity, score, bundle_path, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            arguments: [finding.id, itemURL, finding.rule, finding.act, finding.severity.rawValue,
                        finding.score, bundlePath, date]
        )
    }

    /// A stored finding, as the store knows it.
    public struct StoredFinding: Sendable, Equatable {
        public var id: String
        public var itemURL: String
        public var rule: String
        public var severity: String
        public var bundlePath: String
        public var reviewStatus: String
    }

    public func findings() throws -> [StoredFinding] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, item_url, rule, severity, bundle_path, review_status FROM finding ORDER BY created_at, id")
                .map { row in
                    StoredFinding(id: row["id"], itemURL: row["item_url"], rule: row["rule"], severity: row["severity"],
                                  bundlePath: row["bundle_path"], reviewStatus: row["review_status"])
                }
        }
    }

    /// How many fetches failed in a row for a URL (0 when the last one succeeded).
    public func consecutiveFailures(url: String) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT failures FROM fetch WHERE url = ?", arguments: [url]) ?? 0
        }
    }
}
