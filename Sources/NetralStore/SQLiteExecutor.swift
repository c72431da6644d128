import Foundation
import GRDB

/// How a command uses its state. A command that only reads never creates or changes the file
/// (no mode change, no tables, no journal mode); one that writes refuses a file that is not a
/// Netral state rather than adding Netral's tables to another application's database.
public enum StateAccess: Sendable, Equatable {
    /// Made when missing (the scan, the demo); an existing file must already be a Netral state
    /// (or an empty file, which becomes one).
    case create
    /// An existing Netral state, read and written (review, export, push, the desk).
    case existing
    /// An existing Netral state, opened read-only (verify, findings, status).
    case readOnly
}

/// Why a state file was refused: what was found at the path, before anything was changed there.
public struct StateFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var found: String
    public var description: String { "\(path): \(found)" }
}

/// The state in one SQLite file through GRDB: one connection in WAL mode (a scan's reads and
/// writes are short and serial, and one connection keeps one page cache), file mode 0600.
final class SQLiteExecutor: SQLExecutor {
    let dialect = SQLDialect.sqlite
    let queue: DatabaseQueue
    let location: String

    init(path: String, access: StateAccess = .create) throws {
        location = path
        let created = try Self.prepareFile(path, access: access)
        if !created { try Self.checkMarker(path) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        if access == .readOnly {
            configuration.readonly = true
        } else {
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in
                // WAL: a commit appends to the log; NORMAL syncs at checkpoints, not at every commit.
                // A power cut may lose the last transactions, never consistency.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Looks at the path without following a symlink: a missing file is made (mode 0600, never
    /// over anything that appeared meanwhile) when `access` allows; anything but a regular file
    /// is refused. True when the file was made here (or is empty), so it holds no schema yet.
    private static func prepareFile(_ path: String, access: StateAccess) throws -> Bool {
        // FileManager reads the entry itself (lstat), never what a symlink points to.
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            guard access == .create else { throw StateFileError(path: path, found: "no state database here (run netral scan first)") }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            // SQLite gives its -wal and -shm files the database file's mode, so creating the file
            // 0600 first keeps all three private. O_EXCL: a file made meanwhile is not ours.
            let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw StateFileError(path: path, found: "cannot be created (\(String(cString: strerror(errno))))") }
            close(descriptor)
            return true
        } catch {
            throw StateFileError(path: path, found: "cannot be read (\(error.localizedDescription))")
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?: return ((attributes[.size] as? NSNumber)?.intValue ?? 0) == 0 && access == .create
        case .typeSymbolicLink?: throw StateFileError(path: path, found: "is a symbolic link; give the state file itself")
        case .typeDirectory?: throw StateFileError(path: path, found: "is a folder, not a state file")
        case .typeCharacterSpecial?: throw StateFileError(path: path, found: "is a character device, not a state file")
        case .typeBlockSpecial?: throw StateFileError(path: path, found: "is a block device, not a state file")
        case .typeSocket?: throw StateFileError(path: path, found: "is a socket, not a state file")
        default: throw StateFileError(path: path, found: "is not a regular file (a named pipe?), not a state file")
        }
    }

    /// An existing file must carry Netral's schema marker (its first migration recorded in
    /// GRDB's table) before anything is written to it; it is looked at read-only.
    private static func checkMarker(_ path: String) throws {
        // SQLite takes a short file for an empty database: its header says what it is.
        let header = FileHandle(forReadingAtPath: path).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 16)
        }
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw StateFileError(path: path, found: "is not a Netral state (not an SQLite database)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        // Another process may be writing the state (WAL recovery, a checkpoint): wait, as the store does.
        configuration.busyMode = .timeout(5)
        let marked: Bool
        do {
            let inspector = try DatabaseQueue(path: path, configuration: configuration)
            marked = try inspector.read { db in
                guard try db.tableExists(Migrations.table) else { return false }
                if try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM \(Migrations.table) WHERE identifier = ?",
                                     arguments: [Migrations.marker]) ?? false {
                    return true
                }
                // A state another Netral process is making: its migration table alone, still empty.
                let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                let records = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(Migrations.table)")
                return tables == 1 && records == 0
            }
            try inspector.close()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StateFileError(path: path, found: "is not a Netral state (not an SQLite database)")
        }
        guard marked else {
            throw StateFileError(path: path, found: "is not a Netral state (an SQLite database without Netral's schema); nothing was changed")
        }
    }

    /// GRDB reads in a transaction either way (cheap in process).
    func read<T>(consistent: Bool, _ body: (any SQLConnection) throws -> T) throws -> T {
        try namingState { try queue.read { db in try body(SQLiteConnection(db: db)) } }
    }

    /// Immediate transactions: the write lock is taken at BEGIN, so two processes on one file
    /// (a scan and `netral review`) wait for each other instead of failing on a lock upgrade.
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try namingState {
            try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(SQLiteConnection(db: db))
                    return .commit
                }
                return result!
            }
        }
    }
}

/// A GRDB connection inside a closure; statements come from its cache, since a scan runs the
/// same few thousands of times and compiling each again costs more than running it.
struct SQLiteConnection: SQLConnection {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    static func arguments(_ values: SQLArguments) -> StatementArguments {
        StatementArguments(values.map { value -> DatabaseValue in
            switch value?.sqlValue ?? .null {
            case .null: .null
            case .integer(let number): number.databaseValue
            case .double(let number): number.databaseValue
            case .text(let text): text.databaseValue
            case .bool(let flag): flag.databaseValue
            // GRDB's own date format, so files written before the executor compare and sort alike.
            case .date(let date): date.databaseValue
            }
        })
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
        return db.changesCount
    }

    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let names = statement.columnNames
        return try Row.fetchAll(statement, arguments: Self.arguments(arguments)).map { row in
            SQLRow(names: names, values: (0..<row.count).map { index in
                switch row[index] as DatabaseValue {
                case let value where value.isNull: .null
                case let value:
                    switch value.storage {
                    case .int64(let number): .integer(number)
                    case .double(let number): .double(number)
                    case .string(let text): .text(text)
                    case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                    case .null: .null
                    }
                }
            })
        }
    }
}
