import Foundation
import GRDB
import NetralEvidence
import NetralStore
import NetralTestSupport
import NIOCore
import Testing
import NetralCases
import NetralCaseFixtures

/// The `netral` executable as a case officer runs it: review, findings, verify --reviews,
/// export and push, the last one killed at random moments.
@Suite(.serialized) struct CommandTests {
    static func writeConfig(_ fixtures: CaseFixtures, receiver: Receiver? = nil) throws -> String {
        var text = """
            format: 1
            state: state.sqlite
            evidence: evidence
            targets: []

            """
        if let receiver {
            text += """
                destinations:
                  - name: pelacak
                    kind: webhook
                    url: \(receiver.base)/kasus
                    token_env: NETRAL_UJI_TOKEN
                    allow_private: true
                    connect_timeout: 2
                    timeout: 2
                    attempts: 10
                    retry_base_delay: 0.02
                    retry_after_cap: 1

                """
        }
        return try fixtures.folder.write("netral.yaml", text)
    }

    /// Help is the first thing a new user asks for, of the tool and of each command group.
    @Test func helpIsPrintedForTheToolEachGroupAndEachCommand() async throws {
        for arguments in [["--help"], ["rules", "--help"], ["accounts", "--help"], ["help", "scan"], ["review", "-h"]] {
            let asked = try await NetralProcess.run(arguments)
            #expect(asked.status == 0, "\(arguments): \(asked.errors)")
            #expect(asked.output.contains("USAGE: netral"), "\(arguments): \(asked.output)")
            #expect(!(asked.output + asked.errors).contains("CommandError"), "\(arguments)")
        }
        #expect(try await NetralProcess.run(["rules", "--help"]).output.contains("generate"))
    }

    @Test func aCaseOfficersDayFromFindingsToAnExportFile() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(3, confirmed: [])
        let config = try Self.writeConfig(fixtures)

        let listed = try await NetralProcess.run(["findings", "--status", "new", "--format", "json", "--config", config])
        #expect(listed.status == 0)
        let rows = try #require(JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["id"] as? String }) == Set(ids))

        let confirmed = try await NetralProcess.run([
            "review", String(ids[1].prefix(8)), "--confirm", "--note", "Seragam dan ajakan jelas.", "--by", "Rina", "--config", config,
        ])
        #expect(confirmed.status == 0, "\(confirmed.errors)")
        #expect(confirmed.output.contains("\(ids[1]): confirmed by Rina"))
        let index = try String(contentsOfFile: fixtures.evidence + "/index.html", encoding: .utf8)
        #expect(index.contains("<td>dikonfirmasi</td>"))
        let repeated = try await NetralProcess.run(["review", ids[1], "--confirm", "--note", "lagi", "--by", "Rina", "--config", config])
        #expect(repeated.status == 1 && repeated.errors.contains("already confirmed"))
        let unknown = try await NetralProcess.run(["review", "zzzzzz", "--dismiss", "--note", "x", "--config", config])
        #expect(unknown.status == 64)

        let onlyConfirmed = try await NetralProcess.run(["findings", "--status", "confirmed", "--config", config])
        #expect(onlyConfirmed.output.contains(ids[1]) && !onlyConfirmed.output.contains(ids[0]))
        #expect(onlyConfirmed.output.contains("confirm by Rina"))
        #expect(try await NetralProcess.run(["verify", "--reviews", "--config", config]).status == 0)

        let file = fixtures.folder.path + "/laporan.csv"
        // What an export killed mid-write left (its process is gone) is cleared; a live one's is not.
        try fixtures.folder.write("laporan.csv.tmp-999999", "id,sta")
        try fixtures.folder.write("laporan.csv.tmp-\(getpid())", "id,sta")
        let exported = try await NetralProcess.run([
            "export", "--to", "bawaslu", "--format", "csv", "--bom", "--output", file, "--config", config,
        ])
        #expect(exported.status == 0, "\(exported.errors)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes, as: UTF8.self).contains(ids[1]))
        #expect(!String(decoding: bytes, as: UTF8.self).contains(ids[0]))
        let nothing = try await NetralProcess.run([
            "export", "--to", "bawaslu", "--format", "csv", "--output", fixtures.folder.path + "/lagi.csv", "--config", config,
        ])
        #expect(nothing.status == 0 && nothing.errors.contains("nothing new"))
        #expect(!FileManager.default.fileExists(atPath: fixtures.folder.path + "/lagi.csv"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixtures.folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers == ["laporan.csv.tmp-\(getpid())"])

