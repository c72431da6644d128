import Foundation
import Logging
import NetralDemo
import NetralEvidence
import NetralExtract
import NetralFetch
import NetralStore
import NetralModel
import NetralRules
import NetralTestSupport
import Testing
@testable import NetralScan

/// The whole pipeline over loopback: the demo site served by Hummingbird, fetched by libcurl,
/// parsed by libxml2, judged by the shipped packs, written as bundles.
@Suite(.serialized) struct EndToEndTests {
    let site = (repositoryRoot as NSString).appendingPathComponent("Fixtures/demo-site")
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")

    @Test func demoSiteGivesExactlyTheLabelledFindings() async throws {
        let folder = try TemporaryFolder()
        let output = folder.path + "/demo"
        let demo = Demo(siteFolder: site, rulePaths: [rules], outputFolder: output)
        let result = try await demo.run(logger: quietLogger)
        #expect(result.mismatches.isEmpty, "\(result.mismatches)")
        let manifest = try SiteManifest.load(siteFolder: site)
        #expect(result.pages == manifest.pages.count)
        let flagged = manifest.pages.filter { !$0.expect.isEmpty }
        #expect(flagged.count >= 4)
        #expect(Set(result.summary.findings.map(\.target)) == Set(flagged.map(\.path)))
        #expect(result.summary.failures.isEmpty)
        #expect(result.summary.findings.allSatisfy { $0.new })

        // One case file per flagged post, holding all its findings; the state knows each one.
        let store = try StateStore(path: output + "/state.sqlite")
        let checks = try EvidenceVerifier(store: store).verify(path: output + "/evidence")
        #expect(checks.count == flagged.count)
        #expect(Set(result.summary.findings.map(\.caseFile)).count == flagged.count)
        #expect(checks.allSatisfy { $0.isIntact }, "\(checks.filter { !$0.isIntact })")
        let index = try String(contentsOfFile: output + "/evidence/index.html", encoding: .utf8)
        #expect(index.contains("\(flagged.count) berkas kasus"))

        // A second demo run replaces its own output and gives the same findings.
        let again = try await demo.run(logger: quietLogger)
        #expect(again.summary.findings.count == result.summary.findings.count)
    }

