import Foundation
import NetralTestSupport
import Testing
@testable import NetralCases
import NetralCaseFixtures
import NetralStore
import NetralStoreTestSupport

/// Push and export unchanged on a shared PostgreSQL state: a case file goes once, a second run
/// sends nothing, and the cursor counts what went.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NETRAL_TEST_POSTGRES"].map { !$0.isEmpty } ?? false,
                "NETRAL_TEST_POSTGRES is not set: push on PostgreSQL did not run (.ci/postgres-up starts a server)"))
struct PushOnPostgresTests {
    @Test func aPushSendsEachConfirmedCaseFileOnceAndARerunSendsNothing() async throws {
        let database = try TestDatabase(.postgres)
        defer { withExtendedLifetime(database) {} }
        let location = try #require(database.postgres)

        let fixtures = try CaseFixtures(folder: TemporaryFolder(), state: .postgres(location))
        let ids = try fixtures.populate(5, confirmed: [0, 2, 3], dismissed: [4])
        let receiver = try await Receiver.start { _, _ in .accept() }
        defer { Task { try? await receiver.stop() } }
        let destination = Destination(name: "pelacak", kind: .webhook, url: receiver.base + "/kasus", tokenVariable: "NETRAL_UJI_TOKEN",
                                      allowPrivate: true, connectTimeout: 2, timeout: 2, attempts: 2, retryBaseDelay: 0.01, retryAfterCap: 1)
        let pusher = try CasePusher(store: fixtures.store, evidenceRoot: fixtures.evidence, destination: destination,
                                    engine: PushTests.engine, environment: ["NETRAL_UJI_TOKEN": PushTests.token])
        let first = try await pusher.run()
        #expect(Set(first.sent) == [ids[0], ids[2], ids[3]])
        let again = try await pusher.run()
        #expect(again.sent.isEmpty)
        #expect(Set(receiver.log.keptBodies.keys) == [ids[0], ids[2], ids[3]])
        #expect(receiver.log.all.count == 3)
        #expect(try fixtures.store.exportCursor(destination: "pelacak")?.delivered == 3)
        #expect(try fixtures.store.holdSessionLock("push --to pelacak"))
        #expect(try !StateStore(location: .postgres(location)).holdSessionLock("push --to pelacak"), "a second push waits its turn")
    }
}
