import Foundation
import NetralModel
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@_spi(Testing) @testable import NetralStore

/// Account identities in the state (`account_identity`, `account_review`): kept per account
/// with provenance, capped, replaced by a newer profile reading, and confirmed or cleared
/// through the review log, on SQLite and (when configured) PostgreSQL.
@Suite struct AccountIdentityStoreTests {
    let account = "mastodon:109900000000000011"
    let day = Date(timeIntervalSince1970: 1_700_000_000)

    func bio(_ words: String, at date: Date) -> AccountIdentity {
        AccountIdentity(
            account: account, source: .bio, words: words, excerpt: "\(words) | pecinta kopi", sourceURL: "https://sosial.example/@rina",
            seenAt: date)
    }

    @Test(arguments: Backend.available)
    func theMigrationMakesTheTablesAndFactsAreKeptWithProvenance(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        #expect(try Migrations.applied(store.database).contains("v6-account-identities"))
        let post = AccountIdentity(
            account: account, source: .post, words: "PNS di Dinas Pendidikan", excerpt: "Sudah tiga tahun saya PNS di Dinas Pendidikan.",
            sourceURL: "https://sosial.example/@rina/1", seenAt: day, caseID: "ab12cd34ef")
        try store.recordAccountIdentities(
            account: account, handle: "@Rina.Kusuma@sosial.example", facts: [bio("Guru SDN 4", at: day), post])
        // The same words from another post are one fact, with its first sighting.
        var again = post
        again.sourceURL = "https://sosial.example/@rina/2"
        try store.recordAccountIdentities(account: account, handle: nil, facts: [again])
        let applied = try store.appliedAccountIdentities(account: account)
        #expect(applied.count == 2)
        #expect(applied.first { $0.source == .post }?.sourceURL == "https://sosial.example/@rina/1")
        #expect(applied.first { $0.source == .post }?.caseID == "ab12cd34ef")
        #expect(applied.first { $0.source == .bio }?.excerpt == "Guru SDN 4 | pecinta kopi")
        // A share names its sharer by handle: found through the handle the profile gave.
        #expect(
            try store.appliedAccountIdentities(account: "mastodon:@rina.kusuma@sosial.example", handle: "@rina.kusuma@sosial.example").count
                == 2)
        #expect(try store.appliedAccountIdentities(account: "mastodon:@lain@sosial.example", handle: "@lain@sosial.example").isEmpty)
        let listed = try store.identifiedAccounts()
        #expect(listed.map(\.account) == [account] && listed[0].handle == "rina.kusuma@sosial.example" && listed[0].status == nil)
    }

    @Test(arguments: Backend.available)
    func aProfileReadAgainReplacesItsFactsAndARetiredOneDropsEarlierPosts(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        let post = AccountIdentity(account: account, source: .post, words: "ASN", excerpt: "Saya ASN", seenAt: day)
        try store.recordAccountIdentities(account: account, handle: nil, facts: [bio("Guru SDN 4", at: day), post])
        try store.recordAccountIdentities(
            account: account, handle: nil, facts: [bio("Kepala SDN 4", at: day + 60)], replacing: [.bio, .displayName])
        #expect(try store.appliedAccountIdentities(account: account).map(\.words).sorted() == ["ASN", "Kepala SDN 4"])
        // "Pensiunan guru" now: no profile fact, and the earlier post no longer speaks for the account.
        try store.recordAccountIdentities(account: account, handle: nil, facts: [], replacing: [.bio], retiredBefore: day + 120)
        #expect(try store.appliedAccountIdentities(account: account).isEmpty)
    }

    @Test(arguments: Backend.available)
    func whatIsStoredPerAccountIsCapped(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        let many = (0..<30).map { index in
            AccountIdentity(
                account: account, source: .post, words: "ASN \(index)", sourceURL: "https://sosial.example/@rina/\(index)", seenAt: day)
        }
        try store.recordAccountIdentities(account: account, handle: nil, facts: many)
        try store.recordAccountIdentities(account: account, handle: nil, facts: [bio("Guru", at: day)])
        #expect(try store.identifiedAccount(account).facts.count == AccountIdentities.maximumFactsPerAccount)
        #expect(try store.appliedAccountIdentities(account: account).count == AccountIdentities.maximumApplied)
    }

    @Test(arguments: Backend.available)
    func aClearedIdentityIsNoLongerAppliedAndTheDecisionsAreInTheVerifiedLog(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        try store.recordAccountIdentities(account: account, handle: "@rina.kusuma@sosial.example", facts: [bio("Guru SDN 4", at: day)])
        let cleared = try store.recordAccountDecision(
            account: "mastodon:@rina.kusuma@sosial.example", decision: .clear, note: "Guru honorer swasta, bukan ASN.", reviewer: "Dodi")
        #expect(cleared.account == account && cleared.sequence == 1)
        #expect(try store.appliedAccountIdentities(account: account).isEmpty)
        #expect(try store.identifiedAccount(account).status == .cleared)
        #expect(throws: AccountReviewError.alreadyInStatus(account, .cleared)) {
            try store.recordAccountDecision(account: account, decision: .clear, reviewer: "Dodi")
        }
        let confirmed = try store.recordAccountDecision(account: account, decision: .confirm, reviewer: "Rina")
        #expect(confirmed.sequence == 2)
        #expect(try store.appliedAccountIdentities(account: account).count == 1)
        #expect(try store.accountDecisions(account: account).map(\.decision) == [.clear, .confirm])
        // The account decisions share the chain with case files' and verify with it; the
        // case files' log is unaffected.
        #expect(try store.reviewLog().isEmpty)
        #expect(try store.verifyReviewLog().isEmpty)
        try database.tamper("UPDATE account_review SET status = 'cleared'")
        #expect(try store.verifyReviewLog().map(\.message).contains { $0.contains("account \(account) is marked 'cleared'") })
        #expect(throws: AccountReviewError.noSuchAccount("mastodon:@siapa@sosial.example")) {
            try store.recordAccountDecision(account: "mastodon:@siapa@sosial.example", decision: .clear, reviewer: "Dodi")
        }
    }
}
