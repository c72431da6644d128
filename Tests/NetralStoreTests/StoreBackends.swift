import Foundation
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@testable import NetralStore

@Suite struct BackendTests {
    /// CI sets NETRAL_TEST_REQUIRE_POSTGRES=1 beside the server's URL: there, a missing URL is a
    /// failure, not a quiet skip of half the suite.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["NETRAL_TEST_REQUIRE_POSTGRES"] == "1"))
    func postgresIsConfiguredWhereRequired() {
        #expect(Backend.postgresURL != nil, "NETRAL_TEST_REQUIRE_POSTGRES=1 but NETRAL_TEST_POSTGRES is not set")
    }

    /// Says plainly, in the test output, when the PostgreSQL half of the suite was skipped.
    @Test(.enabled(if: Backend.postgresURL != nil, Backend.skipNote))
    func postgresServerAnswers() throws {
        let database = try TestDatabase(.postgres)
        let store = try database.open()
        #expect(store.isShared)
        #expect(try store.integrityCheck() == "ok")
        #expect(!store.path.contains(ProcessInfo.processInfo.environment["NETRAL_TEST_POSTGRES_PASSWORD"] ?? "\u{0}"))
    }
}
