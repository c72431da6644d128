import Synchronization
import Crypto
public import Foundation
public import NetralModel

/// A reviewer's standing on an account's stored identity: `confirmed` keeps applying it,
/// `cleared` stops it (the facts stay, for the record). No row: not reviewed, applied.
public enum AccountReviewStatus: String, Sendable, Codable, CaseIterable, SQLTextEnum {
    case confirmed
    case cleared
}

/// What a reviewer decided about an account's identity, kept in the review log beside the
/// decisions about case files (`decision` `identity-confirm` or `identity-clear`, `case_id`
/// `account:<key>`), so it is chained and verified like them.
public enum AccountDecision: String, Sendable, Codable, CaseIterable {
    case confirm = "identity-confirm"
    case clear = "identity-clear"

    public var resultingStatus: AccountReviewStatus {
        switch self {
        case .confirm: .confirmed
        case .clear: .cleared
        }
    }
}

/// An account the state holds identity facts about, with its review status.
public struct IdentifiedAccount: Sendable, Codable, Equatable {
    public var account: String
    public var platform: String
    public var handle: String?
    public var status: AccountReviewStatus?
    public var facts: [AccountIdentity]

    /// Whether its facts are applied to its items (not cleared by a reviewer).
    public var applies: Bool { status != .cleared }
}

/// A decision about an account's identity as the review log holds it.
public struct AccountReviewEntry: Sendable, Equatable, Codable {
    public var sequence: Int64
    public var account: String
    public var decision: AccountDecision
    public var note: String
    public var reviewer: String
    public var decidedAt: String
    /// SHA-256 of the facts the reviewer saw (`AccountIdentities.digest`).
    public var factsSHA256: String
    public var entryHash: String
}

public enum AccountReviewError: Error, Equatable, CustomStringConvertible {
    case noSuchAccount(String)
    case ambiguousAccount(String, matches: [String])
    case emptyReviewer
    case alreadyInStatus(String, AccountReviewStatus)

    public var description: String {
        switch self {
        case .noSuchAccount(let account):
            "the state holds no identity for account '\(account)' (give platform:id or platform:@handle, as netral accounts lists it)"
        case .ambiguousAccount(let account, let matches):
            "account '\(account)' matches \(matches.count) accounts (\(matches.prefix(5).joined(separator: ", "))); give platform:id"
        case .emptyReviewer: "a decision needs a reviewer name (--reviewer)"
        case .alreadyInStatus(let account, let status): "account \(account) is already \(status.rawValue)"
        }
    }
}

/// Identity facts per account (`account_identity`) and their review status (`account_review`).
enum AccountIdentities {
    /// The most facts kept per account: a profile holds a few, and one identity said in many
    /// posts is one fact (same source and words); beyond this a new fact is not kept.
    static let maximumFactsPerAccount = 20
    /// The most facts applied to one item (the earliest of each source first).
    static let maximumApplied = 5
    static let reviewPrefix = "account:"
    static let profileSources: [AccountIdentity.Source] = [.bio, .displayName, .profileField, .category, .governmentLink, .handle]

    static func fact(_ row: SQLRow) throws(StateRowError) -> AccountIdentity {
        let column = StateRowReader(row, table: "account_identity", key: "account", "source", "words")
        return AccountIdentity(
            account: try column("account"), kind: try column("kind"), source: try column("source"), words: try column("words"),
            excerpt: try column("excerpt", as: String.self), sourceURL: try column.optional("source_url"), seenAt: try column("seen_at"),
            caseID: try column.optional("case_id"), head: try column.optional("head"))
    }

    /// The platform part of an account key (`mastodon:123` → `mastodon`).
    static func platform(of account: String) -> String {
        account.split(separator: ":", maxSplits: 1).first.map(String.init) ?? account
    }

    /// A handle as stored: lowercased, without `@`.
    static func normalized(handle: String?) -> String? {
        guard var handle = handle?.lowercased(), !handle.isEmpty else { return nil }
        if handle.hasPrefix("@") { handle.removeFirst() }
        return handle.isEmpty ? nil : handle
    }

