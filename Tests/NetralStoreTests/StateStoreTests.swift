import Foundation
import NetralModel
import NetralTestSupport
import Testing
@testable import NetralStore

@Suite struct StateStoreTests {
    func finding(_ id: String) -> Finding {
        Finding(id: id, rule: "asn-kampanye-paslon", pack: PackReference(name: "asn", version: "1", sha256: "00"),
                act: "A2", severity: .high, score: 1, description: "", hits: [], fired: ["asn"], condition: "asn", unless: nil)
    }

    @Test func recordsFindingsOnceAndSurvivesReopening() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/state/netral.sqlite"
        do {
            let store = try StateStore(path: path)
            try store.recordFinding(finding("f1"), itemURL: "https://contoh.test/a", bundlePath: "/b/f1", at: Date())
            try store.recordFinding(finding("f1"), itemURL: "https://contoh.test/a", bundlePath: "/b/other", at: Date())
            #expect(try store.bundlePath(forFinding: "f1") == "/b/f1")
        }
        let reopened = try StateStore(path: path)
        #expect(try reopened.findings().map(\.id) == ["f1"])
        #expect(try reopened.findings().first?.reviewStatus == "new")
        #expect(try reopened.bundlePath(forFinding: "nope") == nil)
    }

    @Test func tracksItemsAndTheirContent() throws {
        let folder = try TemporaryFolder()
        let store = try StateStore(path: folder.path + "/s.sqlite")
        #expect(try store.recordItem(id: "u", url: "u", contentDigest: "d1", at: Date()))
        #expect(try !store.recordItem(id: "u", url: "u", contentDigest: "d1", at: Date()))
        #expect(try store.recordItem(id: "u", url: "u", contentDigest: "d2", at: Date()))
    }

    @Test func countsConsecutiveFetchFailures() throws {
        let folder = try TemporaryFolder()
        let store = try StateStore(path: folder.path + "/s.sqlite")
        try store.recordFetchFailure(url: "https://contoh.test/x", error: "timeout", at: Date())
        try store.recordFetchFailure(url: "https://contoh.test/x", error: "timeout", at: Date())
        #expect(try store.consecutiveFailures(url: "https://contoh.test/x") == 2)
        let capture = Capture(requestURL: "https://contoh.test/x", finalURL: "https://contoh.test/x", status: 200, body: Data(), fetchedAt: Date())
        try store.recordFetch(capture)
        #expect(try store.consecutiveFailures(url: "https://contoh.test/x") == 0)
    }
}
