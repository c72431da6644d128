import Foundation
import NetralModel
import NetralRules
import NetralStore

/// Account identities in the sink: what profiles (`saw`), first-person posts and watchlist
/// subjects say of an account is recorded in the state, and every item of an identified
/// account (or shared by one) is judged with it as the holder's own identity. The state is
/// shared, so other workers and later scans apply it too; an account is read from the state
/// once per run, and again after this run records more about it.
extension PageSink {
    /// The most facts applied to one item.
    static let maximumAppliedIdentities = 5
    /// The most accounts kept in `identityCache`; past it the cache starts again (each account
    /// is then read once more).
    static let maximumCachedAccounts = 50_000

    /// Records the profiles read since the last page: a profile read again replaces what its
    /// last reading said; one that names its identity only as retired or former drops the
    /// account's earlier post facts.
    func recordProfiles() throws {
        guard !pendingProfiles.isEmpty else { return }
        let readings = pendingProfiles
        pendingProfiles = []
        for reading in readings {
            try Self.state {
                try store.recordAccountIdentities(
                    account: reading.account, handle: reading.handle, facts: reading.facts,
                    replacing: AccountIdentityReading.profileSources,
                    retiredBefore: reading.retired ? reading.seenAt : nil)
            }
            identityCache[reading.account] = nil
        }
    }

    /// Gives each item of the page the identities its account holds (the state's, and what the
    /// page's own first-person items say of their authors) and judges it again when they differ
    /// from those it was judged with.
    func applyIdentities(to page: inout JudgedPage) throws {
        var taught: [String: [AccountIdentity]] = [:]
        for judged in page.items { for fact in judged.learned { taught[fact.account, default: []].append(fact) } }
        for index in page.items.indices {
            let item = page.items[index].item
            var known = try storedIdentities(of: item)
            if let key = item.authorAccountKey, item.sharedBy == nil, let facts = taught[key] {
                for fact in facts where !known.contains(where: { $0.source == fact.source && $0.words == fact.words }) {
                    known.append(fact)
                }
            }
            guard !known.isEmpty || !item.accountIdentities.isEmpty else { continue }
            judge.apply(Array(known.prefix(Self.maximumAppliedIdentities)), to: &page.items[index], workspace: &workspace)
        }
    }

    /// What the state holds of the item's author and, for a share, of the sharer. Facts the
    /// item already carries are left out: its author's own bio or name, the target's subject.
    func storedIdentities(of item: Item) throws -> [AccountIdentity] {
        var result: [AccountIdentity] = []
        if let key = item.authorAccountKey {
            var facts = try cachedIdentities(key, handle: item.author?.handle)
            if item.subject != nil { facts.removeAll { $0.source == .subject } }
            if item.author?.bio != nil { facts.removeAll { $0.kind == .asn && $0.source == .bio } }
            if item.author?.name != nil { facts.removeAll { $0.kind == .asn && $0.source == .displayName } }
            result += facts
        }
        if let sharer = item.sharedBy, let key = AccountKey.make(platform: item.platform, accountID: nil, handle: sharer),
            key != item.authorAccountKey
        {
            result += try cachedIdentities(key, handle: sharer).filter { item.subject == nil || $0.source != .subject }
        }
        return result
    }

    private func cachedIdentities(_ key: String, handle: String?) throws -> [AccountIdentity] {
        if let cached = identityCache[key] { return cached }
        let facts = try Self.state { try store.appliedAccountIdentities(account: key, handle: handle) }
        if identityCache.count >= Self.maximumCachedAccounts { identityCache.removeAll(keepingCapacity: true) }
        identityCache[key] = facts
        return facts
    }

    /// Records what an item said of its author in the first person, with its case file.
    func recordLearned(_ learned: [AccountIdentity], caseID: String?) throws {
        guard let account = learned.first?.account else { return }
        let facts = learned.map { fact in
            var fact = fact
            fact.caseID = caseID
            return fact
        }
        try Self.state { try store.recordAccountIdentities(account: account, handle: nil, facts: facts) }
        identityCache[account] = nil
    }

    /// A target's watchlist subject describes the author of each item it reads (not of one it
    /// shares): recorded once per account per run, so other targets that meet the account
    /// (a hashtag, a campaign account's likes) know it too. The NIP is never stored here.
    func recordSubject(of item: Item, target: Target) throws {
        guard let subject = target.subject, item.sharedBy == nil, item.campaignInteraction == nil, let key = item.authorAccountKey,
            !subjectsRecorded.contains(key)
        else { return }
        subjectsRecorded.insert(key)
        let described = [subject.role, subject.agency].compactMap { $0 }.joined(separator: ", ")
        guard !described.isEmpty else { return }
        let excerpt = [subject.name, described].compactMap { $0 }.joined(separator: "; ") + " (target \(target.id))"
        let fact = AccountIdentity(account: key, source: .subject, words: described, excerpt: excerpt, seenAt: Date())
        try Self.state { try store.recordAccountIdentities(account: key, handle: item.author?.handle, facts: [fact]) }
        identityCache[key] = nil
    }
}

/// Sources a profile reading speaks for (replaced at each reading).
enum AccountIdentityReading {
    static let profileSources: [AccountIdentity.Source] = [.bio, .displayName, .profileField, .category, .governmentLink, .handle]
}
