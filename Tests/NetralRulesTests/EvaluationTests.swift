import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralRules

@Suite struct EvaluationTests {
    let ruleSet: RuleSet

    init() throws {
        ruleSet = try Self.ruleSet(nearWords: 3)
    }

    /// The test packs, with the `dekat` rule's `near` distance in words.
    static func ruleSet(nearWords words: Int) throws -> RuleSet {
        let folder = try TemporaryFolder()
        try folder.write("a.yaml", PackLoaderTests.candidates)
        try folder.write("b.yaml", PackLoaderTests.asn)
        try folder.write("c.yaml", """
        format: 1
        pack: dekat
        version: "1"
        rules:
          - id: dekat
            class: report
            act: A8
            severity: low
            when: near(asn, support, \(words)) and not candidate
        """)
        return try PackLoader.load(paths: [folder.path])
    }

    func rules(_ item: Item) -> [String] {
        ruleSet.evaluate(item).findings.map(\.rule).sorted()
    }

    /// A workspace judges with the rule set it is given, even after another rule set of the
    /// same shape (a reloaded pack with one number changed), and a copy of a workspace judges
    /// on its own.
    @Test func aWorkspaceFollowsTheRuleSetItIsGiven() throws {
        let near = try Self.ruleSet(nearWords: 1), far = try Self.ruleSet(nearWords: 6)
        let item = Item(sourceURL: "https://contoh.test/w", publishedAt: date("2024-01-20"), body: "Pak camat kemarin bilang ayo coblos")
        var workspace = RuleSet.Workspace()
        #expect(near.evaluate(item, workspace: &workspace).findings.map(\.rule).contains("dekat") == false)
        #expect(far.evaluate(item, workspace: &workspace).findings.map(\.rule).contains("dekat"))
        #expect(near.evaluate(item, workspace: &workspace).findings.map(\.rule).contains("dekat") == false)
        var copy = workspace
        #expect(far.evaluate(item, workspace: &copy).findings.map(\.rule).contains("dekat"))
        #expect(near.evaluate(item, workspace: &workspace).findings.map(\.rule).contains("dekat") == false)
    }

    @Test func firesWhenAllPartsHoldAndExplainsWhy() throws {
        let item = Item(sourceURL: "https://contoh.test/a", publishedAt: date("2024-01-20"), body: "Saya camat di sini, ayo coblos Prabowo!")
        let evaluation = ruleSet.evaluate(item)
        let finding = try #require(evaluation.findings.first { $0.rule == "asn-kampanye" })
        #expect(finding.act == "A2")
        #expect(finding.severity == .high)
        #expect(finding.score == 1.0)
        #expect(finding.fired == ["asn", "candidate", "support"])
        #expect(finding.unless == "context")
        #expect(Set(finding.hits.map(\.quote)) == ["camat", "coblos", "Prabowo"])
        let hit = try #require(finding.hits.first { $0.signal == "paslon-02" })
        let bytes = Array(item.body.utf8)
        #expect(String(decoding: bytes[hit.start..<hit.end], as: UTF8.self) == "Prabowo")
        #expect(hit.field == .body)
        #expect(finding.id.count == 24)
    }

    @Test func contextSuppresses() {
        let item = Item(sourceURL: "https://contoh.test/b", body: "Bawaslu: camat dilarang mengajak coblos Prabowo demi netralitas.")
        #expect(!rules(item).contains("asn-kampanye"))
    }

    @Test func matchesWholeWordsOnly() {
        // "pilihan" and "camatan" are other words; "Prabowonya" too.
        let item = Item(sourceURL: "https://contoh.test/c", body: "Pilihan camatan Prabowonya mantap")
        #expect(ruleSet.hits(in: item).isEmpty)
    }

    @Test func exactCaseTermIgnoresThePrayer() {
        let prayer = Item(sourceURL: "https://contoh.test/d", author: Author(bio: "PNS"), body: "Aamiin, amin, Amin. Pilih yang terbaik.")
        #expect(!ruleSet.hits(in: prayer).contains { $0.signal == "tiket-amin" })
        let ticket = Item(sourceURL: "https://contoh.test/e", body: "Dukung AMIN!")
        #expect(ruleSet.hits(in: ticket).contains { $0.signal == "tiket-amin" })
    }

    @Test func aSloganAloneIsNotACandidate() {
        // ASN + support + the uppercase AMIN alone: 2 of (slogan, gesture) is not met.
        let item = Item(sourceURL: "https://contoh.test/f", author: Author(bio: "PNS Dinas Pertanian"), body: "AMIN ya Rabbal alamin. Pilih menu sehat.")
        #expect(rules(item).isEmpty)
    }

