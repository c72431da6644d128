import Crypto
public import Foundation
public import NetralEvidence
import Synchronization

/// What a reviewer decided about a case file.
public enum ReviewDecision: String, Sendable, Codable, CaseIterable, SQLTextEnum {
    case confirm
    case dismiss
    case reopen

    /// The status a case file has after this decision.
    public var resultingStatus: ReviewStatus {
        switch self {
        case .confirm: .confirmed
        case .dismiss: .dismissed
        case .reopen: .new
        }
    }
}

/// One entry of the append-only review log. `entryHash` covers every field and the previous
/// entry's hash, so editing, deleting or reordering an entry breaks the chain.
public struct ReviewEntry: Sendable, Equatable, Codable {
    /// Position in the log, from 1 with no gaps.
    public var sequence: Int64
    public var caseID: String
    public var decision: ReviewDecision
    public var note: String
    public var reviewer: String
    /// When the decision was made, as stored and hashed (ISO 8601 UTC with milliseconds).
    public var decidedAt: String
    /// The case file's manifest hash the reviewer saw.
    public var manifestSHA256: String
    /// The previous entry's hash; 64 zeros for the first entry.
    public var previousHash: String
    public var entryHash: String
    /// Base64 Ed25519 signature over the entry hash by `signer` (base64 public key); nil for an
    /// entry made without a signing key.
    public var signature: String? = nil
    public var signer: String? = nil

    public var decidedAtDate: Date? { ReviewLog.parseTime(decidedAt) }
}

/// Why a review could not be recorded or a case id not resolved. Messages are for the person
/// at the terminal or the desk.
public enum ReviewError: Error, Equatable, CustomStringConvertible {
    case noSuchCaseFile(String)
    case ambiguousCaseID(String, matches: [String])
    case emptyNote
    case emptyReviewer
    case alreadyInStatus(String, ReviewStatus)

    public var description: String {
        switch self {
        case .noSuchCaseFile(let id): "no case file has id or id prefix '\(id)'"
        case .ambiguousCaseID(let prefix, let matches):
            "case id prefix '\(prefix)' matches \(matches.count) case files (\(matches.prefix(5).joined(separator: ", "))\(matches.count > 5 ? ", …" : "")); give more characters"
        case .emptyNote: "a review decision needs a note (--note): why it was confirmed, dismissed or reopened"
        case .emptyReviewer: "a review decision needs a reviewer name (--by, or the USER environment variable)"
        case .alreadyInStatus(let id, let status): "case file \(id) is already \(status.rawValue)"
        }
    }
}

/// How entries are sealed beyond their chain, set by the command that opened the state from a
/// configuration: each entry's hash signed with `signer` (the configuration's `signing_key`),
/// and after each append the head written to the evidence folder's `ReviewAnchor`, signed and
/// time-stamped by `timestamper` where authorities are configured.
public struct ReviewSeal: Sendable {
    public var signer: ManifestSigner?
    /// The evidence folder that holds `review-anchor.json`.
    public var anchorRoot: String?
    public var timestamper: Timestamper?

    public init(signer: ManifestSigner?, anchorRoot: String?, timestamper: Timestamper? = nil) {
        self.signer = signer
        self.anchorRoot = anchorRoot
        self.timestamper = timestamper
    }
}

/// A break found by `verifyReviewLog`: where the chain stops holding, and why.
public struct ReviewLogProblem: Sendable, Equatable, CustomStringConvertible {
    public var sequence: Int64?
    public var message: String
    public var description: String { sequence.map { "review log entry \($0): \(message)" } ?? "review log: \(message)" }
}

/// The review log: decisions appended in one chain over the whole state. Appends are serialised
/// (SQLite: the immediate transaction's write lock; PostgreSQL: a transaction-scoped advisory
/// lock), so concurrent reviewers, on one machine or several, each extend the chain in turn.
/// `case_file.review_status` is a cache of the derived status, written in the same transaction
/// as the entry and checked against the log by `verifyReviewLog`.
enum ReviewLog {
    static let genesisHash = String(repeating: "0", count: 64)