    @Test func aRescanDoesNotDuplicateBundles() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        let labelled = try SiteManifest.load(siteFolder: site).pages.first { $0.path == "camat-sungai-jernih.html" }
        let expected = try #require(labelled).expect.count
        #expect(expected >= 1)
        try await DemoSiteServer.withServer(serving: site, logger: quietLogger) { base in
            let config = ScanConfig(
                statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                fetch: FetchOptions(perHostDelay: 0),
                targets: [
                    Target(id: "camat", url: base + "camat-sungai-jernih.html", allowPrivate: true),
                    Target(id: "hilang", url: base + "tidak-ada.html", allowPrivate: true),
                ]
            )
            let first = try await Scanner(config: config, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(first.findings.count == expected)
            #expect(first.newFindings == expected)
            #expect(first.failures.map(\.target) == ["hilang"])
            #expect(first.failures.first?.error == "gone: HTTP status 404")
            #expect(first.results.first { $0.target == "hilang" }?.outcome == .gone)
            let second = try await Scanner(config: config, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(second.findings.count == expected)
            #expect(second.newFindings == 0)
            // Nothing changed: the page is not judged again, and its known findings are listed.
            #expect(second.results.first { $0.target == "camat" }?.outcome == .unchanged)
            #expect(second.items == 0)
            #expect(Set(second.findings.map(\.caseFile)) == Set(first.findings.map(\.caseFile)))
            let bundles = try EvidenceVerifier().verify(path: folder.path + "/evidence")
            #expect(bundles.count == 1)
            #expect(Set(second.findings.map(\.caseFile)).count == 1)
        }
    }

    @Test func explainShowsHitsAndTheRuleThatFired() async throws {
        let ruleSet = try PackLoader.load(paths: [rules])
        let explanation = try await Explainer(ruleSet: ruleSet).explain(site + "/camat-sungai-jernih.html")
        #expect(explanation.kind == .html)
        let item = try #require(explanation.items.first)
        let finding = try #require(item.findings.first { $0.rule == "asn-kampanye-paslon" })
        #expect(finding.act == "A2")
        // The camat's identity is in the author's own fields, so it counts as [self].
        #expect(finding.fired.first == "asn[self]")
        #expect(finding.fired.contains("ajakan-memilih"))
        #expect(finding.findingClass == .violation)
        #expect(item.identity.contains { $0.standing.describesAuthor })
        #expect(finding.fired.contains("candidate"))
        #expect(finding.hits.contains { $0.kind == "asn" && $0.quote.lowercased() == "camat" })

        let json = try NetralJSON.encoder().encode(explanation)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let items = try #require(object["items"] as? [[String: Any]])
        let findings = try #require(items.first?["findings"] as? [[String: Any]])
        for key in ["rule", "act", "severity", "score", "hits", "fired"] {
            #expect(findings.first?[key] != nil, "missing \(key)")
        }
    }

    @Test func explainWithASiteProfileSplitsAThreadIntoPosts() async throws {
        let ruleSet = try PackLoader.load(paths: [rules])
        let profiles = try SiteProfileLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules/sites")])
        let profile = try #require(profiles.named("forum-warga"))
        let page = (repositoryRoot as NSString).appendingPathComponent("Fixtures/html/forum-warga.html")
        let whole = try await Explainer(ruleSet: ruleSet).explain(page)
        let split = try await Explainer(ruleSet: ruleSet, profiles: profiles).explain(page, profile: profile.name)
        #expect(whole.items.count == 1)
        #expect(split.items.count > 1)
        // Only the secretary's own post is flagged, with him as its author.
        let flagged = split.items.filter { !$0.findings.isEmpty }
        #expect(flagged.count == 1)
        #expect(flagged.first?.item.author?.name == "PakSekdes_WA")
    }

    @Test func configErrorsArePositioned() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(
            "netral.yaml",
            """
            format: 1
            state: s.sqlite
            fetch:
              timeout: lama
              max_redirect: 3
            targets:
              - id: a
                url: ftp://contoh.test/
              - id: a
                kind: forum
                url: https://contoh.test/
            """)
        do {
            _ = try ScanConfig.load(path: path)
            Issue.record("invalid config must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("\(path):4:12: fetch.timeout must be a number, found a string"), "\(lines)")
            #expect(lines.contains("\(path):5:3: unknown key 'max_redirect' in fetch; did you mean 'max_redirects'?"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):8:10: url must be an absolute http or https URL") }, "\(lines)")
            #expect(lines.contains("\(path):9:9: duplicate target id 'a'"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):10:11: unsupported target kind 'forum'") }, "\(lines)")
        }
    }

    @Test func configPathsAreRelativeToTheFile() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(
            "netral.yaml",
            """
            format: 1
            rules: [paket]
            state: data/s.sqlite
            fetch:
              user_agent: "NetralUji/1 (+https://contoh.test/kontak)"
            targets:
              - {id: a, url: "https://contoh.test/a"}
            """)
        let config = try ScanConfig.load(path: path)
        #expect(config.rulePaths == [folder.path + "/paket"])
        #expect(config.statePath == folder.path + "/data/s.sqlite")
        #expect(config.evidencePath == folder.path + "/" + ScanConfig.defaultEvidencePath)
        #expect(config.targets == [Target(id: "a", url: "https://contoh.test/a")])
    }
}

/// A flagged post's images reach its case file: fetched through the engine, kept in the WARC
/// and shown in the report.
@Suite struct CaseFileImageTests {
    @Test func aFlaggedPostsImageIsArchivedWithIt() async throws {
        let folder = try TemporaryFolder()
        let site = folder.path + "/situs"
        try FileManager.default.createDirectory(atPath: site + "/img", withIntermediateDirectories: true)
        let demo = (repositoryRoot as NSString).appendingPathComponent("Fixtures/demo-site")
        try FileManager.default.copyItem(atPath: demo + "/kades-gibran-foto.html", toPath: site + "/kades-gibran-foto.html")
        // A few bytes of JPEG: the capture keeps whatever the server sent as image/jpeg.
        let jpeg = Data(
            [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01] + Array(repeating: 0x42, count: 64) + [0xFF, 0xD9])
        try jpeg.write(to: URL(fileURLWithPath: site + "/img/foto-gibran.jpg"))
        let ruleSet = try PackLoader.load(paths: [(repositoryRoot as NSString).appendingPathComponent("Rules")])
        try await DemoSiteServer.withServer(serving: site, logger: quietLogger) { base in
            let config = ScanConfig(
                statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                fetch: FetchOptions(perHostDelay: 0),
                targets: [Target(id: "kades", url: base + "kades-gibran-foto.html", allowPrivate: true)]
            )
            let summary = try await Scanner(config: config, ruleSet: ruleSet).run(logger: quietLogger)
            let bundle = try #require(summary.findings.first?.caseFile)
            let report = try String(contentsOfFile: bundle + "/report.html", encoding: .utf8)
            #expect(report.contains("data:image/jpeg;base64,"))
            #expect(report.contains(base + "img/foto-gibran.jpg"))
            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gunzip.arguments = ["-dc", bundle + "/capture.warc.gz"]
            let pipe = Pipe()
            gunzip.standardOutput = pipe
            try gunzip.run()
            let warc = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            gunzip.waitUntilExit()
            #expect(warc.contains("WARC-Target-URI: \(base)img/foto-gibran.jpg"))
        }
    }
}
