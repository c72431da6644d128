import Foundation
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@testable import NetralStore

/// A target that is gone (404/410) run after run is asked for less and less often, so cron does
/// not mail about it every hour; it is due as before once it answers again.
@Suite struct GoneBackoffTests {
    @Test(arguments: Backend.available)
    func aTargetGoneAgainBacksOffAndComesBackWhenItAnswers(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        let start = Date(timeIntervalSince1970: 1_706_000_000)
        try store.syncTargets([TargetDefinition(id: "hilang", kind: "page", url: "https://contoh.test/hilang")], at: start)
        func nextDue() throws -> Date? { try store.targetStatuses().first { $0.id == "hilang" }?.nextDue }

        try store.finishTarget("hilang", outcome: .gone, error: "HTTP status 404", at: start, nextDue: nil)
        #expect(try nextDue() == nil, "the first gone is reported and the target stays due")
        try store.finishTarget("hilang", outcome: .gone, error: "HTTP status 404", at: start, nextDue: nil)
        #expect(try nextDue() == start.addingTimeInterval(6 * 3600))
        try store.finishTarget("hilang", outcome: .gone, error: "HTTP status 410", at: start, nextDue: nil)
        #expect(try nextDue() == start.addingTimeInterval(12 * 3600))
        #expect(try store.targetStatuses().first?.consecutiveFailures == 3)
        // An interval longer than the back-off stays.
        try store.finishTarget("hilang", outcome: .gone, error: "HTTP status 410", at: start, nextDue: start.addingTimeInterval(7 * 86_400))
        #expect(try nextDue() == start.addingTimeInterval(7 * 86_400))
        try store.finishTarget("hilang", outcome: .scanned, error: nil, at: start, nextDue: nil)
        #expect(try nextDue() == nil)
        let month: TimeInterval = 30 * 86_400
        #expect(StateStore.goneBackoff(previousFailures: 40) == month)
    }
}
