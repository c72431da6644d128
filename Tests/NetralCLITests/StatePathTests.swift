import Foundation
import GRDB
import NetralTestSupport
import Testing

/// The state path as a command-line user gives it: another application's database, a device
/// or a symlink is refused, saying what it is, and left exactly as it was.
@Suite(.serialized) struct StatePathTests {
    @Test func everyCommandRefusesAForeignDatabaseAndChangesNothing() async throws {
        let folder = try TemporaryFolder()
        let foreign = folder.path + "/aplikasi-lain.sqlite"
        let queue = try DatabaseQueue(path: foreign)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE pelanggan (id INTEGER PRIMARY KEY, nama TEXT)")
            try db.execute(sql: "INSERT INTO pelanggan (nama) VALUES ('Toko Sumber Rejeki')")
        }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        let config = try folder.write(
            "netral.yaml", "format: 1\nrules: [\(repositoryRoot)/Rules]\nstate: aplikasi-lain.sqlite\nevidence: evidence\ntargets: []\n")
        try FileManager.default.createDirectory(atPath: folder.path + "/evidence", withIntermediateDirectories: true)
        let runs: [[String]] = [
            ["verify", "--state", foreign, folder.path + "/evidence"],
            ["verify", "--reviews", "--state", foreign],
            ["verify", "--reviews", "--config", config],
            ["findings", "--config", config],
            ["status", "--config", config],
            ["review", "abcd", "--confirm", "--note", "x", "--config", config],
            ["export", "--to", "x", "--format", "csv", "--output", folder.path + "/x.csv", "--config", config],
            ["scan", "--config", config],
        ]
        for arguments in runs {
            let ended = try await NetralProcess.run(arguments)
            #expect(ended.status == 2, "\(arguments): \(ended.status) \(ended.errors)")
            #expect(ended.errors.contains("is not a Netral state"), "\(arguments): \(ended.output) \(ended.errors)")
            #expect(!ended.output.contains("intact"), "\(arguments)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["aplikasi-lain.sqlite", "evidence", "netral.yaml"])
    }

    @Test func aDeviceOrASymlinkIsRefusedByAScan() async throws {
        let folder = try TemporaryFolder()
        let nullMode = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int
        let device = try folder.write(
            "perangkat.yaml", "format: 1\nrules: [\(repositoryRoot)/Rules]\nstate: /dev/null\nevidence: evidence\ntargets: []\n")
        let scanned = try await NetralProcess.run(["scan", "--config", device])
        #expect(scanned.status != 0)
        #expect(scanned.errors.contains("/dev/null: is a character device, not a state file"), "\(scanned.errors)")
        #expect(try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int == nullMode)

        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/tautan.sqlite", withDestinationPath: folder.path + "/tujuan.sqlite")
        let linked = try folder.write(
            "tautan.yaml", "format: 1\nrules: [\(repositoryRoot)/Rules]\nstate: tautan.sqlite\nevidence: evidence\ntargets: []\n")
        let refused = try await NetralProcess.run(["scan", "--config", linked])
        #expect(refused.errors.contains("is a symbolic link"), "\(refused.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/tujuan.sqlite"))
    }
}
