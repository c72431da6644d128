import GRDB

extension StateStore {
    /// The case file that replaces `id` (a newer version of the same item), if any.
    public func caseFile(superseding id: String) throws -> StoredCaseFile? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM case_file WHERE supersedes = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                             arguments: [id]).map(Self.caseFile)
        }
    }
}
