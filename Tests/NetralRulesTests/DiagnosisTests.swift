import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralRules

/// The pack-language features behind issue 20: fillers, open names and person signals, the
/// `[tag]` and `[window]` scopes, near misses and held-back rules, and `expect_includes`.
@Suite struct DiagnosisTests {
    static let pack = """
    format: 1
    pack: uji-diagnosis
    version: "1"
    signals:
      status: {kind: asn, terms: [pns, kepala desa]}
      saya: {kind: speaker, identifies: {target: asn, after: 1}, terms: [saya, kami]}
      pengisi: {kind: filler, terms: [juga, jg, kan, dari]}
      sapaan: {kind: person, terms: [pak, bapak]}
      ajakan: {kind: support, terms: [{term: coblos, affixes: verb}, {term: pilih, affixes: verb}]}
      puji: {kind: support, terms: [sudah terbukti, harus menang]}
      netral: {kind: context, terms: [netralitas, bawaslu]}
    rules:
      - {id: ajak-calon, act: A2, severity: high, when: "status[self] and candidate and ajakan", unless: netral}
      - {id: puji-calon, act: A2, severity: high, when: "status[self] and candidate[window] and near(puji, candidate, 3)"}
      - {id: tagar-calon, act: A2, severity: high, when: "status[self] and candidate[tag]"}
      - {id: pilih-orang, act: A2, severity: high, when: "status[self] and near(ajakan, sapaan, 1)"}
    """

    let ruleSet: RuleSet

