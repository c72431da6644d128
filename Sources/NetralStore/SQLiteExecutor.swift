import Foundation
import GRDB

/// The state in one SQLite file through GRDB: one connection in WAL mode (a scan's reads and
/// writes are short and serial, and one connection keeps one page cache), file mode 0600.
final class SQLiteExecutor: SQLExecutor {
    let dialect = SQLDialect.sqlite
    let queue: DatabaseQueue
    let location: String

    init(path: String) throws {
        location = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // SQLite gives its -wal and -shm files the database file's mode, so creating the file
        // 0600 first keeps all three private.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            close(descriptor)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            // WAL: a commit appends to the log; NORMAL syncs at checkpoints, not at every commit.
            // A power cut may lose the last transactions, never consistency.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
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