    @Test func hashtagsMatchAsHashtagsAndAsWords() {
        let item = Item(sourceURL: "https://contoh.test/g", body: "#PrabowoGibran2024 dan #Gibran")
        let terms = ruleSet.hits(in: item).map(\.term)
        #expect(terms.contains("#PrabowoGibran2024"))
        #expect(terms.contains("gibran"))
        let plain = Item(sourceURL: "https://contoh.test/h", body: "PrabowoGibran2024 tanpa tanda pagar")
        #expect(ruleSet.hits(in: plain).isEmpty)
    }

    @Test func fieldsAreMatchedSeparately() throws {
        let item = Item(sourceURL: "https://contoh.test/i", author: Author(name: "Budi", bio: "Kepala Dinas Pendidikan"), body: "Mari dukung Gibran")
        let finding = try #require(ruleSet.evaluate(item).findings.first { $0.rule == "asn-kampanye" })
        #expect(finding.hits.contains { $0.field == .authorBio && $0.quote == "Kepala Dinas" })
    }

    @Test func nearCountsWordsWithinOneField() {
        #expect(rules(Item(sourceURL: "https://contoh.test/j", body: "camat ayo coblos")).contains("dekat"))
        #expect(!rules(Item(sourceURL: "https://contoh.test/k", body: "camat satu dua tiga empat lima coblos")).contains("dekat"))
    }

    @Test func outsideTheWindowHalvesTheScore() throws {
        let item = Item(sourceURL: "https://contoh.test/l", publishedAt: date("2025-06-01"), body: "Camat ajak coblos Prabowo")
        let finding = try #require(ruleSet.evaluate(item).findings.first { $0.rule == "asn-kampanye" })
        #expect(finding.score == 0.5)
        #expect(finding.scoreNotes.first?.contains("di luar masa berlaku") == true)
    }

    @Test func findingIDsAreStableAndChangeWithContent() throws {
        let first = Item(sourceURL: "https://contoh.test/m", body: "Camat ajak coblos Prabowo")
        var edited = first
        edited.body += " sekarang!"
        let a = try #require(ruleSet.evaluate(first).findings.first).id
        let b = try #require(ruleSet.evaluate(first).findings.first).id
        let c = try #require(ruleSet.evaluate(edited).findings.first).id
        #expect(a == b)
        #expect(a != c)
    }

    @Test func normalizationCatchesObfuscatedSpellings() {
        for text in ["Camat ajak coblos pr4bowo", "Camat ajak coblos PRABOWOOO", "Camat ajak coblos #Prabowo", "Camat ajak mencoblos Prabowo"] {
            #expect(rules(Item(sourceURL: "https://contoh.test/n", body: text)).contains("asn-kampanye"), "\(text)")
        }
    }

    @Test func wordsInsideCamelCaseHashtagsMatch() throws {
        let item = Item(sourceURL: "https://contoh.test/o", body: "Camat ikut #DukungPrabowo hari ini")
        let finding = try #require(ruleSet.evaluate(item).findings.first { $0.rule == "asn-kampanye" })
        let hit = try #require(finding.hits.first { $0.signal == "paslon-02" })
        #expect(hit.quote == "Prabowo")
        #expect(finding.hits.contains { $0.quote == "Dukung" })
    }

    @Test func nipAndGovernmentAddressesAreASNSignals() throws {
        let valid = Item(sourceURL: "https://contoh.test/p", author: Author(bio: "NIP 19850312 201001 1 004"), body: "Ayo coblos Prabowo")
        let finding = try #require(ruleSet.evaluate(valid).findings.first { $0.rule == "asn-kampanye" })
        let nip = try #require(finding.hits.first { $0.signal == "nip" })
        #expect(nip.term == "NIP PNS")
        #expect(nip.quote == "•••••••• •••••• • 004")
        // A birth date of 31 February is no NIP; neither is a 16-digit NIK.
        #expect(rules(Item(sourceURL: "https://contoh.test/q", author: Author(bio: "NIP 19850231 201001 1 004"), body: "Ayo coblos Prabowo")).isEmpty)
        #expect(rules(Item(sourceURL: "https://contoh.test/r", author: Author(bio: "NIK 6472031203850004"), body: "Ayo coblos Prabowo")).isEmpty)
        let pppk = ruleSet.hits(in: Item(sourceURL: "https://contoh.test/s", body: "NI PPPK 199001012024211003"))
        #expect(pppk.contains { $0.signal == "nip" && $0.term == "NI PPPK" })
        let mail = ruleSet.hits(in: Item(sourceURL: "https://contoh.test/t", author: Author(bio: "surel: budi.s@pnsmail.go.id, situs https://bkpsdm.contohkab.go.id/profil")))
        #expect(mail.contains { $0.signal == "email-pemerintah" && $0.quote == "budi.s@pnsmail.go.id" })
        #expect(mail.contains { $0.signal == "domain-pemerintah" && $0.term == "domain bkpsdm.contohkab.go.id" })
        #expect(ruleSet.hits(in: Item(sourceURL: "https://contoh.test/u", body: "kirim ke toko@gmail.com")).isEmpty)
    }

