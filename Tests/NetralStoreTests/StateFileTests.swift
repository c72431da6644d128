import Foundation
import GRDB
import NetralTestSupport
import Testing
@testable import NetralStore

/// What opening a state may do to the file it is given: a reader changes nothing, a writer
/// refuses anything that is not a Netral state before it writes a byte.
@Suite struct StateFileTests {
    /// Bytes, mode and modification time: what "changed nothing" means for a file.
    struct FileFacts: Equatable {
        var bytes: Data
        var mode: Int
        var modified: Date

        init(_ path: String) throws {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            mode = attributes[.posixPermissions] as? Int ?? -1
            modified = attributes[.modificationDate] as? Date ?? .distantPast
        }
    }

    /// Another application's SQLite database, in rollback-journal mode, mode 0644.
    func foreignDatabase(in folder: TemporaryFolder) throws -> String {
        let path = folder.path + "/catatan.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE catatan (id INTEGER PRIMARY KEY, isi TEXT)")
            try db.execute(sql: "INSERT INTO catatan (isi) VALUES ('rapat RT hari Minggu')")
        }
        try queue.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        return path
    }

    func refusal(_ path: String, _ access: StateAccess) -> String? {
        do {
            _ = try StateStore(location: .sqlite(path: path), access: access)
            return nil
        } catch let error as StateFileError {
            return error.description
        } catch {
            return "other error: \(error)"
        }
    }

    @Test func anotherApplicationsDatabaseIsRefusedAndLeftAsItWas() throws {
        let folder = try TemporaryFolder()
        let path = try foreignDatabase(in: folder)
        let before = try FileFacts(path)
        for access in [StateAccess.create, .existing, .readOnly] {
            let message = try #require(refusal(path, access), "\(access)")
            #expect(message.contains("is not a Netral state"), "\(access): \(message)")
        }
        #expect(try FileFacts(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["catatan.sqlite"])
        let tables = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
        #expect(tables == ["catatan"])
    }

    @Test func aFileThatIsNoDatabaseIsRefused() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("catatan.txt", "Bukan basis data, hanya catatan rapat.\n")
        let before = try FileFacts(path)
        for access in [StateAccess.create, .readOnly] {
            #expect(refusal(path, access)?.contains("not an SQLite database") == true, "\(access)")
        }
        #expect(try FileFacts(path) == before)
    }

    @Test func aDeviceAFolderOrASymlinkIsRefusedSayingWhatItIs() throws {
        let folder = try TemporaryFolder()
        let nullMode = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int
        for access in [StateAccess.create, .existing, .readOnly] {
            #expect(refusal("/dev/null", access) == "/dev/null: is a character device, not a state file")
            #expect(refusal(folder.path, access)?.hasSuffix("is a folder, not a state file") == true)
        }
        #expect(try FileManager.default.attributesOfItem(atPath: "/dev/null")[.posixPermissions] as? Int == nullMode)

        // A symlink is refused even when it points at a real state: the file named is not the state.
        let real = folder.path + "/asli.sqlite"
        _ = try StateStore(path: real)
        let link = folder.path + "/tautan.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        for access in [StateAccess.create, .existing, .readOnly] {
            #expect(refusal(link, access)?.contains("is a symbolic link") == true)
        }
        // A dangling symlink is not followed to create its target either.
        let dangling = folder.path + "/gantung.sqlite"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: folder.path + "/tujuan.sqlite")
        #expect(refusal(dangling, .create)?.contains("is a symbolic link") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/tujuan.sqlite"))
    }

    @Test func aReaderNeverCreatesAMissingState() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/belum/state.sqlite"
        #expect(refusal(path, .readOnly)?.contains("no state database here") == true)
        #expect(refusal(path, .existing)?.contains("no state database here") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/belum"))
    }

    @Test func aReaderChangesNothingInANetralStateAndCannotWrite() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/state.sqlite"
        do {
            let store = try StateStore(path: path)
            try store.recordFetchFailure(url: "https://contoh.test/a", status: 503, error: "HTTP status 503", at: Date())
        }
        // A mode the owner chose: a reader does not "repair" it.
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let before = try FileFacts(path)
        let reader = try StateStore(location: .sqlite(path: path), access: .readOnly)
        #expect(try reader.consecutiveFailures(url: "https://contoh.test/a") == 1)
        #expect(throws: (any Error).self) {
            try reader.recordFetchFailure(url: "https://contoh.test/b", status: 500, error: "x", at: Date())
        }
        #expect(try FileFacts(path) == before)
    }

    @Test func anEmptyFileBecomesAStateAndAStateOpensForWriting() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("kosong.sqlite", "")
        let store = try StateStore(location: .sqlite(path: path), access: .create)
        try store.recordFetchFailure(url: "https://contoh.test/a", status: 503, error: "HTTP status 503", at: Date())
        let again = try StateStore(location: .sqlite(path: path), access: .existing)
        #expect(try again.consecutiveFailures(url: "https://contoh.test/a") == 1)
    }
}
