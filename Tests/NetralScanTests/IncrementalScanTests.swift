import Foundation
import Hummingbird
import NetralDemo
import NetralFetch
import NetralModel
import NetralRules
import NetralStore
import NetralTestSupport
import Testing
@testable import NetralScan

/// What a cron operator relies on: unchanged pages are not judged again, targets come due by
/// their interval, credentials come from the environment and go nowhere else, and the exit
/// code and quiet output say only what needs a person.
@Suite(.serialized) struct IncrementalScanTests {
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")
    static let page = "<html lang=\"id\"><head><title>Camat</title></head><body><article><p>Saya sebagai Camat Sungai Jernih mengajak seluruh warga memilih pasangan Anies - Muhaimin pada 14 Februari.</p></article></body></html>"

    func config(_ folder: TemporaryFolder, _ targets: [Target]) -> ScanConfig {
        ScanConfig(statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence",
                   fetch: FetchOptions(perHostDelay: 0, maxAttempts: 1), targets: targets)
    }

    @Test func aSecondScanAsksConditionallyAndDoesNotJudgeAgain() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        let notModified = Counter()
        let router = Router()
        router.get("berita") { request, _ in
            if request.headers[.ifNoneMatch] == "\"v1\"" {
                notModified.increment()
                return Response(status: .notModified, headers: [.eTag: "\"v1\""])
            }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .eTag: "\"v1\""],
                            body: .init(byteBuffer: ByteBuffer(string: Self.page)))
        }
        // No validators: the digest of the body decides.
        router.get("tanpa-validator") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Self.page)))
        }
        try await DemoSiteServer.withServer(router: router, logger: quietLogger) { base in
            let scan = config(folder, [Target(id: "berita", url: base + "berita", allowPrivate: true),
                                       Target(id: "polos", url: base + "tanpa-validator", allowPrivate: true)])
            let first = try await Scanner(config: scan, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(first.results.map(\.outcome) == [.scanned, .scanned])
            #expect(first.newFindings >= 2)
            let second = try await Scanner(config: scan, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(notModified.value == 1)
            #expect(second.results.map(\.outcome) == [.unchanged, .unchanged])
            #expect(second.unchanged == 2)
            #expect(second.items == 0)
            #expect(second.newFindings == 0)
            #expect(second.findings.count == first.findings.count)
        }
    }

    @Test func aTargetWithAnIntervalIsNotDueAgainAtOnce() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        try await DemoSiteServer.withServer(serving: (repositoryRoot as NSString).appendingPathComponent("Fixtures/demo-site"), logger: quietLogger) { base in
            let scan = config(folder, [Target(id: "jam", url: base + "resep-kue.html", every: 3600, allowPrivate: true),
                                       Target(id: "selalu", url: base + "index.html", allowPrivate: true)])
            let first = try await Scanner(config: scan, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(first.due == 2)
            let second = try await Scanner(config: scan, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(second.due == 1)
            #expect(second.results.map(\.target) == ["selalu"])
            let status = try Scanner.status(config: scan)
            let hourly = try #require(status.first { $0.id == "jam" })
            #expect(hourly.lastResult == .scanned)
            let due = try #require(hourly.nextDue)
            #expect(due.timeIntervalSince(hourly.lastRun ?? .distantPast) == 3600)
            #expect(status.first { $0.id == "selalu" }?.nextDue == nil)
            let text = TextFormatter.status(status)
            #expect(text.contains("jam (page) \(base)resep-kue.html"))
            #expect(text.contains("next due: every run"))
            #expect(text.contains("(every 3600 s)"))
            #expect(text.contains("consecutive failures: 0, findings: 0"))
        }
    }

    @Test func credentialsComeFromTheEnvironmentAndAreWrittenNowhere() async throws {
        let folder = try TemporaryFolder()
        let ruleSet = try PackLoader.load(paths: [rules])
        let secret = "sandi-rahasia-8812"
        setenv("NETRAL_UJI_KREDENSIAL", "pemantau:\(secret)", 1)
        defer { unsetenv("NETRAL_UJI_KREDENSIAL") }
        let expected = "Basic " + Data("pemantau:\(secret)".utf8).base64EncodedString()
        let router = Router()
        router.get("tertutup") { request, _ in
            guard request.headers[.authorization] == expected else { return Response(status: .unauthorized) }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Self.page)))
        }
        try await DemoSiteServer.withServer(router: router, logger: quietLogger) { base in
            let scan = config(folder, [
                Target(id: "tertutup", url: base + "tertutup", allowPrivate: true, credentialsVariable: "NETRAL_UJI_KREDENSIAL"),
                Target(id: "tanpa-env", url: base + "tertutup", allowPrivate: true, credentialsVariable: "NETRAL_UJI_TIDAK_ADA"),
            ])
            let summary = try await Scanner(config: scan, ruleSet: ruleSet).run(logger: quietLogger)
            #expect(summary.results.first { $0.target == "tertutup" }?.outcome == .scanned)
            #expect(summary.failures.map(\.error) == ["environment variable NETRAL_UJI_TIDAK_ADA (auth_env) is not set"])
            let json = String(decoding: try NetralJSON.encoder().encode(summary), as: UTF8.self)
            #expect(!json.contains(secret))
            let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
            for case let file as String in enumerator {
                let data = (try? Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + file))) ?? Data()
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) holds the password")
            }
        }
    }

    @Test func newFindingsWinTheExitCodeAndQuietSaysOnlyWhatIsNew() {
        var summary = ScanSummary()
        #expect(summary.exitCode(findingsExitCode: true) == 0)
        #expect(TextFormatter.quietSummary(summary) == nil)
        summary.failures = [TargetFailure(target: "mati", url: "https://contoh.test/", error: "HTTP status 500")]
        #expect(summary.exitCode(findingsExitCode: true) == 4)
        // A new report about someone else is listed, but is no violation: it does not raise 1.
        summary.findings = [ScanFinding(id: "r1", target: "berita", url: "https://contoh.test/r", rule: "laporan-asn-berpihak", findingClass: .report,
                                        act: "A8", severity: .low, score: 1, bundle: "/b/r1", new: true)]
        #expect(summary.exitCode(findingsExitCode: true) == 4)
        #expect(TextFormatter.quietSummary(summary)?.contains("REPORT LOW laporan-asn-berpihak berita") == true)
        summary.findings += [ScanFinding(id: "f1", target: "camat", url: "https://contoh.test/a", rule: "asn-kampanye-paslon", findingClass: .violation,
                                         act: "A2", severity: .high, score: 1, bundle: "/b/f1", new: true),
                             ScanFinding(id: "f0", target: "lama", url: "https://contoh.test/b", rule: "asn-kampanye-paslon", findingClass: .violation,
                                         act: "A2", severity: .high, score: 1, bundle: "/b/f0", new: false)]
        #expect(summary.exitCode(findingsExitCode: true) == 1)
        #expect(TextFormatter.summary(summary).contains("violations: 2 (high 2, medium 0, low 0); new: 1"))
        #expect(TextFormatter.summary(summary).contains("reports about others (leads, not violations): 1; new: 1"))
        #expect(summary.exitCode(findingsExitCode: false) == 4)
        let quiet = TextFormatter.quietSummary(summary)
        #expect(quiet?.contains("asn-kampanye-paslon camat") == true)
        #expect(quiet?.contains("lama") == false)
        #expect(quiet?.contains("FAILED mati: HTTP status 500") == true)
    }

    @Test func theConfigRefusesWhatWouldFailLaterOrLeakSecrets() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("netral.yaml", """
        format: 1
        sites: [tidak-ada-folder]
        fetch:
          user_agent: "Netral/0.1"
        targets:
          - {id: a, url: "https://pemantau:sandi@contoh.test/a"}
          - {id: '', url: "https://contoh.test/b"}
          - {id: c, url: "https://contoh.test/ada spasi"}
          - {id: d, url: "https://contoh.test/<script>"}
          - {id: e, url: "https://contoh.test/e", robots: ignore}
          - {id: f, url: "https://contoh.test/f", every: sebentar}
          - {id: g, url: "https://contoh.test/g", every: 6h, allow_private: true, robots: ignore, reason: "izin pemilik", auth_env: TOKEN_G}
        """)
        do {
            _ = try ScanConfig.load(path: path)
            Issue.record("invalid config must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains { $0.hasPrefix("\(path):2:9: no such site profile file or folder") }, "\(lines)")
            #expect(lines.contains("\(path):4:15: fetch.user_agent must name a contact (a URL or an e-mail address), so site owners can reach you"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):6:27: credentials in a URL are refused") }, "\(lines)")
            #expect(!lines.joined().contains("sandi"))
            #expect(lines.contains("\(path):7:10: a target id must not be empty"), "\(lines)")
            #expect(lines.contains("\(path):8:42: url contains whitespace or a control character; percent-encode it (%20)"), "\(lines)")
            #expect(lines.contains("\(path):9:39: url contains '<', which a URL may not hold unencoded"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):10:51: robots: ignore needs a 'reason:'") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):11:50: every must be an interval") }, "\(lines)")
            #expect(!lines.contains { $0.contains(":12:") }, "\(lines)")
        }
    }

    @Test func aValidConfigCarriesPolitenessAndScheduling() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("netral.yaml", """
        format: 1
        fetch:
          user_agent: "Netral/0.1 (+https://bawaslu-contoh.example/kontak)"
          concurrency: 8
          per_host: 1
          per_host_delay: 2.5
          resolve: ["contoh.test:443:93.184.216.34"]
        targets:
          - {id: g, url: "https://contoh.test/g", every: 6h, allow_private: true, robots: ignore, reason: "izin pemilik", auth_env: TOKEN_G}
        """)
        let config = try ScanConfig.load(path: path)
        #expect(config.fetch.maxConcurrency == 8)
        #expect(config.fetch.perHostConcurrency == 1)
        #expect(config.fetch.perHostDelay == 2.5)
        #expect(config.fetch.resolve == ["contoh.test:443:93.184.216.34"])
        #expect(config.targets == [Target(id: "g", url: "https://contoh.test/g", every: 6 * 3600, allowPrivate: true,
                                          robotsIgnoredBecause: "izin pemilik", credentialsVariable: "TOKEN_G")])
    }
}