    @Test func aKnownSubjectIsTheStrongestASNSignal() throws {
        let item = Item(sourceURL: "https://contoh.test/v", body: "Ayo coblos Prabowo!", subject: Subject(name: "Budi", role: "Staf", agency: "Dinas Contoh"))
        let finding = try #require(ruleSet.evaluate(item).findings.first { $0.rule == "asn-kampanye" })
        #expect(finding.hits.contains { $0.signal == "subjek-asn" && $0.field == .subject })
    }

    @Test func packExamplesHold() {
        for pack in ruleSet.packs {
            for example in pack.examples {
                let fired = Set(ruleSet.evaluate(example.item).findings.map(\.rule))
                #expect(fired == Set(example.expect), "\(example.location)")
            }
        }
    }

    func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)!
    }
}

/// The shipped packs' own examples must hold: analysts rely on them as regression tests.
@Suite struct ShippedPackExampleTests {
    @Test func everyExampleOfEveryShippedPackHolds() throws {
        let ruleSet = try PackLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules")])
        let examples = ruleSet.packs.flatMap(\.examples)
        #expect(examples.count >= 10)
        for example in examples {
            let fired = Set(ruleSet.evaluate(example.item).findings.map(\.rule))
            #expect(fired == Set(example.expect), "\(example.location): expected \(example.expect.sorted()), got \(fired.sorted())")
        }
    }
}

/// A boost or repost by a scanned account whose holder the analyst knows to be ASN: sharing
/// someone else's campaign post is A6, never the sharer's own campaigning (A2).
@Suite struct SharedPostTests {
    let ruleSet: RuleSet

    init() throws {
        ruleSet = try PackLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules")])
    }

    func item(_ body: String, sharedBy: String?) -> Item {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        var item = Item(
            sourceURL: "https://mastodon.contoh/@relawan/112233",
            author: Author(name: "Relawan Bersatu", handle: "@relawan@mastodon.contoh"), publishedAt: formatter.date(from: "2024-01-20"), body: body,
            subject: Subject(name: "Budi Santoso", role: "Camat", agency: "Kecamatan Sungai Jernih")
        )
        if let sharedBy { item.metadata["boosted_by"] = sharedBy }
        return item
    }

    func rules(_ item: Item) -> [String] {
        ruleSet.evaluate(item).findings.map(\.rule).sorted()
    }

    @Test func sharingACampaignPostIsA6() throws {
        let shared = item("Ayo coblos Prabowo-Gibran tanggal 14 Februari! #PrabowoGibran2024", sharedBy: "@budi@mastodon.contoh")
        #expect(rules(shared) == ["asn-membagikan-ulang-kampanye"])
        let finding = try #require(ruleSet.evaluate(shared).findings.first)
        #expect(finding.act == "A6")
        let subject = try #require(finding.hits.first { $0.signal == "subjek-membagikan-ulang" })
        #expect(subject.quote.contains("membagikan ulang sebagai @budi@mastodon.contoh"))
        // The same words written by the subject are the subject's own campaigning.
        #expect(rules(item("Ayo coblos Prabowo-Gibran tanggal 14 Februari! #PrabowoGibran2024", sharedBy: nil)) == ["asn-kampanye-paslon"])
    }

    @Test func sharingNewsOrNeutralityMaterialIsNothing() {
        #expect(rules(item("Prabowo meninjau lokasi banjir di Samarinda hari ini bersama warga.", sharedBy: "@budi@mastodon.contoh")).isEmpty)
        #expect(rules(item("Bawaslu mengingatkan: ASN wajib netral, dilarang ikut kampanye Prabowo, Anies maupun Ganjar.",
                           sharedBy: "@budi@mastodon.contoh")).isEmpty)
    }

    @Test func aRepostOnBlueskyCountsToo() {
        var shared = item("Salam 3 jari! Dukung Ganjar-Mahfud, sat set tas tes ✊", sharedBy: nil)
        shared.metadata["reposted_by"] = "@budi.bsky.social"
        #expect(rules(shared) == ["asn-membagikan-ulang-kampanye"])
    }
}
