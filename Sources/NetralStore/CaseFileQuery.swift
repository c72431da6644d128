public import Foundation
import GRDB

/// Which case files a listing wants. Every filter is optional; empty sets mean "any".
public struct CaseFileFilter: Sendable, Equatable {
    public var statuses: Set<ReviewStatus> = []
    public var severities: Set<String> = []
    /// Act codes (`A6`); a case file matches when it holds any of them.
    public var acts: Set<String> = []
    /// A candidate or party label, matched case-insensitively inside the case file's labels.
    public var candidate: String?
    /// A target id from the config; matches case files with a finding from that target.
    public var target: String?
    /// Pack names; matches case files with a finding from any of them.
    public var packs: Set<String> = []
    /// `violation` or `report`; matches case files with a finding of that class.
    public var findingClass: String?
    /// Created at or after / before.
    public var since: Date?
    public var until: Date?
    /// Also list case files that a newer one of the same item replaces.
    public var includeSuperseded = false

    public init(statuses: Set<ReviewStatus> = [], severities: Set<String> = [], acts: Set<String> = [], candidate: String? = nil,
                target: String? = nil, packs: Set<String> = [], findingClass: String? = nil, since: Date? = nil, until: Date? = nil,
                includeSuperseded: Bool = false) {
        self.statuses = statuses
        self.severities = severities
        self.acts = acts
        self.candidate = candidate
        self.target = target
        self.packs = packs
        self.findingClass = findingClass
        self.since = since
        self.until = until
        self.includeSuperseded = includeSuperseded
    }

    /// The WHERE clause over `case_file c` and its arguments.
    func sql() -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if !statuses.isEmpty {
            clauses.append("c.review_status IN (\(databaseQuestionMarks(count: statuses.count)))")
            _ = arguments.append(contentsOf: StatementArguments(statuses.map(\.rawValue).sorted()))
        }
        if !severities.isEmpty {
            clauses.append("c.severity IN (\(databaseQuestionMarks(count: severities.count)))")
            _ = arguments.append(contentsOf: StatementArguments(severities.sorted()))
        }
        if !acts.isEmpty {
            // `acts` is a comma-separated list; wrapping both sides in commas matches whole codes.
            clauses.append("(" + acts.map { _ in "(',' || c.acts || ',') LIKE ?" }.joined(separator: " OR ") + ")")
            _ = arguments.append(contentsOf: StatementArguments(acts.sorted().map { "%,\($0),%" }))
        }
        if let candidate, !candidate.isEmpty {
            clauses.append("instr(lower(c.candidates), lower(?)) > 0")
            _ = arguments.append(contentsOf: [candidate])
        }
        if let target, !target.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM finding f WHERE f.item_url = c.item_id AND f.target = ?)")
            _ = arguments.append(contentsOf: [target])
        }
        if !packs.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM finding f WHERE f.item_url = c.item_id AND f.pack IN (\(databaseQuestionMarks(count: packs.count))))")
            _ = arguments.append(contentsOf: StatementArguments(packs.sorted()))
        }
        if let findingClass, !findingClass.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM finding f WHERE f.item_url = c.item_id AND f.class = ?)")
            _ = arguments.append(contentsOf: [findingClass])
        }
        if let since {
            clauses.append("c.created_at >= ?")
            _ = arguments.append(contentsOf: [since])
        }
        if let until {
            clauses.append("c.created_at < ?")
            _ = arguments.append(contentsOf: [until])
        }
        if !includeSuperseded {
            clauses.append("NOT EXISTS (SELECT 1 FROM case_file newer WHERE newer.supersedes = c.id)")
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
    }
}

/// A page of a listing and how many case files match in all.
public struct CaseFilePage: Sendable, Equatable {
    public var caseFiles: [StoredCaseFile]
    public var total: Int
}

extension StateStore {
    static func registerQueryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-finding-pack") { db in
            try db.alter(table: "finding") { table in
                table.add(column: "pack", .text)
            }
            try db.create(index: "finding_on_item_url_target", on: "finding", columns: ["item_url", "target"])
            try db.create(index: "case_file_on_supersedes", on: "case_file", columns: ["supersedes"])
            try db.create(index: "case_file_on_created_at", on: "case_file", columns: ["created_at"])
        }
    }

    /// Case files matching `filter`, newest first, `limit` from `offset`, and the total count.
    public func caseFiles(matching filter: CaseFileFilter, limit: Int = 100, offset: Int = 0) throws -> CaseFilePage {
        let (whereClause, arguments) = filter.sql()
        return try queue.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_file c WHERE \(whereClause)", arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [max(0, limit), max(0, offset)])
            let rows = try Row.fetchAll(db, sql: "SELECT c.* FROM case_file c WHERE \(whereClause) ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?",
                                        arguments: pageArguments)
            return CaseFilePage(caseFiles: rows.map(Self.caseFile), total: total)
        }
    }

    /// How many case files matching `filter` have each review status (for the desk's counts).
    public func statusCounts(matching filter: CaseFileFilter) throws -> [ReviewStatus: Int] {
        var unfiltered = filter
        unfiltered.statuses = []
        let (whereClause, arguments) = unfiltered.sql()
        return try queue.read { db in
            var counts: [ReviewStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT c.review_status AS status, COUNT(*) AS n FROM case_file c WHERE \(whereClause) GROUP BY c.review_status",
                                        arguments: arguments) {
                if let status = ReviewStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    /// The findings recorded with a case file's item (its acts, rules, packs and targets).
    public func findings(forCaseFile caseFile: StoredCaseFile) throws -> [StoredFinding] {
        try findings(itemURL: caseFile.itemID)
    }
}
