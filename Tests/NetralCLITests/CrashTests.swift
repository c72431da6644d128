import Foundation
import NetralStore
import NetralTestSupport
import Testing
import NetralEvidence

/// `kill -9` during scans must lose nothing and duplicate nothing: a 300-page loopback site is
/// scanned by the `netral` executable, killed at 20 random moments, then scanned to the end.
@Suite(.serialized) struct CrashTests {
    static let pageCount = 300

    static func writeConfig(in folder: String, base: String, pages: [String]) throws -> String {
        // A loopback site: its own host may be private, and no politeness delay is needed.
        var text = """
            format: 1
            rules: [\(repositoryRoot)/Rules]
            sites: []
            state: state.sqlite
            evidence: evidence
            fetch: {user_agent: "Netral-uji (+https://netral-uji.example/kontak)", per_host: 8, per_host_delay: 0}
            targets:

            """
        for (index, page) in pages.enumerated() { text += "  - {id: p\(index), url: \"\(base)\(page)\", allow_private: true}\n" }
        let path = folder + "/netral.yaml"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func startScan(config: String) throws -> Process {
        try NetralProcess.start(["scan", "--config", config, "--log-level", "critical"])
    }

    @Test func killedScansLoseAndDuplicateNothing() async throws {
        let folder = try TemporaryFolder()
        let pages = try LoopbackSite.copyDemoPages(count: Self.pageCount, into: folder.path + "/situs")
        let server = try StaticServer(folder: folder.path + "/situs")
        defer { server.stop() }
        let base = server.base
        do {
            // The reference: one uninterrupted run.
            let reference = try Self.writeConfig(in: folder.path + "/utuh", base: base, pages: pages)
            let started = Date()
            let whole = try Self.startScan(config: reference)
            try await offCooperativePool { whole.waitUntilExit() }
            #expect(whole.terminationStatus == 0)
            let duration = Date().timeIntervalSince(started)

            // Runs killed at random moments until 20 kills have landed inside a run (at most 60
            // tries: runs after the first skip what is already judged and can end before the
            // kill), then one run to the end.
            let crashed = try Self.writeConfig(in: folder.path + "/mati", base: base, pages: pages)
            var killedWhileRunning = 0
            var tries = 0
            // The window the kill moment is drawn from shrinks whenever a run ended first.
            var window = max(30, Int(duration * 250))
            while killedWhileRunning < 20 && tries < 60 {
                tries += 1
                let run = try Self.startScan(config: crashed)
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...window)))
                if run.isRunning { killedWhileRunning += 1 } else { window = max(10, window / 2) }
                kill(run.processIdentifier, SIGKILL)
                try await offCooperativePool { run.waitUntilExit() }
            }
            #expect(killedWhileRunning >= 20, "kills must land inside runs")
            let last = try Self.startScan(config: crashed)
            try await offCooperativePool { last.waitUntilExit() }
            #expect(last.terminationStatus == 0)
        }

        let expected = try LoopbackSite.caseIDs(folder.path + "/utuh/evidence")
        #expect(expected.count == Self.pageCount / 12 * 5 || expected.count > 100)
        let evidence = folder.path + "/mati/evidence"
        #expect(try LoopbackSite.caseIDs(evidence) == expected)
        let store = try StateStore(path: folder.path + "/mati/state.sqlite")
        #expect(try store.integrityCheck() == "ok")
        #expect(Set(try store.caseFiles().map(\.id)) == expected)
        let checks = try EvidenceVerifier(store: store).verify(path: evidence)
        #expect(checks.allSatisfy { $0.isIntact }, "\(checks.filter { !$0.isIntact }.prefix(3))")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: evidence + "/.incomplete")) ?? []
        #expect(leftovers.isEmpty)
    }
}