    init() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.yaml", PackLoaderTests.candidates)
        try folder.write("b.yaml", Self.pack)
        ruleSet = try PackLoader.load(paths: [folder.path])
    }

    func evaluate(_ text: String, bio: String? = nil, published: String? = "2024-01-20") -> Evaluation {
        let date = published.flatMap { ISO8601DateFormatter().date(from: $0 + "T10:00:00Z") }
        return ruleSet.evaluate(Item(sourceURL: "x", author: bio.map { Author(bio: $0) }, publishedAt: date, body: text))
    }

    func rules(_ text: String, bio: String? = nil, published: String? = "2024-01-20") -> [String] {
        evaluate(text, bio: bio, published: published).findings.map(\.rule).sorted()
    }

    @Test func fillersAndNamesExtendAMarkersReach() {
        #expect(rules("sy jg pns coblos prabowo").isEmpty, "sy is not a marker of this pack")
        #expect(rules("saya jg kan pns, coblos prabowo") == ["ajak-calon"])
        #expect(rules("kami dari Forum Paguyuban Kepala Desa coblos prabowo") == ["ajak-calon"])
        #expect(rules("Saya Budi Santoso Kepala Desa Sukamaju coblos prabowo") == ["ajak-calon"])
        // A sentence end after the filler, or another term inside the capitalised words, ends it.
        #expect(rules("saya juga. Pns di sana coblos prabowo").isEmpty)
        #expect(rules("Saya Pilih Kepala Desa Yang Coblos Prabowo").isEmpty)
        // Fillers and markers never satisfy a condition themselves.
        let hits = evaluate("saya juga pns, coblos prabowo").findings.flatMap(\.hits)
        #expect(!hits.contains { $0.kind == "filler" || $0.kind == "speaker" })
    }

    @Test func aPersonHitNeedsACapitalisedNameAndCoversIt() throws {
        let named = evaluate("pilih Pak Musa Ahmad ya", bio: "PNS")
        let person = try #require(named.hits.first { $0.kind == "person" })
        #expect(person.quote == "Pak Musa Ahmad")
        #expect(named.findings.map(\.rule) == ["pilih-orang"])
        for text in ["pilih pak ya", "pilih Pak RT ya", "pilih Pak Presiden", "pilih pak budi", "pilih pak. Besok rapat"] {
            #expect(!evaluate(text, bio: "PNS").hits.contains { $0.kind == "person" }, "\(text)")
        }
        let initials = try #require(evaluate("pilih Bapak H.A. Irwan Hamid", bio: "PNS").hits.first { $0.kind == "person" })
        #expect(initials.quote == "Bapak H.A. Irwan Hamid")
    }

    @Test func tagAndWindowScopesReadFactsOfTheHit() {
        #expect(rules("#PrabowoGibran2024", bio: "PNS") == ["tagar-calon"])
        #expect(rules("prabowo gibran", bio: "PNS").isEmpty, "a name is not a hashtag")
        #expect(rules("prabowo harus menang", bio: "PNS") == ["puji-calon"])
        #expect(rules("prabowo harus menang", bio: "PNS", published: "2025-01-20").isEmpty)
        #expect(rules("prabowo harus menang", bio: "PNS", published: nil).isEmpty, "an undated item is in no window")
    }

    @Test func nearMissesNameTheMissingPart() throws {
        // Identity in the text without a marker: asn[self] is the part missing, present but out of scope.
        let diagnosis = evaluate("pns coblos prabowo").diagnosis()
        let miss = try #require(diagnosis.nearMisses.first { $0.rule == "ajak-calon" })
        #expect(miss.missing.condition == "status[self]")
        #expect(miss.missing.reason == .outOfScope)
        #expect(miss.held == ["candidate", "ajakan"])
        #expect(Set(miss.hits.map(\.quote)) == ["prabowo", "coblos"])
        // A near part whose side has no hit says which side.
        let far = try #require(evaluate("prabowo", bio: "PNS").diagnosis().nearMisses.first { $0.rule == "puji-calon" })
        #expect(far.missing.reason == .absent)
        #expect(far.missing.side == "puji")
        let tooFar = try #require(evaluate("harus menang lomba lari antar kantor besok pagi kata prabowo", bio: "PNS").diagnosis()
            .nearMisses.first { $0.rule == "puji-calon" })
        #expect(tooFar.missing.reason == .tooFar)
        // A rule that fired is not a near miss; two parts missing is not one either.
        let evaluation = evaluate("coblos prabowo", bio: "PNS")
        #expect(evaluation.findings.map(\.rule) == ["ajak-calon"])
        #expect(evaluation.diagnosis().nearMisses.map(\.rule) == ["puji-calon", "tagar-calon", "pilih-orang"])
        #expect(evaluate("coblos prabowo").diagnosis().nearMisses.map(\.rule) == ["ajak-calon"])
    }

    @Test func heldBackRulesNameTheBlockingSignal() throws {
        let evaluation = evaluate("pns wajib netralitas, jangan coblos prabowo kata bawaslu", bio: "PNS")
        #expect(evaluation.findings.isEmpty)
        let held = try #require(evaluation.diagnosis().heldBack.first)
        #expect(held.rule == "ajak-calon")
        #expect(held.unless == "netral")
        #expect(held.blockedBy == ["netral"])
        #expect(Set(held.hits.map(\.quote)) == ["netralitas", "bawaslu"])
        #expect(held.fired == ["status[self]", "candidate", "ajakan"])
        // Encoded with the class under its reviewer-facing key.
        let json = String(decoding: try JSONEncoder().encode(held), as: UTF8.self)
        #expect(json.contains("\"class\":\"violation\""))
        #expect(json.contains("\"blockedBy\":[\"netral\"]"))
    }

    @Test func anItemWithoutHitsHasNoDiagnosis() {
        #expect(evaluate("selamat pagi").diagnosis() == RuleDiagnosis())
    }

    @Test func aRepetitivePageIsDiagnosedWithBoundedHits() {
        let text = String(repeating: "saya jg kan pns coblos netralitas prabowo Pak Musa ", count: 20_000)
        let diagnosis = evaluate(text).diagnosis()
        for held in diagnosis.heldBack { #expect(held.hits.count <= Finding.maximumHits) }
        for miss in diagnosis.nearMisses { #expect(miss.hits.count <= Finding.maximumHits) }
        #expect(!diagnosis.heldBack.isEmpty)
    }

    @Test func expectIncludesAsksForAtLeastTheseFindings() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("set.yaml", """
        format: 1
        items:
          - {id: a, text: "coblos prabowo harus menang", bio: PNS, published: 2024-01-20, expect_includes: [ajak-calon]}
          - {id: b, text: "coblos prabowo harus menang", bio: PNS, published: 2024-01-20, expect_includes: [tagar-calon]}
          - {id: c, text: "selamat pagi", expect: []}
        """)
        let report = RuleTester.run(ruleSet, sets: try LabelledSetLoader.load(paths: [file]))
        #expect(report.failures.map(\.example.id) == ["b"])
        let puji = try #require(report.rules.first { $0.rule == "puji-calon" })
        #expect(puji.falsePositives == 0, "a rule an expect_includes item does not list is not labelled")
        let tagar = try #require(report.rules.first { $0.rule == "tagar-calon" })
        #expect(tagar.falseNegatives == 1)

        let bad = try folder.write("bad.yaml", """
        format: 1
        items:
          - {id: d, text: "x", expect: [], expect_includes: [ajak-calon]}
          - {id: e, text: "x", expect_includes: []}
          - {id: f, text: "x"}
        """)
        do {
            _ = try LabelledSetLoader.load(paths: [bad])
            Issue.record("must not load")
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(messages.contains { $0.hasPrefix("\(bad):3:") && $0.contains("not both") })
            #expect(messages.contains { $0.hasPrefix("\(bad):4:") && $0.contains("at least one rule id") })
            #expect(messages.contains { $0.hasPrefix("\(bad):5:") && $0.contains("needs 'expect'") })
        }
    }
}
