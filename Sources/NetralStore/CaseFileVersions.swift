extension StateStore {
    /// The case file that replaces `id` (a newer version of the same item), if any.
    public func caseFile(superseding id: String) throws -> StoredCaseFile? {
        try database.readOne { db in
            try db.fetchOne("SELECT * FROM case_file WHERE supersedes = ? ORDER BY created_at DESC, id DESC LIMIT 1", [id]).map(Self.caseFile)
        }
    }
}
