import Foundation
import Hummingbird
import NetralEvidence
import NetralFetch
import NetralModel
import NetralRules
import NetralStore
import NetralTestServer
import NetralTestSupport
import Testing

@testable import NetralScan

/// Account identities: what an account's profile and its own earlier posts say of who holds
/// it is kept in the state and applied to its later items, in the same run and in later
/// scans; a cleared identity stops applying; an office's own account is reported as the office.
@Suite(.serialized) struct AccountIdentityTests {
    let fixtures = (repositoryRoot as NSString).appendingPathComponent("Fixtures/sources/accounts")
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")

    func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))
    }

    static func json(_ data: Data) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func ruleSet() throws -> RuleSet { try PackLoader.load(paths: [rules]) }

    func scan(_ target: Target, in folder: TemporaryFolder) async throws -> ScanSummary {
        let config = ScanConfig(
            statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence", fetch: FetchOptions(perHostDelay: 0),
            targets: [target])
        return try await Scanner(config: config, ruleSet: try ruleSet()).run(logger: quietLogger)
    }

    /// A fake Mastodon instance serving one account: its lookup, and `statuses()` as its timeline.
    func withAccount<T: Sendable>(
        _ account: Data, statuses: @escaping @Sendable () -> Data, _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.get("api/v1/accounts/lookup") { _, _ in Self.json(account) }
        router.get("api/v1/accounts/:id/statuses") { _, _ in Self.json(statuses()) }
        return try await TestServer.withServer(router: router, logger: quietLogger, body)
    }

    func item(_ finding: ScanFinding) throws -> Item {
        try NetralJSON.decoder().decode(Item.self, from: Data(contentsOf: URL(fileURLWithPath: finding.caseFile + "/item.json")))
    }

    /// Scans the teacher's account twice: first her introduction ("saya PNS di Dinas
    /// Pendidikan"), then her call to vote, which says nothing of who she is. `between` runs
    /// on the state in between.
    func scanTheTeacherTwice(in folder: TemporaryFolder, between: @Sendable (StateStore) throws -> Void = { _ in }) async throws -> (
        ScanSummary, ScanSummary
    ) {
        let account = try fixture("mastodon-account-tanpa-bio.json")
        let introduction = try fixture("mastodon-statuses-perkenalan.json"), call = try fixture("mastodon-statuses-ajakan.json")
        let served = ServedCount()
        return try await withAccount(account, statuses: { served.next() == 0 ? introduction : call }) { base in
            let target = Target(id: "guru", kind: .mastodon, url: base + "@rina.kusuma", allowPrivate: true)
            let first = try await scan(target, in: folder)
            try between(try StateStore(location: .sqlite(path: folder.path + "/state.sqlite")))
            return (first, try await scan(target, in: folder))
        }
    }

    @Test func anEarlierFirstPersonPostIdentifiesTheAccountInALaterScan() async throws {
        let folder = try TemporaryFolder()
        let (first, second) = try await scanTheTeacherTwice(in: folder)
        #expect(first.failures.isEmpty && first.findings.isEmpty, "\(first.findings)")
        #expect(second.failures.isEmpty, "\(second.failures)")
        let violation = try #require(second.findings.first { $0.findingClass == .violation }, "\(second.findings)")
        #expect(violation.act == "A2" && violation.rule == "asn-kampanye-paslon")
        let item = try item(violation)
        let identity = try #require(item.accountIdentities.first)
        #expect(identity.source == .post && identity.words.hasPrefix("PNS di Dinas Pendidikan"), "\(item.accountIdentities)")
        #expect(identity.sourceURL == "https://sosial.example/@rina.kusuma/111400000000000011")
        #expect(identity.provenance == "identitas dari unggahan 2 Nov 2023")
        let report = try String(contentsOfFile: violation.caseFile + "/report.html", encoding: .utf8)
        #expect(report.contains("Asal identitas") && report.contains("identitas dari unggahan 2 Nov 2023"), "\(report)")
        #expect(report.contains("https://sosial.example/@rina.kusuma/111400000000000011"))
        let store = try StateStore(location: .sqlite(path: folder.path + "/state.sqlite"))
        let accounts = try store.identifiedAccounts()
        #expect(accounts.count == 1 && accounts.allSatisfy { $0.facts.allSatisfy { $0.source == .post } }, "\(accounts)")
    }

    @Test func aClearedIdentityStopsApplying() async throws {
        let folder = try TemporaryFolder()
        let (_, second) = try await scanTheTeacherTwice(in: folder) { store in
            let account = try #require(try store.identifiedAccounts().first)
            try store.recordAccountDecision(account: account.account, decision: .clear, note: "Guru swasta.", reviewer: "Dodi")
        }
        #expect(second.failures.isEmpty && second.findings.allSatisfy { $0.findingClass != .violation }, "\(second.findings)")
        let store = try StateStore(location: .sqlite(path: folder.path + "/state.sqlite"))
        #expect(try store.verifyReviewLog().isEmpty)
    }

    @Test func anOfficeAccountsShareOfCampaignContentNamesTheOfficeAsTerlapor() async throws {
        let folder = try TemporaryFolder()
        let account = try fixture("mastodon-account-kecamatan.json"), statuses = try fixture("mastodon-statuses-kecamatan.json")
        let summary = try await withAccount(account, statuses: { statuses }) { base in
            try await scan(Target(id: "kecamatan", kind: .mastodon, url: base + "@kec.sukamaju", allowPrivate: true), in: folder)
        }
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        let violation = try #require(summary.findings.first { $0.findingClass == .violation }, "\(summary.findings)")
        #expect(violation.act == "A6" && violation.rule == "asn-membagikan-ulang-kampanye")
        let item = try item(violation)
        let office = try #require(item.accountIdentities.first { $0.kind == .office })
        #expect(office.words == "Kecamatan Sukamaju" && office.head == "Camat: Drs. H. Ahmad Fauzi")
        let report = try String(contentsOfFile: violation.caseFile + "/report.html", encoding: .utf8)
        #expect(report.contains("Terlapor") && report.contains("Kecamatan Sukamaju (akun resmi instansi pemerintah)"))
        #expect(report.contains("Camat: Drs. H. Ahmad Fauzi"))
    }

    // MARK: - Reading profiles and applying what they say

    func profile(name: String? = nil, handle: String = "@rina@sosial.example", bio: String? = nil, category: String? = nil)
        -> AccountProfile
    {
        AccountProfile(
            platform: "mastodon", accountID: "77", handle: handle, displayName: name, bio: bio, category: category,
            profileURL: "https://sosial.example/@rina", observedAt: Date(timeIntervalSince1970: 1_704_000_000))
    }

    @Test func aProfileBioIdentifiesTheAccountForAPostThatDoesNotSayWhoSpeaks() throws {
        let rules = try ruleSet()
        var workspace = RuleSet.Workspace()
        let reading = try #require(
            AccountIdentityReader(ruleSet: rules).read(
                profile(name: "Rina Kusuma", bio: "Guru SDN 4 Sukamaju | pecinta kopi dan kucing"), workspace: &workspace))
        let fact = try #require(reading.facts.first { $0.source == .bio }, "\(reading.facts)")
        #expect(fact.words == "Guru SDN 4 Sukamaju" && fact.account == "mastodon:77" && !reading.retired)
        // A post found by a hashtag: its author named only by handle, no bio, no self-mention.
        let post = Item(
            sourceURL: "https://sosial.example/@rina/9", platform: "mastodon", author: Author(handle: "@rina@sosial.example"),
            publishedAt: Date(timeIntervalSince1970: 1_705_800_000), body: "Tanggal 14 Februari ayo coblos nomor 2! #PrabowoGibran2024")
        let judge = Judge(pipeline: CapturePipeline(ruleSet: rules))
        var judged = JudgedItem(item: post, evaluation: rules.evaluate(post))
        #expect(judged.findings.allSatisfy { $0.findingClass != .violation })
        judge.apply(reading.facts, to: &judged, workspace: &workspace)
        let violation = try #require(judged.findings.first { $0.findingClass == .violation })
        #expect(violation.rule == "asn-kampanye-paslon")
        #expect(
            violation.hits.contains { $0.field == .accountIdentity && $0.quote.hasPrefix("identitas dari bio akun: «Guru SDN 4 Sukamaju") })
    }

    @Test(arguments: [
        "Pensiunan guru SDN 4 Sukamaju. Menikmati hari tua.",
        "Mantan kades Mekarjaya 2013-2019",
        "Purnawirawan, pensiunan PNS Dinas Kesehatan",
    ])
    func aRetiredOrFormerBioIdentifiesNobody(_ bio: String) throws {
        var workspace = RuleSet.Workspace()
        let reading = try #require(AccountIdentityReader(ruleSet: try ruleSet()).read(profile(bio: bio), workspace: &workspace))
        #expect(reading.facts.isEmpty, "\(reading.facts)")
        #expect(reading.retired)
    }

    @Test(arguments: ["Istri PNS Dinas Kesehatan, ibu dua anak", "Anak Pak Kades Mekarjaya", "Suami saya guru PNS, saya pedagang"])
    func aRelativesIdentityIsNotTheHolders(_ bio: String) throws {
        var workspace = RuleSet.Workspace()
        let reading = try #require(AccountIdentityReader(ruleSet: try ruleSet()).read(profile(bio: bio), workspace: &workspace))
        #expect(reading.facts.isEmpty, "\(reading.facts)")
    }

    @Test func officesAreRecognisedByTheirOwnNamesOnly() {
        #expect(OfficeAccount.recognise(profile(name: "Pemerintah Desa Mekarjaya"))?.name == "Pemerintah Desa Mekarjaya")
        #expect(OfficeAccount.recognise(profile(name: "Budi", handle: "@kec.sukamaju@sosial.example"))?.source == .handle)
        #expect(OfficeAccount.recognise(profile(name: "SDN 4 Cibadak"))?.name == "SDN 4 Cibadak")
        #expect(
            OfficeAccount.recognise(profile(name: "Puskesmas Cibadak", bio: "Kepala Puskesmas: dr. Sari"))?.head
                == "Kepala Puskesmas: dr. Sari")
        #expect(OfficeAccount.recognise(profile(name: "Layanan Warga", category: "Government Organization"))?.source == .category)
        #expect(OfficeAccount.recognise(profile(name: "Budi", bio: "Akun resmi Dinas Pendidikan Kabupaten Sukamaju"))?.source == .bio)
        // Run by citizens, or not an office at all.
        #expect(OfficeAccount.recognise(profile(name: "Info Kecamatan Sukamaju")) == nil)
        #expect(OfficeAccount.recognise(profile(name: "Alumni SDN 4 Cibadak")) == nil)
        #expect(OfficeAccount.recognise(profile(name: "Desa Wisata Cibuntu")) == nil)
        #expect(OfficeAccount.recognise(profile(name: "Desa")) == nil)
    }
}

/// Counts calls across the server's tasks.
final class ServedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
