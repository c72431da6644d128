import Foundation
import Hummingbird
import NetralTestServer
import NetralEvidence
import NetralFetch
import NetralModel
import NetralRules
import NetralTestSupport
import Testing
@testable import NetralScan

/// Every target kind through the scanner: local files and WARCs, and feeds and a Mastodon
/// account served over loopback with the shapes of the real APIs.
@Suite(.serialized) struct SourceTargetTests {
    let sources = (repositoryRoot as NSString).appendingPathComponent("Fixtures/sources")
    let rules = (repositoryRoot as NSString).appendingPathComponent("Rules")

    func scan(_ targets: [Target], in folder: TemporaryFolder) async throws -> ScanSummary {
        let config = ScanConfig(
            statePath: folder.path + "/state.sqlite", evidencePath: folder.path + "/evidence", fetch: FetchOptions(perHostDelay: 0),
            targets: targets)
        return try await Scanner(config: config, ruleSet: try PackLoader.load(paths: [rules])).run(logger: quietLogger)
    }

    @Test func warcAndFileTargetsAreReadFromDisk() async throws {
        let folder = try TemporaryFolder()
        let summary = try await scan(
            [
                Target(id: "arsip", kind: .warc, url: sources + "/warc/kampanye.warc.gz"),
                Target(id: "berkas", kind: .file, url: sources + "/feeds/rss2-kecamatan.xml"),
            ], in: folder)
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        #expect(Set(summary.findings.map(\.target)) == ["arsip", "berkas"])
        #expect(
            summary.findings.contains { $0.target == "arsip" && $0.url == "https://kecamatan.sungaijernih.example/berita/camat-ajak-warga" }
        )
        let checks = try EvidenceVerifier().verify(path: folder.path + "/evidence")
        #expect(checks.count == Set(summary.findings.map(\.caseFile)).count)
        // A finding from a WARC target keeps where in that WARC it was read.
        let fromArchive = try #require(summary.findings.first { $0.target == "arsip" })
        let manifest = try NetralJSON.decoder().decode(
            CaseManifest.self, from: Data(contentsOf: URL(fileURLWithPath: fromArchive.caseFile + "/manifest.json")))
        #expect(manifest.source?.warcFile == sources + "/warc/kampanye.warc.gz")
        #expect(manifest.source?.recordID?.hasPrefix("<urn:") == true)
        #expect(manifest.source?.digest != nil)
        #expect(checks.allSatisfy { $0.isIntact }, "\(checks.filter { !$0.isIntact })")
    }

    @Test func aDamagedWARCGivesWhatItCanAndSaysWhere() async throws {
        let folder = try TemporaryFolder()
        let whole = try Data(contentsOf: URL(fileURLWithPath: sources + "/warc/kampanye.warc"))
        let cut = folder.path + "/terpotong.warc"
        try whole.prefix(whole.count - 200).write(to: URL(fileURLWithPath: cut))
        let summary = try await scan([Target(id: "terpotong", kind: .warc, url: cut)], in: folder)
        #expect(summary.failures.count == 1)
        #expect(summary.failures.first?.error.contains("offset") == true)
        #expect(summary.items >= 1)
    }

    @Test func feedsAndMastodonAccountsOverLoopback() async throws {
        let folder = try TemporaryFolder()
        let router = Router()
        let feed = try Data(contentsOf: URL(fileURLWithPath: sources + "/feeds/rss1-desa.rdf"))
        let account = try Data(contentsOf: URL(fileURLWithPath: sources + "/mastodon/account-lookup.json"))
        let statuses = try Data(contentsOf: URL(fileURLWithPath: sources + "/mastodon/statuses.json"))
        let pageRequests = Counter()
        router.get("desa.rdf") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/rdf+xml"], body: .init(byteBuffer: ByteBuffer(bytes: feed)))
        }
        router.get("api/v1/accounts/lookup") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: account)))
        }
        router.get("api/v1/accounts/:id/statuses") { request, _ in
            pageRequests.increment()
            // Every page points to a next one: the scanner must stop at max_pages.
            let next = "<http://\(request.head.authority ?? "127.0.0.1")/api/v1/accounts/1/statuses?max_id=1>; rel=\"next\""
            return Response(
                status: .ok, headers: [.contentType: "application/json", .init("Link")!: next],
                body: .init(byteBuffer: ByteBuffer(bytes: statuses)))
        }
        let summary = try await TestServer.withServer(router: router, logger: quietLogger) { base in
            try await scan(
                [
                    Target(id: "warta-desa", kind: .feed, url: base + "desa.rdf", allowPrivate: true),
                    Target(id: "camat", kind: .mastodon, url: base + "@camat.sungaijernih", maxPages: 2, allowPrivate: true),
                ], in: folder)
        }
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        #expect(pageRequests.value == 2)
        #expect(summary.findings.contains { $0.target == "warta-desa" })
        let mastodon = summary.findings.filter { $0.target == "camat" }
        #expect(!mastodon.isEmpty)
        // The same statuses on page two are the same findings: no duplicate bundles.
        #expect(Set(mastodon.map(\.id)).count == mastodon.filter(\.new).count)
        let bundle = try #require(mastodon.first?.caseFile)
        #expect(
            FileManager.default.fileExists(atPath: bundle + "/capture.json")
                && FileManager.default.fileExists(atPath: bundle + "/capture.warc.gz"))
    }

    @Test func badTargetsAreReportedWithPositions() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(
            "netral.yaml",
            """
            format: 1
            targets:
              - {id: a, kind: warc}
              - {id: b, kind: warc, path: tidak-ada.warc}
              - {id: c, kind: mastodon, url: "@budi@sosial.example", max_pages: 500}
              - {id: d, kind: feed}
            """)
        do {
            _ = try ScanConfig.load(path: path)
            Issue.record("must not load")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("\(path):3:5: a warc target needs 'path' (a local file)"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):4:31: no such file:") }, "\(lines)")
            #expect(lines.contains("\(path):5:69: max_pages must be between 1 and 100"), "\(lines)")
            #expect(lines.contains("\(path):6:5: a feed target needs 'url'"), "\(lines)")
        }
    }
}

/// A thread-safe request counter for the loopback routes.
final class Counter: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var count = 0

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

@Suite struct RunLockTests {
    @Test func aSecondScanOnTheSameStateIsRefusedWhileTheFirstRuns() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/state/netral.sqlite.lock"
        do {
            let first = try RunLock(path: path)
            #expect(throws: RunLock.Busy.self) { try RunLock(path: path) }
            withExtendedLifetime(first) {}
        }
        // Released with the first run: the next one may start.
        _ = try RunLock(path: path)
    }
}