        // A review entry edited behind Netral's back is caught.
        let database = try DatabaseQueue(path: fixtures.statePath)
        try await database.write { db in try db.execute(sql: "UPDATE review_log SET note = 'Bukan ASN.' WHERE sequence = 1") }
        try database.close()
        let tampered = try await NetralProcess.run(["verify", "--reviews", "--state", fixtures.statePath])
        #expect(tampered.status == 1 && tampered.output.contains("edited"))
    }

    /// Decisions signed with the configuration's key and anchored in the evidence folder; a log
    /// erased or rolled back in the database fails `verify --reviews`, against the anchor and
    /// against the head an export file states.
    @Test func anErasedOrRolledBackReviewLogFailsVerification() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(3, confirmed: [])
        _ = try ManifestSigner.generateKeyPair(at: fixtures.folder.path + "/kunci")
        let config = try fixtures.folder.write(
            "netral.yaml", "format: 1\nstate: state.sqlite\nevidence: evidence\nsigning_key: kunci\ntargets: []\n")
        for (index, id) in ids.enumerated() {
            let decided = try await NetralProcess.run([
                "review", id, "--confirm", "--note", "Bukti \(index) jelas.", "--by", "Rina", "--config", config,
            ])
            #expect(decided.status == 0, "\(decided.errors)")
        }
        let intact = try await NetralProcess.run(["verify", "--reviews", "--config", config])
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.output.contains("anchored head: 3 entries, signed"), "\(intact.output)")
        // The export states the head; later it is one more anchor.
        let file = fixtures.folder.path + "/laporan.jsonl"
        let exported = try await NetralProcess.run(["export", "--to", "bawaslu", "--format", "jsonl", "--output", file, "--config", config])
        #expect(exported.status == 0, "\(exported.errors)")
        let line = try #require(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").first)
        let head = try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["review_log_head"] as? String)
        #expect(head.hasPrefix("3:"))
        #expect(try await NetralProcess.run(["verify", "--reviews", "--state", fixtures.statePath, "--head", head]).status == 0)

        // Rolled back to two entries, head and statuses made consistent: the chain alone holds.
        let database = try DatabaseQueue(path: fixtures.statePath)
        try await database.write { db in
            let second = try String.fetchOne(db, sql: "SELECT entry_hash FROM review_log WHERE sequence = 2")!
            try db.execute(sql: "DELETE FROM review_log WHERE sequence = 3")
            try db.execute(sql: "UPDATE review_head SET count = 2, entry_hash = ?", arguments: [second])
            try db.execute(sql: "UPDATE case_file SET review_status = 'new' WHERE id = ?", arguments: [ids[2]])
        }
        let chainOnly = try await NetralProcess.run(["verify", "--reviews", "--state", fixtures.statePath])
        #expect(chainOnly.status == 0, "the chain alone cannot see a rollback: \(chainOnly.output)")
        let rolledBack = try await NetralProcess.run(["verify", "--reviews", "--config", config])
        #expect(rolledBack.status == 1 && rolledBack.output.contains("older copy"), "\(rolledBack.output)")
        let againstExport = try await NetralProcess.run(["verify", "--reviews", "--state", fixtures.statePath, "--head", head])
        #expect(againstExport.status == 1, "\(againstExport.output)")

        // Erased: every entry, the head, every status.
        try await database.write { db in
            try db.execute(sql: "DELETE FROM review_log")
            try db.execute(sql: "DELETE FROM review_head")
            try db.execute(sql: "UPDATE case_file SET review_status = 'new'")
        }
        try database.close()
        let erased = try await NetralProcess.run(["verify", "--reviews", "--config", config])
        #expect(erased.status == 1 && erased.output.contains("has 0 entries"), "\(erased.output)")
    }

    @Test func oneCaseReadyToFileFromTheStateAloneWithoutReplacingAnEarlierRun() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let ids = try fixtures.populate(2, confirmed: [0])
        let output = fixtures.folder.path + "/laporan"
        let location = ["--state", fixtures.statePath, "--evidence", fixtures.evidence]
        let made = try await NetralProcess.run(
            ["case", String(ids[0].prefix(8)), "--output", output, "--chromium", "/tidak/ada/chromium"] + location)
        #expect(made.status == 0, "\(made.errors)")
        #expect(made.errors.contains("no PDF: /tidak/ada/chromium is not an executable"))
        let stem = "kasus-\(ids[0].prefix(12))"
        for name in ["formulir-\(stem).html", "formulir-\(stem).docx", "\(stem).zip"] {
            #expect(FileManager.default.fileExists(atPath: output + "/" + name), "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: output + "/formulir-\(stem).pdf"))
        let form = try String(contentsOfFile: output + "/formulir-\(stem).html", encoding: .utf8)
        #expect(form.contains("Drs. Hartono Wibisono") && form.contains("«Prabowo»"))
        let again = try await NetralProcess.run(["case", ids[0], "--output", output, "--no-pdf"] + location)
        #expect(again.status == 64 && again.errors.contains("--force"))
        #expect(try await NetralProcess.run(["case", ids[0], "--output", output, "--no-pdf", "--force"] + location).status == 0)
        #expect(try await NetralProcess.run(["case", "zzzzzz", "--output", output] + location).status == 64)

        // The other state commands take the same --state and --evidence.
        let listed = try await NetralProcess.run(["findings", "--status", "confirmed"] + location)
        #expect(listed.status == 0 && listed.output.contains("https://warga-0.contoh.test/posts/0"))
        #expect(listed.output.contains(fixtures.evidence + "/") && listed.output.contains("/report.html"))
        let csv = fixtures.folder.path + "/tinjauan.csv"
        let exported = try await NetralProcess.run(
            ["export", "--to", "peninjau", "--format", "csv", "--header-language", "id", "--output", csv] + location)
        #expect(exported.status == 0, "\(exported.errors)")
        #expect(
            try String(contentsOfFile: csv, encoding: .utf8).hasPrefix(
                "id,status,keputusan,peninjau,waktu_keputusan,catatan_peninjauan,nama_terlapor,jabatan"))
        let unknownFirst = try await NetralProcess.run(["review", "zzzzzz", "--dismiss", "--note", "x", "--by", ""] + location)
        #expect(unknownFirst.status == 64 && unknownFirst.errors.contains("zzzzzz"))
    }

    @Test func initWritesAWorkingConfigOnceAndConfigCheckReportsEveryProblemAtOnce() async throws {
        let folder = try TemporaryFolder()
        let made = try await NetralProcess.run(["init", folder.path + "/kantor", "--rules", repositoryRoot + "/Rules"])
        #expect(made.status == 0, "\(made.errors)")
        let config = folder.path + "/kantor/netral.yaml"
        let checked = try await NetralProcess.run(["config", "check", "--config", config])
        #expect(checked.status == 0, "\(checked.errors)")
        #expect(checked.output.hasPrefix("ok: \(config):") && checked.output.contains("1 target(s)"))
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: folder.path + "/kantor/netral-state/evidence", isDirectory: &isDirectory)
                && isDirectory.boolValue)
        let before = try String(contentsOfFile: config, encoding: .utf8)
        let again = try await NetralProcess.run(["init", folder.path + "/kantor", "--rules", repositoryRoot + "/Rules"])
        #expect(again.status == 2 && again.errors.contains("exists already"))
        #expect(try String(contentsOfFile: config, encoding: .utf8) == before)

        // Two problems in the configuration and one in a pack: all three in one run.
        try FileManager.default.createDirectory(atPath: folder.path + "/paket", withIntermediateDirectories: true)
        try folder.write("paket/rusak.yaml", "format: 1\npack: rusak\nversion: \"1\"\nsignals: 12\n")
        let broken = try folder.write(
            "rusak.yaml",
            """
            format: 1
            rules: [paket]
            warna: biru
            fetch:
              user_agent: "Netral/0.1 (+https://bawaslu-contoh.example/kontak)"
            targets:
              - id: a
                url: "bukan url"

            """)
        let report = try await NetralProcess.run(["config", "check", "--config", broken])
        #expect(report.status == 2)
        #expect(report.errors.contains("rusak.yaml:3:1") && report.errors.contains("rusak.yaml:8:"), "\(report.errors)")
        #expect(report.errors.contains("paket/rusak.yaml:"), "\(report.errors)")
    }

    @Test func aSecondPushToTheSameDestinationWaitsItsTurn() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        try fixtures.populate(2, confirmed: [0, 1])
        let receiver = try await Receiver.start { _, _ in .accept(delay: .milliseconds(1500)) }
        defer { Task { try? await receiver.stop() } }
        let config = try Self.writeConfig(fixtures, receiver: receiver)
        let environment = ["NETRAL_UJI_TOKEN": Receiver.token]
        let first = try NetralProcess.start(["push", "--to", "pelacak", "--config", config], environment: environment)
        // The first push holds the destination's lock from before its first request to its end
        // (two answers of 1.5 s each, under its 2 s timeout): the second starts once that request
        // has arrived, however slowly the first process started on a busy machine.
        let deadline = Date().addingTimeInterval(60)
        while receiver.log.all.isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!receiver.log.all.isEmpty, "the first push never reached the receiver")
        let second = try await NetralProcess.run(["push", "--to", "pelacak", "--config", config], environment: environment)
        #expect(second.status == 3 && second.errors.contains("another netral push --to pelacak"), "\(second.errors)")
        try await NetralProcess.wait(first)
        #expect(first.terminationStatus == 0)
        #expect(receiver.log.all.count == 2)
    }

    /// Pushes killed at random moments, then one to the end: the receiver holds every
    /// confirmed case file exactly once by Idempotency-Key, and nothing else.
    @Test func killedPushesLoseNothingAndTheReceiverHoldsEachConfirmedCaseFileOnce() async throws {
        let fixtures = try CaseFixtures(folder: TemporaryFolder())
        let count = 40
        let confirmedIndexes = Set((0..<count).filter { $0 % 4 != 3 })
        let dismissedIndexes = Set((0..<count).filter { $0 % 8 == 3 })
        let ids = try fixtures.populate(count, confirmed: confirmedIndexes, dismissed: dismissedIndexes)
        let confirmed = Set(confirmedIndexes.map { ids[$0] })
        // Every kind of trouble, spread over the requests; most answers are slow, so kills land
        // between a receipt and its answer as well as anywhere else.
        let receiver = try await Receiver.start { number, _ in
            switch number % 23 {
            case 3: .refuse(status: 500)
            case 7: .refuse(status: 429, headers: ["Retry-After: 0"])
            case 11: .keepAndReset
            case 17: .keepAndHang
            case 19: .refuse(status: 503, headers: ["Retry-After: 1"])
            default: .accept(delay: .milliseconds(Int64(20 + number % 5 * 15)))
            }
        }
        defer { Task { try? await receiver.stop() } }
        let config = try Self.writeConfig(fixtures, receiver: receiver)
        let environment = ["NETRAL_UJI_TOKEN": Receiver.token]
        var killedWhileRunning = 0
        var tries = 0
        // The window the kill moment is drawn from shrinks whenever a push ended first (later
        // pushes have less left to send), so kills keep landing inside pushes on a busy machine.
        var window = 600
        while killedWhileRunning < 8 && tries < 30 {
            tries += 1
            let push = try NetralProcess.start(["push", "--to", "pelacak", "--config", config], environment: environment)
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...max(31, window))))
            if push.isRunning { killedWhileRunning += 1 } else { window = max(40, window / 2) }
            kill(push.processIdentifier, SIGKILL)
            try await NetralProcess.wait(push)
        }
        #expect(killedWhileRunning >= 8, "kills must land inside pushes")
        let last = try await NetralProcess.run(["push", "--to", "pelacak", "--config", config], environment: environment)
        #expect(last.status == 0, "\(last.output)\(last.errors)")
        #expect(!(last.output + last.errors).contains(Receiver.token))

        let kept = Set(receiver.log.keptBodies.keys)
        #expect(kept == confirmed, "missing: \(confirmed.subtracting(kept).count), unexpected: \(kept.subtracting(confirmed).count)")
        #expect(receiver.log.all.allSatisfy { confirmed.contains($0.key ?? "") }, "only confirmed case files are sent")
        let store = try StateStore(path: fixtures.statePath)
        #expect(Set(try store.deliveries(destination: "pelacak").map(\.caseID)) == confirmed)
        #expect(try store.integrityCheck() == "ok")
        // Nothing left: a further push sends nothing.
        let requestsBefore = receiver.log.all.count
        let idle = try await NetralProcess.run(["push", "--to", "pelacak", "--config", config], environment: environment)
        #expect(idle.status == 0 && idle.output.contains("0 sent"))
        #expect(receiver.log.all.count == requestsBefore)
    }
}