    /// SHA-256 of the facts as a reviewer sees them, one description a line: what a decision
    /// was made on.
    static func digest(_ facts: [AccountIdentity]) -> String {
        let text = facts.map { "\($0.kind.rawValue) \($0.source.rawValue) \($0.description)" }.joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension AccountIdentity.Kind: SQLTextEnum {}
extension AccountIdentity.Source: SQLTextEnum {}

extension StateStore {
    /// Records identity facts about one account (all `facts` share its key). `replacing`
    /// sources are the account's facts of those sources dropped first (a profile read again
    /// replaces what its last reading said); `retiredBefore` drops the account's post facts
    /// seen before that time too (its profile now says it retired or left the post). New facts
    /// beyond `maximumFactsPerAccount` are not kept; a fact already held keeps its first sighting.
    public func recordAccountIdentities(
        account: String, handle: String?, facts: [AccountIdentity], replacing: [AccountIdentity.Source] = [], retiredBefore: Date? = nil,
        at date: Date = Date()
    ) throws {
        guard !facts.isEmpty || !replacing.isEmpty || retiredBefore != nil else { return }
        let handle = AccountIdentities.normalized(handle: handle)
        try database.write { db in
            if !replacing.isEmpty {
                var arguments: SQLArguments = [account]
                for source in replacing { arguments.append(source) }
                try db.execute("DELETE FROM account_identity WHERE account = ? AND source IN (\(placeholders(replacing.count)))", arguments)
            }
            if let retiredBefore {
                try db.execute(
                    "DELETE FROM account_identity WHERE account = ? AND source = ? AND seen_at < ?",
                    [account, AccountIdentity.Source.post, retiredBefore])
            }
            var held = try db.fetchValue("SELECT COUNT(*) FROM account_identity WHERE account = ?", [account], as: Int.self) ?? 0
            for fact in facts where held < AccountIdentities.maximumFactsPerAccount {
                held += try db.execute(
                    """
                    INSERT INTO account_identity (account, platform, handle, kind, source, words, excerpt, source_url, case_id, head,
                        seen_at, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """,
                    [
                        account, AccountIdentities.platform(of: account), handle, fact.kind, fact.source, fact.words, fact.excerpt,
                        fact.sourceURL,
                        fact.caseID, fact.head, fact.seenAt, date,
                    ])
            }
            if let handle {
                // The account's handle as last seen, so a share naming it by handle finds it.
                try db.execute(
                    "UPDATE account_identity SET handle = ? WHERE account = ? AND (handle IS NULL OR handle <> ?)",
                    [handle, account, handle])
            }
        }
    }

    /// The facts applied to an account's items: those of the account with this key, or of
    /// the same platform and handle (a share names its sharer by handle), unless a reviewer
    /// cleared them; the earliest first, at most `maximumApplied`.
    public func appliedAccountIdentities(account: String, handle: String? = nil) throws -> [AccountIdentity] {
        let handle = AccountIdentities.normalized(handle: handle)
        return try database.read { db in
            let rows =
                if let handle {
                    try db.fetchAll(
                        """
                        SELECT i.* FROM account_identity i LEFT JOIN account_review r ON r.account = i.account
                        WHERE (i.account = ? OR (i.platform = ? AND i.handle = ?)) AND (r.status IS NULL OR r.status <> 'cleared')
                        ORDER BY i.seen_at, i.source, i.words LIMIT ?
                        """, [account, AccountIdentities.platform(of: account), handle, AccountIdentities.maximumFactsPerAccount])
                } else {
                    try db.fetchAll(
                        """
                        SELECT i.* FROM account_identity i LEFT JOIN account_review r ON r.account = i.account
                        WHERE i.account = ? AND (r.status IS NULL OR r.status <> 'cleared')
                        ORDER BY i.seen_at, i.source, i.words LIMIT ?
                        """, [account, AccountIdentities.maximumFactsPerAccount])
                }
            // One fact per source first (a bio and a post say more together than two posts).
            let facts = try rows.map(AccountIdentities.fact)
            var chosen: [AccountIdentity] = []
            var sources = Set<AccountIdentity.Source>()
            for fact in facts where sources.insert(fact.source).inserted { chosen.append(fact) }
            for fact in facts where chosen.count < AccountIdentities.maximumApplied && !chosen.contains(fact) { chosen.append(fact) }
            return Array(chosen.prefix(AccountIdentities.maximumApplied))
        }
    }

    /// The facts applied to an item: its author's and, for a share, its sharer's (as a scan
    /// applies them, without the scan's cache).
    public func identities(of item: Item) throws -> [AccountIdentity] {
        var result: [AccountIdentity] = []
        if let key = item.authorAccountKey { result += try appliedAccountIdentities(account: key, handle: item.author?.handle) }
        if let sharer = item.sharedBy, let key = AccountKey.make(platform: item.platform, accountID: nil, handle: sharer),
            key != item.authorAccountKey
        {
            result += try appliedAccountIdentities(account: key, handle: sharer)
        }
        return result
    }

    /// Accounts with identity facts, by key, each with its facts and review status.
    public func identifiedAccounts(limit: Int = 1000) throws -> [IdentifiedAccount] {
        try database.read { db in
            let keys = try db.fetchColumn(
                "SELECT DISTINCT account FROM account_identity ORDER BY account LIMIT ?", [limit], as: String.self)
            return try keys.map { key in try Self.identifiedAccount(key, in: db) }
        }
    }

    /// One account's facts and status, by its key or (`platform:@handle`) its handle.
    public func identifiedAccount(_ account: String) throws -> IdentifiedAccount {
        try database.read { db in try Self.identifiedAccount(Self.resolveAccount(account, in: db), in: db) }
    }

    private static func identifiedAccount(_ key: String, in db: any SQLConnection) throws -> IdentifiedAccount {
        let facts = try db.fetchAll("SELECT * FROM account_identity WHERE account = ? ORDER BY seen_at, source, words", [key])
            .map(AccountIdentities.fact)
        let handle = try db.fetchValue(
            "SELECT handle FROM account_identity WHERE account = ? AND handle IS NOT NULL LIMIT 1", [key], as: String.self)
        let status = try db.fetchValue("SELECT status FROM account_review WHERE account = ?", [key], as: AccountReviewStatus.self)
        return IdentifiedAccount(account: key, platform: AccountIdentities.platform(of: key), handle: handle, status: status, facts: facts)
    }

    /// An account key as given, or the key of the one account with that `platform:@handle`.
    private static func resolveAccount(_ given: String, in db: any SQLConnection) throws -> String {
        let wanted = given.trimmingCharacters(in: .whitespaces)
        if try db.fetchOne("SELECT 1 FROM account_identity WHERE account = ? LIMIT 1", [wanted]) != nil { return wanted }
        let parts = wanted.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let handle = AccountIdentities.normalized(handle: parts[1]) else {
            throw AccountReviewError.noSuchAccount(given)
        }
        let platform = parts[0].lowercased()
        if try db.fetchOne("SELECT 1 FROM account_identity WHERE account = ? LIMIT 1", ["\(platform):@\(handle)"]) != nil {
            return "\(platform):@\(handle)"
        }
        let matches = try db.fetchColumn(
            "SELECT DISTINCT account FROM account_identity WHERE platform = ? AND handle = ? ORDER BY account LIMIT 6", [platform, handle],
            as: String.self)
        switch matches.count {
        case 0: throw AccountReviewError.noSuchAccount(given)
        case 1: return matches[0]
        default: throw AccountReviewError.ambiguousAccount(given, matches: matches)
        }
    }

    /// Appends a reviewer's decision about an account's identity to the review log (the same
    /// chain as case files' decisions) and sets the account's status in the same transaction.
    @discardableResult
    public func recordAccountDecision(
        account given: String, decision: AccountDecision, note: String = "", reviewer: String, at date: Date = Date()
    )
        throws -> AccountReviewEntry
    {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        let reviewer = reviewer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reviewer.isEmpty else { throw AccountReviewError.emptyReviewer }
        let seal = reviewSeal.withLock { $0 }
        let entry = try database.write { db in
            try ReviewLog.lockForAppend(db)
            let account = try Self.identifiedAccount(Self.resolveAccount(given, in: db), in: db)
            if account.status == decision.resultingStatus {
                throw AccountReviewError.alreadyInStatus(account.account, decision.resultingStatus)
            }
            let decidedAt = ReviewLog.formatTime(date)
            let digest = AccountIdentities.digest(account.facts)
            // The one way into the log: chained, hashed, signed when a key is set, head moved.
            let appended = try ReviewLog.append(
                db, caseID: AccountIdentities.reviewPrefix + account.account, decision: decision.rawValue, note: note,
                reviewer: reviewer, decidedAt: decidedAt, manifestSHA256: digest, signer: seal?.signer)
            try db.execute(
                """
                INSERT INTO account_review (account, status, sequence) VALUES (?, ?, ?)
                ON CONFLICT(account) DO UPDATE SET status = excluded.status, sequence = excluded.sequence
                """, [account.account, decision.resultingStatus, appended.sequence])
            return AccountReviewEntry(
                sequence: appended.sequence, account: account.account, decision: decision, note: note, reviewer: reviewer,
                decidedAt: decidedAt, factsSHA256: digest, entryHash: appended.entryHash)
        }
        try anchorReviewHead(count: entry.sequence, entryHash: entry.entryHash, seal: seal)
        return entry
    }
}
