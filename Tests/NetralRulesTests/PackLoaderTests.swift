import Foundation
import NetralYAML
import NetralTestSupport
import Testing
@testable import NetralRules

@Suite struct PackLoaderTests {
    static let candidates = """
    format: 1
    pack: pemilu-uji
    version: "1"
    window: {from: 2023-10-19, to: 2024-03-20}
    signals:
      paslon-02:
        kind: candidate
        terms: [prabowo, gibran, "#PrabowoGibran2024"]
      tiket-amin:
        kind: slogan
        terms: [{term: AMIN, case: exact}]
    """

    static let asn = """
    format: 1
    pack: asn-uji
    version: 1.0
    signals:
      identitas:
        kind: asn
        terms: [camat, pns, kepala dinas]
      ajakan:
        kind: support
        terms: [{term: coblos, affixes: verb}, {term: dukung, affixes: verb}, pilih]
      netralitas:
        kind: context
        terms: [netralitas, bawaslu]
    rules:
      - id: asn-kampanye
        # Identity anywhere in the text: the matching mechanics, not attribution, are tested
        # with this pack (SpeakerAttributionTests covers violations).
        class: report
        act: A2
        severity: high
        description: ASN mengajak memilih calon
        when: asn and (candidate or 2 of (slogan, gesture)) and support
        unless: context
    examples:
      - {text: "Camat: ayo coblos Prabowo!", expect: [asn-kampanye]}
      - {text: "Aamiin, semoga lancar. Pilih yang terbaik, AMIN", bio: "PNS", expect: []}
    """

    @Test func loadsPacksThatReferToEachOther() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.yaml", Self.candidates)
        try folder.write("b.yaml", Self.asn)
        let ruleSet = try PackLoader.load(paths: [folder.path])
        #expect(ruleSet.packs.map(\.reference.name) == ["pemilu-uji", "asn-uji"])
        #expect(ruleSet.packs[1].reference.version == "1.0")
        #expect(ruleSet.packs[0].reference.sha256.count == 64)
        #expect(ruleSet.packs[0].window != nil)
        #expect(ruleSet.packs[1].examples.count == 2)
        #expect(ruleSet.termCount == 12)
    }

    @Test func reportsTypoWrongTypeAndUnknownSignalWithPositions() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("rusak.yaml", """
        format: 1
        pack: rusak
        version: "1"
        signals:
          identitas:
            kind: asn
            trems: [camat]
          ajakan:
            kind: support
            terms: coblos
        rules:
          - id: r1
            act: A2
            severity: high
            when: asn[self] and calon and support
        """)
        do {
            _ = try PackLoader.load(paths: [file])
            Issue.record("a broken pack must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("\(file):7:5: unknown key 'trems' in signal 'identitas'; did you mean 'terms'?"), "\(lines)")
            // The misspelt key is one mistake, reported once.
            #expect(lines.count == 3, "\(lines)")
            #expect(lines.contains("\(file):10:12: terms must be a list, found a string"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(file):15:25: unknown signal 'calon'") }, "\(lines)")
        }
    }

    @Test func reportsEveryKindOfProblemAtOnce() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("semua.yaml", """
        format: 2
        pack: semua
        version: "1"
        signals:
          asn:
            kind: asn
            terms: [camat]
          a:
            kind: calon
            terms: ["", "!!!"]
        rules:
          - id: r0
            act: A2
            severity: urgent
            when: a and (
          - id: r1
            act: A2
            severity: low
            when: a
          - id: r1
            act: A2
            severity: low
            when: a
        """)
        do {
            _ = try PackLoader.load(paths: [file])
            Issue.record("a broken pack must not load")
        } catch {
            let messages = error.diagnostics.map(\.message)
            #expect(messages.contains { $0.contains("unsupported pack format 2") })
            #expect(messages.contains { $0.contains("signal name 'asn' is reserved") })
            #expect(messages.contains { $0.contains("unknown signal kind 'calon'") })
            #expect(messages.contains("empty term"))
            #expect(messages.contains { $0.contains("term '!!!' has no letters") })
            #expect(messages.contains { $0.contains("severity must be low, medium or high") })
            #expect(messages.contains { $0.contains("invalid condition") })
            #expect(messages.contains { $0.contains("duplicate rule id 'r1'") })
        }
    }

    @Test func yamlSyntaxErrorsHaveAPosition() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("sintaks.yaml", "format: 1\npack: [unclosed\n")
        do {
            _ = try PackLoader.load(paths: [file])
            Issue.record("invalid YAML must not load")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].file == file)
            #expect(error.diagnostics[0].line >= 2)
            #expect(error.diagnostics[0].message.hasPrefix("invalid YAML"))
        }
    }

    @Test func shippedPacksLoad() throws {
        let ruleSet = try PackLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules")])
        #expect(ruleSet.packs.count >= 2)
        #expect(ruleSet.rules.contains { $0.rule.id == "asn-kampanye-paslon" })
    }
}
