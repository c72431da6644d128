public import Foundation
public import NetralModel

/// A case file (one bundle per item) as the state records it. The manifest's own hash is kept
/// here so `verify` notices a manifest that was edited and re-hashed, and a bundle that was
/// deleted outright.
public struct StoredCaseFile: Sendable, Equatable, Codable {
    public var id: String
    /// The item's identity (canonical URL, else source URL).
    public var itemID: String
    public var contentDigest: String
    /// The bundle folder, relative to the evidence root.
    public var path: String
    /// Lowercase hex SHA-256 of the bundle's `manifest.json`.
    public var manifestSHA256: String
    /// The earlier case file of the same item whose content this one replaces.
    public var supersedes: String?
    public var createdAt: Date
    /// Acts, comma-separated (`A2,A6`), and the highest severity, for the index.
    public var acts: String
    public var severity: String
    /// Who the case concerns (subject or author), NIP-free, for the index.
    public var author: String
    /// Candidate and party labels named in the item, `; `-separated, for the index.
    public var candidates: String
    public var reviewStatus: String

    public init(id: String, itemID: String, contentDigest: String, path: String, manifestSHA256: String,
                supersedes: String?, createdAt: Date, acts: String, severity: String, author: String = "", candidates: String = "",
                reviewStatus: String = "new") {
        self.id = id
        self.itemID = itemID
        self.contentDigest = contentDigest
        self.path = path
        self.manifestSHA256 = manifestSHA256
        self.supersedes = supersedes
        self.createdAt = createdAt
        self.acts = acts
        self.severity = severity
        self.author = author
        self.candidates = candidates
        self.reviewStatus = reviewStatus
    }
}

extension StateStore {
    static func caseFile(_ row: SQLRow) -> StoredCaseFile {
        StoredCaseFile(id: row["id"], itemID: row["item_id"], contentDigest: row["content_digest"], path: row["path"],
                       manifestSHA256: row["manifest_sha256"], supersedes: row["supersedes"], createdAt: row["created_at"],
                       acts: row["acts"], severity: row["severity"], author: row["author"], candidates: row["candidates"], reviewStatus: row["review_status"])
    }

    /// Records a case file and its findings in one transaction (a kill never leaves one without
    /// the other); recording the same id twice keeps the first.
    public func recordCaseFile(_ caseFile: StoredCaseFile, findings: [Finding] = [], bundlePath: String = "", target: String? = nil) throws {
        try database.write { db in
            for finding in findings {
                try Self.insertFinding(finding, itemURL: caseFile.itemID, bundlePath: bundlePath, at: caseFile.createdAt, target: target, in: db)
            }
            try db.execute(
                """
                INSERT INTO case_file (id, item_id, content_digest, path, manifest_sha256, supersedes, created_at, acts, severity, author, candidates, review_status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                [caseFile.id, caseFile.itemID, caseFile.contentDigest, caseFile.path, caseFile.manifestSHA256,
                 caseFile.supersedes, caseFile.createdAt, caseFile.acts, caseFile.severity, caseFile.author, caseFile.candidates,
                 caseFile.reviewStatus]
            )
        }
    }

    public func caseFile(id: String) throws -> StoredCaseFile? {
        try database.readOne { db in
            try db.fetchOne("SELECT * FROM case_file WHERE id = ?", [id]).map(Self.caseFile)
        }
    }

    /// The newest case file of an item, if any (by creation time, then id: the same on both databases).
    public func latestCaseFile(itemID: String) throws -> StoredCaseFile? {
        try database.readOne { db in
            try db.fetchOne("SELECT * FROM case_file WHERE item_id = ? ORDER BY created_at DESC, id DESC LIMIT 1", [itemID]).map(Self.caseFile)
        }
    }

    /// Every case file, oldest first.
    public func caseFiles() throws -> [StoredCaseFile] {
        try database.read { db in
            try db.fetchAll("SELECT * FROM case_file ORDER BY created_at, id").map(Self.caseFile)
        }
    }

    /// The ids of case files that a later one of the same item replaces.
    public func supersededCaseFileIDs() throws -> Set<String> {
        try database.read { db in
            Set(try db.fetchColumn("SELECT supersedes FROM case_file WHERE supersedes IS NOT NULL", as: String.self))
        }
    }

    /// The database's own consistency check: "ok" when sound. SQLite checks the file
    /// (`PRAGMA integrity_check`); PostgreSQL checks its pages itself, so a connection that
    /// answers is "ok".
    public func integrityCheck() throws -> String {
        try database.read { db in
            switch db.dialect {
            case .sqlite: try db.fetchValue("PRAGMA integrity_check", as: String.self) ?? "no answer"
            case .postgres: try db.fetchValue("SELECT 'ok'", as: String.self) ?? "no answer"
            }
        }
    }
}
