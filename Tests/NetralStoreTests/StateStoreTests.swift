import Foundation
import NetralModel
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@testable import NetralStore

@Suite struct StateStoreTests {
    func finding(_ id: String) -> Finding {
        Finding(id: id, rule: "asn-kampanye-paslon", pack: PackReference(name: "asn", version: "1", sha256: "00"),
                act: "A2", severity: .high, score: 1, description: "", hits: [], fired: ["asn"], condition: "asn", unless: nil)
    }

    func page(_ target: String, items: [(String, String)] = [], capture: Capture? = nil, digest: String? = nil) -> PageRecord {
        PageRecord(target: target, capture: capture, bodyDigest: digest,
                   items: items.map { PageRecord.ItemRow(id: $0.0, url: $0.0, contentDigest: $0.1) }, at: Date())
    }

    @Test(arguments: Backend.available)
    func recordsFindingsOnceAndSurvivesReopening(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        do {
            let store = try database.open()
            try store.recordFinding(finding("f1"), itemURL: "https://contoh.test/a", caseFilePath: "/b/f1", at: Date(), target: "t")
            try store.recordFinding(finding("f1"), itemURL: "https://contoh.test/a", caseFilePath: "/b/other", at: Date(), target: "t")
            #expect(try store.caseFilePath(forFinding: "f1") == "/b/f1")
        }
        let reopened = try database.open()
        #expect(try reopened.findings().map(\.id) == ["f1"])
        #expect(try reopened.findings().first.map { ($0.severity, $0.findingClass) } ?? (.low, .report) == (.high, .violation))
        #expect(try reopened.findings(forTarget: "t").map(\.caseFilePath) == ["/b/f1"])
        #expect(try reopened.caseFilePath(forFinding: "nope") == nil)
    }

    @Test func theStateIsPrivateAndInWALMode() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s.sqlite"
        let store = try StateStore(path: path)
        try store.recordPage(page("t", items: [("u", "d1")]))
        #expect(try store.journalMode() == "wal")
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file)")
        }
    }

    @Test(arguments: Backend.available)
    func remembersValidatorsForConditionalRequests(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        let capture = Capture(requestURL: "https://contoh.test/x", finalURL: "https://contoh.test/x", status: 200,
                              headers: [HTTPHeader(name: "ETag", value: "\"v2\""), HTTPHeader(name: "Last-Modified", value: "Tue, 01 Dec 2026 10:00:00 GMT")],
                              body: Data("halo".utf8), fetchedAt: Date())
        try store.recordPage(page("t", capture: capture, digest: "abc"))
        #expect(try store.fetchMemory(url: "https://contoh.test/x") == FetchMemory(etag: "\"v2\"", lastModified: "Tue, 01 Dec 2026 10:00:00 GMT", bodyDigest: "abc"))
        // After a failure the validators are not used: the next fetch is a full one.
        try store.recordFetchFailure(url: "https://contoh.test/x", status: 503, error: "HTTP status 503", at: Date())
        #expect(try store.fetchMemory(url: "https://contoh.test/x") == nil)
    }

    @Test(arguments: Backend.available)
    func countsConsecutiveFetchFailures(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        try store.recordFetchFailure(url: "https://contoh.test/x", status: nil, error: "timeout", at: Date())
        try store.recordFetchFailure(url: "https://contoh.test/x", status: nil, error: "timeout", at: Date())
        #expect(try store.consecutiveFailures(url: "https://contoh.test/x") == 2)
        let capture = Capture(requestURL: "https://contoh.test/x", finalURL: "https://contoh.test/x", status: 200, body: Data(), fetchedAt: Date())
        try store.recordPage(page("t", capture: capture))
        #expect(try store.consecutiveFailures(url: "https://contoh.test/x") == 0)
    }

    @Test(arguments: Backend.available)
    func dueTargetsAreClaimedOnceAndComeBackAfterTheirInterval(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try store.syncTargets([
            TargetDefinition(id: "a", kind: "page", url: "https://contoh.test/a", every: 3600),
            TargetDefinition(id: "b", kind: "page", url: "https://contoh.test/b"),
        ], at: now)
        #expect(try store.claimDueTargets(worker: "w1", at: now, lease: 600) == ["a", "b"])
        // A second worker finds nothing while the leases hold.
        #expect(try store.claimDueTargets(worker: "w2", at: now, lease: 600) == [])
        try store.finishTarget("a", outcome: .scanned, error: nil, at: now, nextDue: now.addingTimeInterval(3600))
        try store.finishTarget("b", outcome: .failed, error: "HTTP status 500", at: now, nextDue: nil)
        #expect(try store.claimDueTargets(worker: "w1", at: now.addingTimeInterval(60), lease: 600) == ["b"])
        try store.releaseClaims(worker: "w1")
        #expect(try store.claimDueTargets(worker: "w1", at: now.addingTimeInterval(3601), lease: 600) == ["b", "a"])
        let statuses = try store.targetStatuses()
        #expect(statuses.map(\.id) == ["a", "b"])
        #expect(statuses[1].consecutiveFailures == 1)
        #expect(statuses[1].lastError == "HTTP status 500")
        // A target removed from the configuration leaves the state.
        try store.syncTargets([TargetDefinition(id: "a", kind: "page", url: "https://contoh.test/a", every: 3600)], at: now)
        #expect(try store.targetStatuses().map(\.id) == ["a"])
    }

    @Test(arguments: Backend.available)
    func keepsEachHostsRobotsFile(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        let robots = StoredRobots(status: 200, body: "User-agent: *\nDisallow: /privat/\n", fetchedAt: Date(timeIntervalSince1970: 1_800_000_000))
        try store.saveRobots(host: "https://contoh.test:443", robots: robots)
        #expect(try store.robots(host: "https://contoh.test:443") == robots)
        #expect(try store.robots(host: "https://lain.test:443") == nil)
    }
}
