public import Foundation
public import NetralEvidence

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
            arguments.append(destination)
        }
        sql += " ORDER BY c.created_at, c.id"
        if let limit {
            sql += " LIMIT ?"
            arguments.append(max(0, limit))
        }
        return try database.read { db in try db.fetchAll(sql, arguments).map(Self.caseFile) }
    }

    /// Records that `destination` received these case files and advances its cursor, in one
    /// transaction: either the whole batch counts as delivered or none of it does. A case file
    /// delivered before (an export repeated with `--again`) keeps its first delivery row.
    public func recordDeliveries(destination: String, format: String, caseFiles: [StoredCaseFile], at date: Date = Date()) throws {
        guard !caseFiles.isEmpty else { return }
        try database.write { db in
            var added = 0
            for caseFile in caseFiles {
                added += try db.execute("""
                    INSERT INTO export_delivery (destination, case_id, format, delivered_at, manifest_sha256)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """, [destination, caseFile.id, format, date, caseFile.manifestSHA256])
            }
            // Qualified: in PostgreSQL's ON CONFLICT both the row and `excluded` are in scope.
            try db.execute("""
                INSERT INTO export_cursor (destination, delivered, batches, last_delivered_at, last_format) VALUES (?, ?, 1, ?, ?)
                ON CONFLICT(destination) DO UPDATE SET delivered = export_cursor.delivered + excluded.delivered,
                    batches = export_cursor.batches + 1, last_delivered_at = excluded.last_delivered_at, last_format = excluded.last_format
                """, [destination, added, date, format])
        }
    }

    /// The cursor of one destination, nil before its first delivery.
    public func exportCursor(destination: String) throws -> ExportCursor? {
        try database.read { db in
            try db.fetchOne("SELECT * FROM export_cursor WHERE destination = ?", [destination]).map { row throws(StateRowError) in
                let column = StateRowReader(row, table: "export_cursor", key: "destination")
                return ExportCursor(destination: try column("destination"), delivered: try column("delivered"),
                                    batches: try column("batches"), lastDeliveredAt: try column.optional("last_delivered_at"),
                                    lastFormat: try column.optional("last_format"))
            }
        }
    }

    /// Everything one destination has received, in delivery order.
    public func deliveries(destination: String) throws -> [ExportDelivery] {
        // Within one batch (one delivery time), in the order the batch was read: oldest case file first.
        try database.read { db in
            try db.fetchAll("""
                SELECT d.* FROM export_delivery d LEFT JOIN case_file c ON c.id = d.case_id
                WHERE d.destination = ? ORDER BY d.delivered_at, c.created_at, d.case_id
                """, [destination]).map { row throws(StateRowError) in
                let column = StateRowReader(row, table: "export_delivery", key: "destination", "case_id")
                return ExportDelivery(destination: try column("destination"), caseID: try column("case_id"), format: try column("format"),
                                      deliveredAt: try column("delivered_at"), manifestSHA256: try column("manifest_sha256"))
            }
        }
    }
}
