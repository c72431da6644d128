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

    /// Adds a line to a page, written whole (the server never serves half a page), so its item's
    /// content and case id change.
    static func change(page: String, in site: String, round: Int) throws {
        let path = site + "/" + page
        var html = try String(contentsOfFile: path, encoding: .utf8)
        let line = "\n<p>Catatan pembaruan ke-\(round): tulisan ini disunting lagi oleh penulisnya.</p>\n"
        if let heading = html.range(of: "</h1>") {
            html.insert(contentsOf: line, at: heading.upperBound)
        } else if let body = html.range(of: "<body>") {
            html.insert(contentsOf: line, at: body.upperBound)
        }
        try html.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The state and evidence after a kill, read as `verify --state` reads them: every case
    /// file in place is recorded (or marked for the next run), every recorded one is in place.
    static func verifyProblems(_ folder: String) throws -> [CaseFileCheck] {
        let store = try StateStore(location: .sqlite(path: folder + "/state.sqlite"), access: .readOnly)
        return try EvidenceVerifier(store: store).verify(path: folder + "/evidence").filter { !$0.isIntact }
    }

    @Test func killedScansWhileThePagesChangeLeaveNoCaseFileWithoutItsRow() async throws {
        let folder = try TemporaryFolder()
        let site = folder.path + "/situs"
        let pages = try LoopbackSite.copyDemoPages(count: 60, into: site)
        let server = try StaticServer(folder: site)
        defer { server.stop() }
        let config = try Self.writeConfig(in: folder.path + "/ubah", base: server.base, pages: pages)
        let started = Date()
        let first = try Self.startScan(config: config)
        try await offCooperativePool { first.waitUntilExit() }
        #expect(first.terminationStatus == 0)
        let duration = Date().timeIntervalSince(started)

        // Before every run some pages are edited, so a run killed between a case file's rename and
        // its row leaves a folder whose item has changed by the next run.
        var killedWhileRunning = 0
        var tries = 0
        var round = 0
        var window = max(30, Int(duration * 1000))
        var problemsAfterKills: [String] = []
        while killedWhileRunning < 25 && tries < 80 {
            tries += 1
            for page in pages.shuffled().prefix(12) {
                round += 1
                try Self.change(page: page, in: site, round: round)
            }
            let run = try Self.startScan(config: config)
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...window)))
            if run.isRunning { killedWhileRunning += 1 } else { window = max(10, window * 3 / 4) }
            kill(run.processIdentifier, SIGKILL)
            try await offCooperativePool { run.waitUntilExit() }
            problemsAfterKills += try Self.verifyProblems(folder.path + "/ubah").map { "\($0.path): \($0.problems)" }
        }
        #expect(killedWhileRunning >= 25, "kills must land inside runs")
        #expect(problemsAfterKills.isEmpty, "\(problemsAfterKills.prefix(3))")
        let last = try Self.startScan(config: config)
        try await offCooperativePool { last.waitUntilExit() }
        #expect(last.terminationStatus == 0)

        let evidence = folder.path + "/ubah/evidence"
        let store = try StateStore(path: folder.path + "/ubah/state.sqlite")
        #expect(try store.integrityCheck() == "ok")
        let recorded = try store.caseFiles()
        #expect(Set(recorded.map(\.id)) == (try LoopbackSite.caseIDs(evidence)))
        #expect(try Self.verifyProblems(folder.path + "/ubah").isEmpty)
        let markers = (try? FileManager.default.contentsOfDirectory(atPath: evidence + "/.pending")) ?? []
        #expect(markers.isEmpty, "\(markers)")
        // Each item's versions form one line: every later case file names the one before it.
        var versionsFound = 0
        for versions in Dictionary(grouping: recorded, by: \.itemID).values {
            let ordered = versions.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            versionsFound += ordered.count - 1
            #expect(ordered.first?.supersedes == nil, "\(ordered.map(\.id))")
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                #expect(later.supersedes == earlier.id, "\(later.id) must name \(earlier.id)")
            }
        }
        #expect(versionsFound > 0, "the edits must have made new versions")
    }
}
