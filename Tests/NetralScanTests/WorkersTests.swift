import Foundation
import NetralTestSupport
import Testing
import NetralStore
import NetralStoreTestSupport

/// Workers on one PostgreSQL state (`netral scan --worker`, real processes) over a 300-page
/// loopback site: the targets are shared out with nothing fetched twice and the same case files
/// as one SQLite run; a worker killed with `kill -9` leaves its targets to the others once its
/// lease ends. Runs when `NETRAL_TEST_POSTGRES` names a server (`.ci/postgres-up`; CI sets it).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["NETRAL_TEST_POSTGRES"].map { !$0.isEmpty } ?? false,
                             "NETRAL_TEST_POSTGRES is not set: the workers tests against PostgreSQL did not run (.ci/postgres-up starts a server)"))
struct WorkersTests {
    static let netral = repositoryRoot + "/.build/debug/netral"
    static let pageCount = 300

    /// A configuration for the site; `state` is a file name or the test server's URL.
    static func writeConfig(in folder: String, base: String, pages: [String], state: String) throws -> String {
        var text = """
        format: 1
        rules: [\(repositoryRoot)/Rules]
        sites: []
        state: \(state)
        evidence: evidence
        fetch: {user_agent: "Netral-uji (+https://netral-uji.example/kontak)", per_host: 4, per_host_delay: 0, concurrency: 4}
        targets:

        """
        if state.hasPrefix("postgres") { text = text.replacingOccurrences(of: "evidence: evidence", with: "evidence: evidence\nstate_password_env: NETRAL_TEST_POSTGRES_PASSWORD") }
        for (index, page) in pages.enumerated() { text += "  - {id: p\(index), url: \"\(base)\(page)\", allow_private: true, every: 1h}\n" }
        let path = folder + "/netral.yaml"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func scan(config: String, worker: String? = nil, lease: Int? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: netral)
        var arguments = ["scan", "--config", config, "--log-level", "critical"]
        if let worker { arguments += ["--worker", worker] }
        if let lease { arguments += ["--lease", String(lease)] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The reference: one SQLite run of the same site, its case-file ids.
    static func referenceCaseIDs(folder: String, base: String, pages: [String]) async throws -> Set<String> {
        let config = try writeConfig(in: folder + "/sqlite", base: base, pages: pages, state: "state.sqlite")
        let run = try scan(config: config)
        try await offCooperativePool { run.waitUntilExit() }
        #expect(run.terminationStatus == 0)
        return try LoopbackSite.caseIDs(folder + "/sqlite/evidence")
    }

    @Test func threeWorkersFetchEveryPageOnceAndWriteTheSameCaseFiles() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.netral), "build netral first (swift build)")
        let folder = try TemporaryFolder()
        let pages = try LoopbackSite.copyDemoPages(count: Self.pageCount, into: folder.path + "/situs")
        // One server for both runs: case ids derive from the items' URLs, port included.
        let server = try StaticServer(folder: folder.path + "/situs", requestLog: folder.path + "/requests.log")
        defer { server.stop() }
        let reference = try await Self.referenceCaseIDs(folder: folder.path, base: server.base, pages: pages)
        #expect(reference.count > 100)
        let before = try server.requestCounts()

        let database = try TestDatabase(.postgres)
        defer { withExtendedLifetime(database) {} }
        let url = database.location.description
        let config = try Self.writeConfig(in: folder.path + "/shared", base: server.base, pages: pages, state: url)
        let workers = try ["kantor-provinsi", "kantor-kukar", "kantor-samarinda"].map { try Self.scan(config: config, worker: $0) }
        for worker in workers {
            try await offCooperativePool { worker.waitUntilExit() }
            #expect(worker.terminationStatus == 0)
        }
        let counts = try server.requestCounts().merging(before) { $0 - $1 }
        #expect(pages.allSatisfy { counts[$0] == 1 }, "not fetched exactly once: \(pages.filter { counts[$0] != 1 }.prefix(5))")
        #expect(try LoopbackSite.caseIDs(folder.path + "/shared/evidence") == reference)
        let store = try database.open()
        let caseFiles = try store.caseFiles()
        #expect(caseFiles.count == reference.count && Set(caseFiles.map(\.id)) == reference)
        #expect(try store.targetStatuses().allSatisfy { $0.lastResult == .scanned })
        // A second round at once: nothing is due, nothing is fetched.
        let again = try ["kantor-provinsi", "kantor-kukar"].map { try Self.scan(config: config, worker: $0) }
        for worker in again { try await offCooperativePool { worker.waitUntilExit() } }
        #expect(try server.requestCounts().merging(before) { $0 - $1 }.filter { pages.contains($0.key) }.values.reduce(0, +) == Self.pageCount)
    }

    @Test func aKilledWorkersTargetsAreFinishedByTheOthersAfterItsLease() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.netral), "build netral first (swift build)")
        let folder = try TemporaryFolder()
        let pages = try LoopbackSite.copyDemoPages(count: Self.pageCount, into: folder.path + "/situs")
        // Each answer takes 20 ms, so the kill lands while every worker holds claims.
        let server = try StaticServer(folder: folder.path + "/situs", requestLog: folder.path + "/requests.log", delay: 0.02)
        defer { server.stop() }
        let reference = try await Self.referenceCaseIDs(folder: folder.path, base: server.base, pages: pages)
        let before = try server.requestCounts()

        let database = try TestDatabase(.postgres)
        defer { withExtendedLifetime(database) {} }
        let url = database.location.description
        let config = try Self.writeConfig(in: folder.path + "/shared", base: server.base, pages: pages, state: url)
        let lease = 3
        let doomed = try Self.scan(config: config, worker: "mati", lease: lease)
        let survivors = try ["hidup-1", "hidup-2"].map { try Self.scan(config: config, worker: $0, lease: lease) }
        let deadline = Date().addingTimeInterval(30)
        let beforeTotal = before.values.reduce(0, +)
        while try server.requestCounts().values.reduce(0, +) - beforeTotal < 40, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(doomed.isRunning, "the worker must be killed mid-run")
        kill(doomed.processIdentifier, SIGKILL)
        try await offCooperativePool { doomed.waitUntilExit() }
        let killedAt = Date()
        for worker in survivors {
            try await offCooperativePool { worker.waitUntilExit() }
            #expect(worker.terminationStatus == 0)
        }
        let store = try database.open()
        let statuses = try store.targetStatuses()
        #expect(statuses.count == Self.pageCount)
        #expect(statuses.allSatisfy { $0.lastResult == .scanned }, "unfinished: \(statuses.filter { $0.lastResult != .scanned }.map(\.id).prefix(5))")
        // The killed worker held claims, so the survivors waited for its lease before ending.
        #expect(Date().timeIntervalSince(killedAt) >= Double(lease) - 1)
        let counts = try server.requestCounts().merging(before) { $0 - $1 }
        #expect(pages.allSatisfy { (counts[$0] ?? 0) >= 1 })
        // Only what the killed worker had fetched but not committed is fetched again.
        let repeated = pages.filter { (counts[$0] ?? 0) > 1 }
        #expect(repeated.count <= 2 * 4 + 64, "\(repeated.count) pages fetched twice")
        #expect(try LoopbackSite.caseIDs(folder.path + "/shared/evidence") == reference)
        #expect(Set(try store.caseFiles().map(\.id)) == reference)
    }
}
