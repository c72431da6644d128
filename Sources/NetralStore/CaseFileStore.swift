import Foundation
public import NetralEvidence
public import NetralModel

/// The state's record of every case file (`case_file`), with its findings (`finding`). The
/// case-file side reads and writes it through `CaseFileLedger`.
extension StateStore: CaseFileLedger {
    static func caseFile(_ row: SQLRow) throws(StateRowError) -> StoredCaseFile {
        let column = StateRowReader(row, table: "case_file", key: "id")
        return StoredCaseFile(id: try column("id"), itemID: try column("item_id"), contentDigest: try column("content_digest"),
                              path: try column("path"), manifestSHA256: try column("manifest_sha256"),
                              supersedes: try column.optional("supersedes"), createdAt: try column("created_at"), acts: try column("acts"),
                              severity: try column("severity"), author: try column("author"), candidates: try column("candidates"),
                              reviewStatus: try column("review_status"))
    }

    public func recordCaseFile(_ caseFile: StoredCaseFile, findings: [Finding] = [], caseFilePath: String = "",
                               target: String? = nil) throws {
        try database.write { db in
            for finding in findings {
                try Self.insertFinding(finding, itemURL: caseFile.itemID, caseFilePath: caseFilePath, at: caseFile.createdAt,
                                       target: target, in: db)
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

    /// The case file that replaces `id` (a newer version of the same item), if any.
    public func caseFile(superseding id: String) throws -> StoredCaseFile? {
        try database.readOne { db in
            try db.fetchOne("SELECT * FROM case_file WHERE supersedes = ? ORDER BY created_at DESC, id DESC LIMIT 1", [id])
                .map(Self.caseFile)
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

extension Severity: SQLTextEnum {}
extension ReviewStatus: SQLTextEnum {}
extension FindingClass: SQLTextEnum {}