    /// Length-prefixed fields, so no choice of note text can make two entries hash alike.
    static func hash(sequence: Int64, caseID: String, decision: String, note: String, reviewer: String,
                     decidedAt: String, manifestSHA256: String, previousHash: String) -> String {
        var data = Data("netral-review-v1\n".utf8)
        for field in [String(sequence), caseID, decision, note, reviewer, decidedAt, manifestSHA256, previousHash] {
            let bytes = Data(field.utf8)
            data.append(Data("\(bytes.count):".utf8))
            data.append(bytes)
            data.append(0x0A)
        }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func formatTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func parseTime(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    static func entry(_ row: SQLRow) throws(StateRowError) -> ReviewEntry {
        let column = StateRowReader(row, table: "review_log", key: "sequence")
        return ReviewEntry(sequence: try column("sequence"), caseID: try column("case_id"), decision: try column("decision"),
                           note: try column("note"), reviewer: try column("reviewer"), decidedAt: try column("decided_at"),
                           manifestSHA256: try column("manifest_sha256"), previousHash: try column("previous_hash"),
                           entryHash: try column("entry_hash"), signature: try column.optional("signature"),
                           signer: try column.optional("signer"))
    }

    /// What an entry's signature covers: its hash, which covers every field and the chain.
    static func signedBytes(entryHash: String) -> Data {
        Data("netral-review-entry-v1\n\(entryHash)\n".utf8)
    }

    /// The one way an entry enters the log, whatever its kind: the next sequence, chained to
    /// the last entry, hashed, signed when a key is set, and the head moved, in the caller's
    /// transaction (which must hold the log's lock: `lockForAppend`). Returns the entry's place,
    /// hashes and signature.
    static func append(_ db: any SQLConnection, caseID: String, decision: String, note: String, reviewer: String, decidedAt: String,
                       manifestSHA256: String, signer: ManifestSigner?)
        throws -> (sequence: Int64, previousHash: String, entryHash: String, signature: ManifestSignature?) {
        let last = try db.fetchOne("SELECT sequence, entry_hash FROM review_log ORDER BY sequence DESC LIMIT 1")
            .map { StateRowReader($0, table: "review_log", key: "sequence") }
        let sequence: Int64 = (try last?.callAsFunction("sequence", as: Int64.self) ?? 0) + 1
        let previous: String = try last?.callAsFunction("entry_hash", as: String.self) ?? genesisHash
        let hash = Self.hash(sequence: sequence, caseID: caseID, decision: decision, note: note, reviewer: reviewer,
                             decidedAt: decidedAt, manifestSHA256: manifestSHA256, previousHash: previous)
        let signature = try signer?.sign(signedBytes(entryHash: hash))
        try db.execute("""
            INSERT INTO review_log (sequence, case_id, decision, note, reviewer, decided_at, manifest_sha256, previous_hash, entry_hash,
                signature, signer)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [sequence, caseID, decision, note, reviewer, decidedAt, manifestSHA256, previous, hash,
                  signature?.signature, signature?.publicKey])
        try db.execute("""
            INSERT INTO review_head (id, count, entry_hash) VALUES (1, ?, ?)
            ON CONFLICT(id) DO UPDATE SET count = excluded.count, entry_hash = excluded.entry_hash
            """, [sequence, hash])
        return (sequence, previous, hash, signature)
    }

    /// Why an entry's signature does not hold, or nil: a signature must check against its
    /// signer (and be by `publicKey`, when one is required); an unsigned entry is a problem once
    /// an earlier one was signed (signing does not stop by itself).
    static func signatureProblem(signature: String?, signer: String?, entryHash: String, publicKey: String?,
                                 signedBefore: Int64?) -> String? {
        guard let signature else {
            return signedBefore.map { "is not signed, though entry \($0) and those after it are: it was added or rewritten outside Netral" }
        }
        guard let signer, let keyData = Data(base64Encoded: signer), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData),
              let signatureData = Data(base64Encoded: signature) else {
            return "its signature or signer key is unreadable"
        }
        if let publicKey, publicKey != signer { return "is signed by another key (\(signer)), not the configured one" }
        return key.isValidSignature(signatureData, for: signedBytes(entryHash: entryHash)) ? nil
            : "its signature does not match its hash: the entry was rewritten outside Netral"
    }

    /// One writer at a time per chain: SQLite's write lock is already held; PostgreSQL waits
    /// here for any other append to commit.
    static func lockForAppend(_ db: any SQLConnection) throws {
        if db.dialect == .postgres { try db.execute("SELECT pg_advisory_xact_lock(\(AdvisoryLock.reviewLog))") }
    }
}

extension StateStore {
    /// Resolves a case id or a unique prefix of one (at least 4 characters) to the case file.
    public func resolveCaseFile(_ idOrPrefix: String) throws -> StoredCaseFile {
        let wanted = idOrPrefix.trimmingCharacters(in: .whitespaces).lowercased()
        guard !wanted.isEmpty else { throw ReviewError.noSuchCaseFile(idOrPrefix) }
        if let exact = try caseFile(id: wanted) { return exact }
        guard wanted.count >= 4, wanted.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ReviewError.noSuchCaseFile(idOrPrefix)
        }
        let matches = try database.read { db in
            try db.fetchColumn("SELECT id FROM case_file WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
                               [wanted, wanted + "\u{10FFFF}"], as: String.self)
        }
        switch matches.count {
        case 0: throw ReviewError.noSuchCaseFile(idOrPrefix)
        case 1: return try caseFile(id: matches[0])!
        default: throw ReviewError.ambiguousCaseID(idOrPrefix, matches: matches)
        }
    }

    /// Appends a decision about a case file (id or unique prefix) to the review log and returns
    /// the entry. Confirming a confirmed case (or dismissing a dismissed one) is refused, so a
    /// double click or a re-run script does not add noise to the log.
    @discardableResult
    public func recordReview(caseID idOrPrefix: String, decision: ReviewDecision, note: String, reviewer: String,
                             at date: Date = Date()) throws -> ReviewEntry {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        let reviewer = reviewer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw ReviewError.emptyNote }
        guard !reviewer.isEmpty else { throw ReviewError.emptyReviewer }
        let caseFile = try resolveCaseFile(idOrPrefix)
        let seal = reviewSeal.withLock { $0 }
        let entry = try database.write { db in
            try ReviewLog.lockForAppend(db)
            // Read again inside the transaction: another reviewer may have decided since.
            let current = try db.fetchValue("SELECT review_status FROM case_file WHERE id = ?", [caseFile.id], as: ReviewStatus.self)
                ?? caseFile.reviewStatus
            if current == decision.resultingStatus {
                throw ReviewError.alreadyInStatus(caseFile.id, current)
            }
            let decidedAt = ReviewLog.formatTime(date)
            let appended = try ReviewLog.append(db, caseID: caseFile.id, decision: decision.rawValue, note: note, reviewer: reviewer,
                                                decidedAt: decidedAt, manifestSHA256: caseFile.manifestSHA256, signer: seal?.signer)
            try db.execute("UPDATE case_file SET review_status = ? WHERE id = ?", [decision.resultingStatus, caseFile.id])
            return ReviewEntry(sequence: appended.sequence, caseID: caseFile.id, decision: decision, note: note, reviewer: reviewer,
                               decidedAt: decidedAt, manifestSHA256: caseFile.manifestSHA256, previousHash: appended.previousHash,
                               entryHash: appended.entryHash, signature: appended.signature?.signature,
                               signer: appended.signature?.publicKey)
        }
        try anchorReviewHead(count: entry.sequence, entryHash: entry.entryHash, seal: seal)
        return entry
    }

    /// Sets how this store's appends are signed and anchored (see `ReviewSeal`).
    public func sealReviews(with seal: ReviewSeal) {
        reviewSeal.withLock { $0 = seal }
    }

    /// Writes the head after a committed append to the anchor, when the seal names one. A head
    /// that cannot be written stops the command (the entry is in the log; the next append or
    /// `anchorReviewHead()` anchors it); one that cannot be time-stamped is anchored without a token.
    func anchorReviewHead(count: Int64, entryHash: String, seal: ReviewSeal?) throws {
        guard let seal, let root = seal.anchorRoot else { return }
        try ReviewAnchor(count: count, entryHash: entryHash).write(evidenceRoot: root, signer: seal.signer, timestamper: seal.timestamper)
    }

    /// The log's head as the state records it: its length and last hash.
    public func reviewHead() throws -> (count: Int64, entryHash: String) {
        try database.read { db in
            let head = try db.fetchOne("SELECT id, count, entry_hash FROM review_head WHERE id = 1")
                .map { StateRowReader($0, table: "review_head", key: "id") }
            return (try head?.callAsFunction("count", as: Int64.self) ?? 0,
                    try head?.callAsFunction("entry_hash", as: String.self) ?? ReviewLog.genesisHash)
        }
    }

    /// A case file's review history, oldest first.
    public func reviews(caseID: String) throws -> [ReviewEntry] {
        try database.read { db in
            try db.fetchAll("SELECT * FROM review_log WHERE case_id = ? ORDER BY sequence", [caseID]).map(ReviewLog.entry)
        }
    }

    /// The latest entry of each case file among `ids` (for listings), keyed by case id.
    public func latestReviews(caseIDs ids: [String]) throws -> [String: ReviewEntry] {
        guard !ids.isEmpty else { return [:] }
        return try database.read { db in
            var latest: [String: ReviewEntry] = [:]
            // Chunks stay under SQLite's bound-parameter limit.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let rows = try db.fetchAll("""
                    SELECT r.* FROM review_log r
                    WHERE r.case_id IN (\(placeholders(chunk.count)))
                      AND r.sequence = (SELECT MAX(sequence) FROM review_log WHERE case_id = r.case_id)
                    """, chunk)
                for row in rows {
                    let entry = try ReviewLog.entry(row)
                    latest[entry.caseID] = entry
                }
            }
            return latest
        }
    }

    /// The case files' decisions, oldest first (decisions about accounts' identities share the
    /// chain: `accountDecisions()`).
    public func reviewLog() throws -> [ReviewEntry] {
        try database.read { db in
            try db.fetchAll("SELECT * FROM review_log WHERE case_id NOT LIKE 'account:%' ORDER BY sequence").map(ReviewLog.entry)
        }
    }

    /// The decisions about accounts' identities, oldest first; of one account when given.
    public func accountDecisions(account: String? = nil) throws -> [AccountReviewEntry] {
        try database.read { db in
            let rows =
                if let account {
                    try db.fetchAll("SELECT * FROM review_log WHERE case_id = ? ORDER BY sequence", [AccountIdentities.reviewPrefix + account])
                } else {
                    try db.fetchAll("SELECT * FROM review_log WHERE case_id LIKE 'account:%' ORDER BY sequence")
                }
            return try rows.map { row throws(StateRowError) in
                let column = StateRowReader(row, table: "review_log", key: "sequence")
                let subject: String = try column("case_id")
                let decisionText: String = try column("decision")
                guard let decision = AccountDecision(rawValue: decisionText) else {
                    throw column.error("decision", "holds '\(decisionText)', expected one of identity-confirm, identity-clear")
                }
                return AccountReviewEntry(
                    sequence: try column("sequence"), account: String(subject.dropFirst(AccountIdentities.reviewPrefix.count)),
                    decision: decision, note: try column("note"), reviewer: try column("reviewer"), decidedAt: try column("decided_at"),
                    factsSHA256: try column("manifest_sha256"), entryHash: try column("entry_hash"))
            }
        }
    }

    /// Walks the whole log once: sequences from 1 without gaps, each entry's hash recomputed and
    /// chained to the previous one, the head matching the last entry, each decision naming a
    /// case file, and each case file's cached status equal to the one its entries derive.
    /// Returns every problem found (empty when the log holds).
    ///
    /// Entries carry signatures once a signing key is set: a signature must hold (and be by
    /// `publicKey`, when given), and an unsigned entry after a signed one was added outside
    /// Netral. With `anchors` (the evidence folder's `ReviewAnchor`, a head an export file
    /// states), the log must reach each anchored length and hold the anchored hash there: no
    /// deletion, recomputed chain or restored older state gets past one. (An anchor's own
    /// signature and token are checked by `ReviewAnchor.problem`.)
    public func verifyReviewLog(publicKey: String? = nil, anchors: [ReviewAnchor] = []) throws -> [ReviewLogProblem] {
        try database.read { db in
            var problems: [ReviewLogProblem] = []
            var expectedSequence: Int64 = 1
            var previous = ReviewLog.genesisHash
            var derived: [String: ReviewStatus] = [:]
            var firstSigned: Int64?
            var hashesAtAnchors: [Int64: String] = [0: ReviewLog.genesisHash]
            let anchoredCounts = Set(anchors.map(\.count))
            var derivedAccounts: [String: AccountReviewStatus?] = [:]
            // The decision is read as text here, so an unknown one is reported as a break in the
            // log rather than stopping the walk.
            func check(_ row: SQLRow) throws(StateRowError) {
                let column = StateRowReader(row, table: "review_log", key: "sequence")
                let sequence: Int64 = try column("sequence"), caseID: String = try column("case_id")
                let decisionText: String = try column("decision")
                let entryPreviousHash: String = try column("previous_hash"), entryHash: String = try column("entry_hash")
                func problem(_ message: String) { problems.append(ReviewLogProblem(sequence: sequence, message: message)) }
                if sequence != expectedSequence {
                    problem("expected entry \(expectedSequence) here: an entry was deleted or renumbered")
                }
                if entryPreviousHash != previous {
                    problem("does not chain to the entry before it (previous hash \(entryPreviousHash.prefix(12))…, "
                            + "expected \(previous.prefix(12))…)")
                }
                let recomputed = ReviewLog.hash(sequence: sequence, caseID: caseID, decision: decisionText, note: try column("note"),
                                                reviewer: try column("reviewer"), decidedAt: try column("decided_at"),
                                                manifestSHA256: try column("manifest_sha256"), previousHash: entryPreviousHash)
                if recomputed != entryHash {
                    problem("its content does not match its hash: the entry was edited")
                }
                if caseID.hasPrefix(AccountIdentities.reviewPrefix) {
                    let decision = AccountDecision(rawValue: decisionText)
                    if decision == nil { problem("unknown decision '\(decisionText)' about an account") }
                    derivedAccounts[String(caseID.dropFirst(AccountIdentities.reviewPrefix.count))] = decision?.resultingStatus
                } else {
                    let decision = ReviewDecision(rawValue: decisionText)
                    if decision == nil {
                        problem("unknown decision '\(decisionText)'")
                    }
                    derived[caseID] = decision?.resultingStatus ?? .new
                }
                if let reason = ReviewLog.signatureProblem(signature: try column.optional("signature"), signer: try column.optional("signer"),
                                                           entryHash: entryHash, publicKey: publicKey, signedBefore: firstSigned) {
                    problem(reason)
                } else if firstSigned == nil, try column.optional("signature", as: String.self) != nil {
                    firstSigned = sequence
                }
                if anchoredCounts.contains(sequence) { hashesAtAnchors[sequence] = entryHash }
                previous = entryHash
                expectedSequence = sequence + 1
            }
            // Pages of 1,000 entries by sequence, so memory stays flat however long the log grows.
            var after = Int64.min
            while true {
                let page = try db.fetchAll("SELECT * FROM review_log WHERE sequence > ? ORDER BY sequence LIMIT 1000", [after])
                for row in page { try check(row) }
                guard page.count == 1000, let last = page.last else { break }
                after = try StateRowReader(last, table: "review_log", key: "sequence")("sequence")
            }
            let count = expectedSequence - 1
            let head = try db.fetchOne("SELECT id, count, entry_hash FROM review_head WHERE id = 1")
                .map { StateRowReader($0, table: "review_head", key: "id") }
            let headCount: Int64 = try head?.callAsFunction("count", as: Int64.self) ?? 0
            let headHash: String = try head?.callAsFunction("entry_hash", as: String.self) ?? ReviewLog.genesisHash
            if headCount != count || headHash != previous {
                problems.append(ReviewLogProblem(sequence: nil, message: "the log's head records \(headCount) entries ending in \(headHash.prefix(12))…, but the log has \(count) ending in \(previous.prefix(12))…: entries were removed from its end or added outside Netral"))
            }
            for anchor in anchors {
                let when = ReviewLog.formatTime(anchor.anchoredAt)
                if count < anchor.count {
                    problems.append(ReviewLogProblem(sequence: nil, message: "the log has \(count) entries, but \(ReviewAnchor.fileName) "
                        + "anchored \(anchor.count) at \(when): entries were deleted or an older copy of the state was restored"))
                } else if hashesAtAnchors[anchor.count] != anchor.entryHash {
                    problems.append(ReviewLogProblem(sequence: anchor.count, message: "does not match the head \(ReviewAnchor.fileName) "
                        + "anchored at \(when) (\(anchor.entryHash.prefix(12))…): the log was rewritten and its chain recomputed"))
                }
            }
            let statuses = try db.fetchAll("SELECT id, review_status FROM case_file")
            var known = Set<String>()
            for row in statuses {
                // As text: a status that is no status at all is a problem to report, like any other.
                let column = StateRowReader(row, table: "case_file", key: "id")
                let id: String = try column("id")
                known.insert(id)
                let cached: String = try column("review_status")
                let expected = derived[id] ?? .new
                if cached != expected.rawValue {
                    problems.append(ReviewLogProblem(sequence: nil, message: "case file \(id) is marked '\(cached)' but its review entries make it '\(expected.rawValue)'"))
                }
            }
            // Each account's cached status, against the status its decisions derive.
            let accountStatuses = try db.fetchAll("SELECT account, status FROM account_review")
            var reviewedAccounts = Set<String>()
            for row in accountStatuses {
                let column = StateRowReader(row, table: "account_review", key: "account")
                let account: String = try column("account"), cached: String = try column("status")
                reviewedAccounts.insert(account)
                let expected = derivedAccounts[account] ?? nil
                if cached != expected?.rawValue {
                    problems.append(ReviewLogProblem(sequence: nil, message: "account \(account) is marked '\(cached)' but its review entries make it '\(expected?.rawValue ?? "unreviewed")'"))
                }
            }
            for account in derivedAccounts.keys.sorted() where !reviewedAccounts.contains(account) {
                problems.append(ReviewLogProblem(sequence: nil, message: "decisions name account \(account), whose status the state does not hold"))
            }
            for id in derived.keys.sorted() where !known.contains(id) {
                problems.append(ReviewLogProblem(sequence: nil, message: "decisions name case file \(id), which the state does not hold"))
            }
            return problems
        }
    }
}
