import Foundation
import NetralModel
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@testable import NetralStore

/// What several workers on one state rely on: claims that never overlap, leases that expire,
/// one live run per worker name, and the location's parsing and password sources.
@Suite struct SharedStateTests {
    static func targets(_ count: Int) -> [TargetDefinition] {
        (0..<count).map { TargetDefinition(id: String(format: "t%03d", $0), kind: "page", url: "https://contoh.test/\($0)", every: 3600) }
    }

    @Test(arguments: Backend.available)
    func workersClaimingAtOnceShareTheTargetsWithoutOverlap(_ backend: Backend) async throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let now = Date()
        try database.open().syncTargets(Self.targets(120), at: now)
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in ["w1", "w2", "w3"] {
                group.addTask {
                    // Each worker its own connection, claiming 7 at a time until none is left.
                    let store = try database.open()
                    var mine: [String] = []
                    while true {
                        let batch = try store.claimDueTargets(worker: worker, at: now, lease: 600, limit: 7, runStartedAt: now)
                        if batch.isEmpty { break }
                        mine += batch
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 120)
        #expect(Set(all) == Set(Self.targets(120).map(\.id)))
    }

    @Test(arguments: Backend.available)
    func aKilledWorkersTargetsComeBackWhenItsLeaseEnds(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        let store = try database.open()
        let start = Date()
        try store.syncTargets(Self.targets(4), at: start)
        #expect(try store.claimDueTargets(worker: "dead", at: start, lease: 30, limit: 2, runStartedAt: start) == ["t000", "t001"])
        #expect(try store.claimDueTargets(worker: "alive", at: start, lease: 30, limit: nil, runStartedAt: start) == ["t002", "t003"])
        try store.finishTarget("t002", outcome: .scanned, error: nil, at: start, nextDue: start.addingTimeInterval(3600))
        // Renewing: "alive" claims nothing new but keeps t003 past the first lease.
        #expect(try store.claimDueTargets(worker: "alive", at: start.addingTimeInterval(20), lease: 30, limit: 0, runStartedAt: start) == [])
        let later = start.addingTimeInterval(31)
        #expect(try store.claimDueTargets(worker: "other", at: later, lease: 30, limit: nil, runStartedAt: start) == ["t000", "t001"])
        // t002 ran in this run and is not due again; t003's lease was renewed.
        #expect(try store.claimDueTargets(worker: "other", at: later, lease: 30, limit: nil, runStartedAt: start) == [])
    }

    @Test(.enabled(if: Backend.postgresURL != nil, Backend.skipNote))
    func oneLiveRunPerWorkerName() throws {
        let database = try TestDatabase(.postgres)
        defer { withExtendedLifetime(database) {} }
        let first = try database.open()
        #expect(try first.holdSessionLock("scan --worker kantor-kukar"))
        let second = try database.open()
        #expect(try !second.holdSessionLock("scan --worker kantor-kukar"))
        #expect(try second.holdSessionLock("scan --worker kantor-samarinda"))
        // The server releases the name with the connection, as when a process dies.
        withExtendedLifetime(first) {}
    }

    @Test func theLocationNeverTakesAPasswordFromTheURL() throws {
        #expect(try StateLocation.parse("state/netral.sqlite") == .sqlite(path: "state/netral.sqlite"))
        let location = try PostgresLocation(url: "postgres://netral@db.bawaslu-contoh.example:6432/netral_kaltim?sslmode=require",
                                            passwordEnvironment: "NETRAL_DB_PASSWORD")
        #expect(location.host == "db.bawaslu-contoh.example" && location.port == 6432 && location.user == "netral")
        #expect(location.database == "netral_kaltim" && location.tls == .require)
        #expect(location.description == "postgres://netral@db.bawaslu-contoh.example:6432/netral_kaltim?sslmode=require")
        #expect(try location.password(environment: ["NETRAL_DB_PASSWORD": "rahasia"]) == "rahasia")
        #expect(throws: PostgresLocation.Invalid.self) { try location.password(environment: [:]) }
        let withPassword = #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: "postgres://netral:rahasia@db.example/netral") }
        #expect(withPassword?.description.contains("rahasia") == false)
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: "postgres://db.example/netral") }
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: "postgres://netral@db.example/") }
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: "postgres://netral@db.example/x?sslmode=kadang") }
    }

    @Test func pgpassLinesMatchWithWildcardsAndEscapes() throws {
        let text = """
        # host:port:database:user:password
        db.example:5432:lain:netral:bukan-ini
        db.example:*:netral:netral:pa\\:ss\\\\word
        *:*:*:*:cadangan
        """
        #expect(PostgresLocation.pgpassPassword(text, host: "db.example", port: 5433, database: "netral", user: "netral") == "pa:ss\\word")
        #expect(PostgresLocation.pgpassPassword(text, host: "lain.example", port: 5432, database: "x", user: "y") == "cadangan")
        let folder = try TemporaryFolder()
        let file = try folder.write("pgpass", "db.example:5432:netral:netral:dari-berkas\n")
        let location = PostgresLocation(host: "db.example", user: "netral", database: "netral")
        #expect(try location.password(environment: ["PGPASSFILE": file]) == "dari-berkas")
        #expect(try location.password(environment: ["PGPASSFILE": folder.path + "/tidak-ada"]) == nil)
    }

    @Test(.enabled(if: Backend.postgresURL != nil, Backend.skipNote))
    func aWrongPasswordIsAClearErrorWithoutThePassword() throws {
        var location = try TestDatabase.serverLocation()
        location.passwordEnvironment = "NETRAL_TEST_WRONG_PASSWORD"
        setenv("NETRAL_TEST_WRONG_PASSWORD", "salah-sandi-123", 1)
        let error = #expect(throws: PostgresStoreError.self) { try StateStore(location: .postgres(location)) }
        #expect(error?.description.contains("password authentication failed") == true, "\(String(describing: error))")
        #expect(error?.description.contains("salah-sandi-123") == false)
    }
}
