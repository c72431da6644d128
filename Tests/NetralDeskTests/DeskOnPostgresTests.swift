import Foundation
import NetralTestSupport
import Testing
import NetralStore
import NetralStoreTestSupport
@testable import NetralDesk

/// The desk unchanged on a shared PostgreSQL state: the queue, a case page, and decisions from
/// two reviewers' sessions at once, all in the one hash-chained log.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NETRAL_TEST_POSTGRES"].map { !$0.isEmpty } ?? false,
                "NETRAL_TEST_POSTGRES is not set: the desk on PostgreSQL did not run (.ci/postgres-up starts a server)"))
struct DeskOnPostgresTests {
    @Test func twoReviewersDecideAtOnceOnASharedState() async throws {
        let database = try TestDatabase(.postgres)
        defer { withExtendedLifetime(database) {} }
        let location = try #require(database.postgres)

        let fixture = try DeskFixture(caseFiles: (1...4).map { DeskSample.caseFile(number: $0) }, state: location.description,
                                      statePasswordEnvironment: "NETRAL_TEST_POSTGRES_PASSWORD")
        #expect(fixture.desk.store.isShared)
        try await DeskServer.withDesk(fixture.desk, logger: quietLogger) { base in
            let queue = DeskClient(base: base)
            _ = try await queue.signIn(fixture.desk)
            let page = try await queue.send("/")
            #expect(page.status == 200)
            #expect(fixture.ids.allSatisfy { page.body.contains($0) })
            // Two reviewers, each signed in with a link of their own, decide on different case
            // files at the same moment.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (reviewer, decision, id) in [("Rina", "confirm", fixture.ids[0]), ("Dodi", "dismiss", fixture.ids[1])] {
                    group.addTask {
                        let client = DeskClient(base: base)
                        let signIn = try await client.send("/masuk?token=\(fixture.desk.newLoginToken(reviewer: reviewer))")
                        #expect(signIn.status == 303)
                        client.cookie = signIn.header("Set-Cookie").map { String($0.split(separator: ";")[0]) }
                        let csrf = try #require(DeskClient.csrf(in: try await client.send("/kasus/\(id)").body))
                        let answer = try await client.send("/kasus/\(id)/keputusan", method: "POST",
                                                           form: [("csrf", csrf), ("keputusan", decision), ("catatan", "keputusan \(reviewer)")])
                        #expect(answer.status == 303)
                    }
                }
                try await group.waitForAll()
            }
        }
        let log = try fixture.store.reviewLog()
        #expect(Set(log.map(\.reviewer)) == ["Rina", "Dodi"] && log.map(\.sequence) == [1, 2])
        #expect(try fixture.store.verifyReviewLog().isEmpty)
        #expect(try fixture.store.caseFile(id: fixture.ids[0])?.reviewStatus == .confirmed)
        #expect(try fixture.store.caseFile(id: fixture.ids[1])?.reviewStatus == .dismissed)
    }
}
