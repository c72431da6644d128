import Foundation
import NetralModel
import NetralStoreTestSupport
import NetralTestSupport
import Testing
@_spi(Testing) @testable import NetralStore

@Suite struct MigrationTests {
    /// A state file written by `netral demo` at 3625cf4, when GRDB's migrator made the schema:
    /// today's store opens it with nothing migrated again and reads every row as it was.
    @Test func aStateFileFromBeforeTheExecutorOpensAndKeepsItsData() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/state.sqlite"
        try FileManager.default.copyItem(atPath: repositoryRoot + "/Fixtures/state/netral-3625cf4-demo.sqlite", toPath: path)
        let store = try StateStore(path: path)
        #expect(try Migrations.applied(store.database) == Set(Migrations.all.map(\.name)))
        let caseFiles = try store.caseFiles()
        #expect(caseFiles.map(\.id) == ["36f966806986ff7ce6817afe", "b2a4c11924dfe3de7da53417", "888a90b1d3d33fa915de9821",
                                        "ba5da7f5176d8f955e34e252", "9259828681800b3ea81883e8", "9f974c88454ec97e860f1113"])
        let first = try #require(caseFiles.first)
        #expect(first.itemID == "http://127.0.0.1:43537/warga-lapor-kades.html")
        #expect(first.manifestSHA256 == "937c502e523ca06776800cf2206f964a1c3baa5ffaf9100e4ebb4c3ace497fdd")
        // GRDB's text dates read back to the millisecond.
        #expect(first.createdAt == (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse("2026-12-01T17:09:00.635Z")))
        #expect(try store.findings().count == 14)
        let statuses = try store.targetStatuses()
        #expect(statuses.count == 13 && statuses.allSatisfy { $0.lastResult == .scanned })
        #expect(try store.fetchMemory(url: "http://127.0.0.1:43537/resep-kue.html")
                == FetchMemory(etag: "W/\"023739363133353439362e302d333430\"", lastModified: "Tue, 01 Dec 2026 14:31:36 GMT",
                               bodyDigest: "37f8e6dea1b8cdfede297f002c4ec3175f54a804fe69980547a87a6514a2e67c"))
        // And it goes on working: a decision, a listing, due targets.
        try store.recordReview(caseID: "36f9", decision: .confirm, note: "Kades mengajak warga memilih.", reviewer: "Rina")
        #expect(try store.caseFiles(matching: CaseFileFilter(statuses: [.confirmed])).caseFiles.map(\.id) == ["36f966806986ff7ce6817afe"])
        #expect(try store.verifyReviewLog().isEmpty)
        #expect(try store.claimDueTargets(worker: "w", at: Date(), lease: 60).count == 13)
        #expect(try store.integrityCheck() == "ok")
    }

    /// The migrations table is GRDB's, so a file migrated here is one GRDB's migrator reads alike.
    @Test(arguments: Backend.available)
    func migrationsAreRecordedByNameOnce(_ backend: Backend) throws {
        let database = try TestDatabase(backend)
        defer { withExtendedLifetime(database) {} }
        _ = try database.open()
        let reopened = try database.open()
        let names = try reopened.database.read { db in
            try db.fetchColumn("SELECT identifier FROM \(Migrations.table) ORDER BY identifier", as: String.self)
        }
        #expect(names == Migrations.all.map(\.name).sorted())
    }

    /// Workers starting together on an empty PostgreSQL database migrate it once between them.
    @Test(.enabled(if: Backend.postgresURL != nil, Backend.skipNote))
    func workersStartingTogetherMigrateOnce() async throws {
        let database = try TestDatabase(.postgres)
        defer { withExtendedLifetime(database) {} }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try database.open() } }
            try await group.waitForAll()
        }
        #expect(try Migrations.applied(database.open().database) == Set(Migrations.all.map(\.name)))
    }
}
