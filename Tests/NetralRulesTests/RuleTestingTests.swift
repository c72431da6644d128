import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralRules

@Suite struct RuleTestingTests {
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")
    let labelled = (repositoryRoot as NSString).appendingPathComponent("Fixtures/labelled")
    let holdout = (repositoryRoot as NSString).appendingPathComponent("Fixtures/holdout")

    @Test func shippedPacksJudgeEveryLabelledFixtureAsLabelled() throws {
        let ruleSet = try PackLoader.load(paths: [rules])
        let sets = try LabelledSetLoader.load(paths: [labelled])
        let items = sets.flatMap(\.items)
        #expect(items.count >= 150)
        let positives = items.filter { !$0.expect.isEmpty }.count
        #expect(positives * 3 >= items.count && positives * 3 <= items.count * 2, "roughly half positive")
        #expect(items.filter { $0.trap != nil }.count >= 30)
        let report = RuleTester.run(ruleSet, sets: sets)
        let failures = report.failures.map { "\($0.example.location) \($0.example.id): expected \($0.expected), got \($0.actual)" }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        // Every shipped rule is exercised by positives.
        for statistics in report.rules {
            #expect(statistics.truePositives > 0, "\(statistics.rule) has no positive fixture")
        }
    }

    /// The holdout set is written independently and never used to tune the packs: it measures
    /// how the packs judge posts they have not seen. A false accusation is the worst error,
    /// so precision is held to 0.95.
    @Test func unseenPostsAreJudgedWithHighPrecision() throws {
        let ruleSet = try PackLoader.load(paths: [rules])
        let sets = try LabelledSetLoader.load(paths: [holdout])
        let report = RuleTester.run(ruleSet, sets: sets)
        let precision = try #require(report.items.precision)
        #expect(precision >= 0.95)
        let recall = try #require(report.items.recall)
        #expect(recall >= 0.6)
    }

    @Test func reportsPerRuleCountsAndFailures() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.yaml", PackLoaderTests.candidates)
        try folder.write("b.yaml", PackLoaderTests.asn)
        let fixtures = try folder.write("set.yaml", """
        format: 1
        set: uji
        items:
          - {id: u1, text: "Camat ajak coblos Prabowo", expect: [asn-kampanye]}
          - {id: u2, text: "Camat suka Prabowo", expect: [asn-kampanye]}
          - {id: u3, text: "Ayo coblos Prabowo", bio: "PNS", expect: []}
          - {id: u4, text: "Selamat pagi", expect: [aturan-tak-ada]}
        """)
        let ruleSet = try PackLoader.load(paths: [folder.path + "/a.yaml", folder.path + "/b.yaml"])
        let report = RuleTester.run(ruleSet, sets: try LabelledSetLoader.load(paths: [fixtures]))
        let stats = try #require(report.rules.first { $0.rule == "asn-kampanye" })
        // Pack examples (2) plus the set (4).
        #expect(report.examples == 6)
        #expect(stats.truePositives == 2)
        #expect(stats.falsePositives == 1)
        #expect(stats.falseNegatives == 1)
        #expect(stats.precision == 2.0 / 3.0)
        #expect(report.failures.map(\.example.id).sorted() == ["u2", "u3", "u4"])
        #expect(report.failures.first { $0.example.id == "u4" }?.unknownRules == ["aturan-tak-ada"])
        #expect(!report.passed)
    }

    @Test func duplicateFixtureIDsArePositioned() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("set.yaml", """
        format: 1
        items:
          - {id: x, text: "a", expect: []}
          - {id: x, text: "b", expect: []}
        """)
        do {
            _ = try LabelledSetLoader.load(paths: [file])
            Issue.record("duplicate ids must be rejected")
        } catch {
            #expect(error.diagnostics.map(\.description).contains { $0.hasPrefix("\(file):4:5: duplicate labelled item id 'x'") })
        }
    }
}

@Suite struct PackFeatureTests {
    func load(_ yaml: String) throws -> RuleSet {
        let folder = try TemporaryFolder()
        try folder.write("a.yaml", PackLoaderTests.candidates)
        try folder.write("c.yaml", yaml)
        return try PackLoader.load(paths: [folder.path])
    }

