public import Foundation
public import NetralEvidence
public import NetralModel

/// Which case files a listing wants. Every filter is optional; empty sets mean "any".
/// How a listing of case files is ordered.
public enum CaseFileOrder: String, Sendable, Equatable, CaseIterable {
    /// Newest first: what came in last.
    case newestFirst
    /// The nearest reporting deadline first. The deadline is a fixed number of days after a case
    /// file is made, so this is the oldest first.
    case deadlineFirst

    var sql: String {
        switch self {
        case .newestFirst: "c.created_at DESC, c.id DESC"
        case .deadlineFirst: "c.created_at ASC, c.id ASC"
        }
    }
}

public struct CaseFileFilter: Sendable, Equatable {
    public var statuses: Set<ReviewStatus> = []
    public var severities: Set<Severity> = []
    /// Act codes (`A6`); a case file matches when it holds any of them.
    public var acts: Set<String> = []
    /// A candidate or party label, matched case-insensitively inside the case file's labels.
    public var candidate: String?
    /// A target id from the config; matches case files with a finding from that target.
    public var target: String?
    /// Pack names; matches case files with a finding from any of them.
    public var packs: Set<String> = []
    /// Matches case files with a finding of this class.
    public var findingClass: FindingClass?
    /// Created at or after / before.
    public var since: Date?
    public var until: Date?
    /// Also list case files that a newer one of the same item replaces.
    public var includeSuperseded = false
    /// The listing's order (not part of the match).
    public var order: CaseFileOrder = .newestFirst

    public init(statuses: Set<ReviewStatus> = [], severities: Set<Severity> = [], acts: Set<String> = [], candidate: String? = nil,
                target: String? = nil, packs: Set<String> = [], findingClass: FindingClass? = nil, since: Date? = nil, until: Date? = nil,
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

    /// The WHERE clause over `case_file c` and its arguments, in SQL both databases accept.
    func sql() -> (String, SQLArguments) {
        var clauses: [String] = []
        var arguments: SQLArguments = []
        if !statuses.isEmpty {
            clauses.append("c.review_status IN (\(placeholders(statuses.count)))")
            arguments += statuses.sorted { $0.rawValue < $1.rawValue }
        }
        if !severities.isEmpty {
            clauses.append("c.severity IN (\(placeholders(severities.count)))")
            arguments += severities.sorted()
        }
        if !acts.isEmpty {
            // `acts` is a comma-separated list; wrapping both sides in commas matches whole codes.
            clauses.append("(" + acts.map { _ in "(',' || c.acts || ',') LIKE ? ESCAPE '\\'" }.joined(separator: " OR ") + ")")
            arguments += acts.sorted().map { "%,\(likeEscaped($0)),%" }
        }
        if let candidate, !candidate.isEmpty {
            clauses.append("lower(c.candidates) LIKE ? ESCAPE '\\'")
            arguments.append("%" + likeEscaped(candidate.lowercased()) + "%")
        }
        if let target, !target.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM finding f WHERE f.item_url = c.item_id AND f.target = ?)")
            arguments.append(target)
        }
        if !packs.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM finding f WHERE f.item_url = c.item_id AND f.pack IN (\(placeholders(packs.count))))")
            arguments += packs.sorted()
        }
        if let findingClass {
            clauses.append("EXISTS (SELECT 1 FROM finding f WHERE f.item_url = c.item_id AND f.class = ?)")
            arguments.append(findingClass)
        }
        if let since {
            clauses.append("c.created_at >= ?")
            arguments.append(since)
        }
        if let until {
            clauses.append("c.created_at < ?")
            arguments.append(until)
        }
        if !includeSuperseded {
            clauses.append("NOT EXISTS (SELECT 1 FROM case_file newer WHERE newer.supersedes = c.id)")
        }
        return (clauses.isEmpty ? "1 = 1" : clauses.joined(separator: " AND "), arguments)
    }
}

/// A page of a listing and how many case files match in all.
public struct CaseFilePage: Sendable, Equatable {
    public var caseFiles: [StoredCaseFile]
    public var total: Int
}

extension StateStore {
    /// Case files matching `filter`, in its order (newest first by default), `limit` from `offset`, and the total count.
    public func caseFiles(matching filter: CaseFileFilter, limit: Int = 100, offset: Int = 0) throws -> CaseFilePage {
        let (whereClause, arguments) = filter.sql()
        return try database.read { db in
            let total = try db.fetchValue("SELECT COUNT(*) FROM case_file c WHERE \(whereClause)", arguments, as: Int.self) ?? 0
            let rows = try db.fetchAll("SELECT c.* FROM case_file c WHERE \(whereClause) ORDER BY \(filter.order.sql) LIMIT ? OFFSET ?",
                                       arguments + [max(0, limit), max(0, offset)])
            return CaseFilePage(caseFiles: try rows.map(Self.caseFile), total: total)
        }
    }

    /// How many case files matching `filter` have each review status (for the desk's counts).
    public func statusCounts(matching filter: CaseFileFilter) throws -> [ReviewStatus: Int] {
        var unfiltered = filter
        unfiltered.statuses = []
        let (whereClause, arguments) = unfiltered.sql()
        return try database.read { db in
            var counts: [ReviewStatus: Int] = [:]
            let sql = "SELECT c.review_status, COUNT(*) AS n FROM case_file c WHERE \(whereClause) GROUP BY c.review_status"
            for row in try db.fetchAll(sql, arguments) {
                let column = StateRowReader(row, table: "case_file", key: "review_status")
                counts[try column("review_status", as: ReviewStatus.self)] = try column("n")
            }
            return counts
        }
    }

    /// The findings recorded with a case file's item (its acts, rules, packs and targets).
    public func findings(forCaseFile caseFile: StoredCaseFile) throws -> [StoredFinding] {
        try findings(itemURL: caseFile.itemID)
    }
}
