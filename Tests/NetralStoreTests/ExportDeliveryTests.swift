import Foundation
import NetralEvidence
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@testable import NetralStore

/// The export cursors and delivery rows of the case-tracker feed, on both databases: a batch
/// counts as delivered whole, a case file goes to a destination once, a re-export keeps the
/// first delivery.
@Suite struct ExportDeliveryTests {
    @Test(arguments: Backend.available)
    func eachDestinationReceivesEachCaseFileOnce(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        for (index, id) in ["aa000001", "bb000002", "cc000003"].enumerated() {
            try store.recordCaseFile(StoredCaseFile(id: id, itemID: "https://contoh.test/\(index)", contentDigest: "d", path: id,
                                                    manifestSHA256: String(repeating: "\(index)", count: 64), supersedes: nil,
                                                    createdAt: Date(timeIntervalSince1970: 1_733_000_000 + Double(index) * 60),
                                                    acts: "A6", severity: .high))
        }
        try store.recordReview(caseID: "bb000002", decision: .confirm, note: "Terbukti.", reviewer: "Rina")
        let confirmed = CaseFileFilter(statuses: [.confirmed])
        let first = try store.undeliveredCaseFiles(destination: "bawaslu", matching: CaseFileFilter())
        #expect(first.map(\.id) == ["aa000001", "bb000002", "cc000003"])
        try store.recordDeliveries(destination: "bawaslu", format: "jsonl", caseFiles: Array(first.prefix(2)), at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(try store.undeliveredCaseFiles(destination: "bawaslu", matching: CaseFileFilter()).map(\.id) == ["cc000003"])
        #expect(try store.undeliveredCaseFiles(destination: "thehive", matching: confirmed).map(\.id) == ["bb000002"])
        // Again, with one already sent: only the new one counts.
        try store.recordDeliveries(destination: "bawaslu", format: "csv", caseFiles: first, at: Date(timeIntervalSince1970: 1_800_000_060))
        let cursor = try #require(try store.exportCursor(destination: "bawaslu"))
        #expect(cursor.delivered == 3 && cursor.batches == 2 && cursor.lastFormat == "csv")
        #expect(cursor.lastDeliveredAt == Date(timeIntervalSince1970: 1_800_000_060))
        let deliveries = try store.deliveries(destination: "bawaslu")
        #expect(deliveries.map(\.caseID) == ["aa000001", "bb000002", "cc000003"])
        #expect(deliveries.map(\.format) == ["jsonl", "jsonl", "csv"])
        #expect(try store.exportCursor(destination: "misp") == nil)
        #expect(try store.undeliveredCaseFiles(destination: "bawaslu", matching: CaseFileFilter(), includeDelivered: true).count == 3)
    }
}