    @Test func qualifiersCancelTheHitsRightAfterThem() throws {
        let ruleSet = try load("""
        format: 1
        pack: q
        version: "1"
        signals:
          status: {kind: asn, terms: [pns, honorer]}
          ajakan: {kind: support, terms: [coblos]}
          bukan: {kind: qualifier, cancels: {target: asn, within: 2}, terms: [pensiunan, suami saya, mantan]}
        rules:
          - {id: r, class: report, act: A2, severity: high, when: asn and candidate and support}
        """)
        func fired(_ text: String) -> Bool { !ruleSet.evaluate(Item(sourceURL: "x", body: text)).findings.isEmpty }
        #expect(fired("Saya PNS, coblos Prabowo"))
        #expect(!fired("Pensiunan PNS nih, coblos Prabowo"))
        #expect(!fired("Suami saya PNS, coblos Prabowo"))
        #expect(!fired("Mantan honorer: coblos Prabowo"))
        // A qualifier far away does not cancel.
        #expect(fired("Mantan pacar saya bilang saya PNS teladan, coblos Prabowo"))
    }

    @Test func definitionsAndScopesWork() throws {
        let ruleSet = try load("""
        format: 1
        pack: d
        version: "1"
        signals:
          status: {kind: asn, terms: [pns]}
          foto: {kind: support, terms: [foto bareng]}
        define:
          peserta: candidate or 2 of (slogan, gesture)
        rules:
          - {id: foto-calon, act: A7, severity: high, when: "asn[self] and peserta and foto"}
        """)
        let inBio = Item(sourceURL: "x", author: Author(bio: "PNS"), body: "Foto bareng Gibran")
        let inBody = Item(sourceURL: "y", body: "PNS foto bareng Gibran")
        let finding = try #require(ruleSet.evaluate(inBio).findings.first)
        #expect(finding.fired == ["asn[self]", "candidate", "foto"])
        #expect(ruleSet.evaluate(inBody).findings.isEmpty)
        #expect(ruleSet.packs[1].definitions.map(\.name) == ["peserta"])
    }

    @Test func signalWindowsCountOnlyForDatedItemsInside() throws {
        let ruleSet = try load("""
        format: 1
        pack: w
        version: "1"
        signals:
          status: {kind: asn, terms: [pns]}
          ajakan: {kind: support, terms: [dukung]}
          dinas: {kind: context, window: {from: 2024-10-20}, terms: [presiden prabowo]}
        rules:
          - {id: r, class: report, act: A2, severity: high, when: asn and candidate and support, unless: context}
        """)
        func fired(_ date: String?) -> Bool {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            let item = Item(sourceURL: "x", publishedAt: date.flatMap(formatter.date(from:)), body: "PNS dukung program Presiden Prabowo")
            return !ruleSet.evaluate(item).findings.isEmpty
        }
        #expect(fired("2024-01-10"))
        #expect(!fired("2025-01-10"))
        #expect(fired(nil))
    }

    @Test func fuzzyNamesToleratesOneEditButNotAnotherTerm() throws {
        let ruleSet = try load("""
        format: 1
        pack: f
        version: "1"
        signals:
          satu: {kind: candidate, terms: [{term: prabowo, fuzzy: 1}]}
          dua: {kind: candidate, terms: [{term: pranowo, fuzzy: 1}]}
        """)
        let typo = ruleSet.hits(in: Item(sourceURL: "x", body: "prabowoo prabwo"))
        #expect(typo.filter { $0.signal == "satu" }.count == 2)
        let exact = ruleSet.hits(in: Item(sourceURL: "x", body: "Prabowo"))
        #expect(exact.filter { ["satu", "dua"].contains($0.signal) }.map(\.signal) == ["satu"])
    }

    @Test func badNewKeysArePositioned() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("x.yaml", """
        format: 1
        pack: x
        version: "1"
        signals:
          a: {kind: candidate, terms: [{term: bo, fuzzy: 1}, {term: dua kata, affixes: verb}]}
          b: {kind: qualifier, terms: [mantan]}
          c: {kind: asn, weight: 2, terms: [pns]}
        """)
        do {
            _ = try PackLoader.load(paths: [file])
            Issue.record("must not load")
        } catch {
            let messages = error.diagnostics.map(\.message)
            #expect(messages.contains { $0.hasPrefix("fuzzy: 1 needs a one-word term of at least 6 letters") })
            #expect(messages.contains { $0.hasPrefix("affixes: verb needs a one-word root") })
            #expect(messages.contains { $0.hasPrefix("a qualifier needs 'cancels") })
            #expect(messages.contains("weight must be greater than 0 and at most 1"))
        }
    }
}
