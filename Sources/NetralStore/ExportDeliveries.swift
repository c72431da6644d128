public import Foundation
import GRDB

/// One case file handed to one destination (an export file or a push receiver).
public struct ExportDelivery: Sendable, Equatable, Codable {
    public var destination: String
    public var caseID: String
    /// `jsonl`, `csv`, `thehive`, `misp`, or `webhook` for a push.
    public var format: String
    public var deliveredAt: Date
    /// The case file's manifest hash when it was delivered.
    public var manifestSHA256: String
}

/// A destination's cursor: how many case files it has received in all, and when the last
/// batch went. Advanced in the same transaction that records the batch's deliveries.
public struct ExportCursor: Sendable, Equatable, Codable {
    public var destination: String
    public var delivered: Int
    public var batches: Int
    public var lastDeliveredAt: Date?
    public var lastFormat: String?
}

extension StateStore {
    static func registerExportMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-export-cursors") { db in
            try db.create(table: "export_cursor") { table in
                table.primaryKey("destination", .text)
                table.column("delivered", .integer).notNull().defaults(to: 0)
                table.column("batches", .integer).notNull().defaults(to: 0)
                table.column("last_delivered_at", .datetime)
                table.column("last_format", .text)
            }
            // What each destination has received: the cursor's exact content, so a case file
            // confirmed late (created before others already sent) is still sent once.
            try db.create(table: "export_delivery") { table in
                table.column("destination", .text).notNull()
                table.column("case_id", .text).notNull()
                table.column("format", .text).notNull()
                table.column("delivered_at", .datetime).notNull()
                table.column("manifest_sha256", .text).notNull()
                table.primaryKey(["destination", "case_id"])
            }
        }
    }

    /// Case files matching `filter` that `destination` has not received, oldest first (the
    /// order a tracker should see them in). With `includeDelivered`, those it has received too
    /// (to export a lost file again).
    public func undeliveredCaseFiles(destination: String, matching filter: CaseFileFilter, limit: Int? = nil,
                                     includeDelivered: Bool = false) throws -> [StoredCaseFile] {
        let (whereClause, filterArguments) = filter.sql()
        var arguments = filterArguments
        var sql = "SELECT c.* FROM case_file c WHERE \(whereClause)"
        if !includeDelivered {
            sql += " AND NOT EXISTS (SELECT 1 FROM export_delivery d WHERE d.destination = ? AND d.case_id = c.id)"
            _ = arguments.append(contentsOf: [destination])
        }
        sql += " ORDER BY c.created_at, c.id"
        if let limit {
            sql += " LIMIT ?"
            _ = arguments.append(contentsOf: [max(0, limit)])
        }
        return try queue.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.caseFile) }
    }

    /// Records that `destination` received these case files and advances its cursor, in one
    /// transaction: either the whole batch counts as delivered or none of it does. A case file
    /// delivered before (an export repeated with `--again`) keeps its first delivery row.
    public func recordDeliveries(destination: String, format: String, caseFiles: [StoredCaseFile], at date: Date = Date()) throws {
        guard !caseFiles.isEmpty else { return }
        try queue.write { db in
            var added = 0
            for caseFile in caseFiles {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO export_delivery (destination, case_id, format, delivered_at, manifest_sha256)
                    VALUES (?, ?, ?, ?, ?)
                    """, arguments: [destination, caseFile.id, format, date, caseFile.manifestSHA256])
                added += db.changesCount
            }
            try db.execute(sql: """
                INSERT INTO export_cursor (destination, delivered, batches, last_delivered_at, last_format) VALUES (?, ?, 1, ?, ?)
                ON CONFLICT(destination) DO UPDATE SET delivered = delivered + excluded.delivered, batches = batches + 1,
                    last_delivered_at = excluded.last_delivered_at, last_format = excluded.last_format
                """, arguments: [destination, added, date, format])
        }
    }

    /// The cursor of one destination, nil before its first delivery.
    public func exportCursor(destination: String) throws -> ExportCursor? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM export_cursor WHERE destination = ?", arguments: [destination]).map { row in
                ExportCursor(destination: row["destination"], delivered: row["delivered"], batches: row["batches"],
                             lastDeliveredAt: row["last_delivered_at"], lastFormat: row["last_format"])
            }
        }
    }

    /// Everything one destination has received, in delivery order.
    public func deliveries(destination: String) throws -> [ExportDelivery] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM export_delivery WHERE destination = ? ORDER BY delivered_at, rowid",
                             arguments: [destination]).map { row in
                ExportDelivery(destination: row["destination"], caseID: row["case_id"], format: row["format"],
                               deliveredAt: row["delivered_at"], manifestSHA256: row["manifest_sha256"])
            }
        }
    }
}
