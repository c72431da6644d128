import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Why the PostgreSQL state could not be used. Built from the server's own message and SQLSTATE;
/// never holds the password.
public struct PostgresStoreError: Error, CustomStringConvertible {
    public var description: String
    /// The server's SQLSTATE, when it answered with an error.
    public var sqlState: String?

    init(_ error: any Error, location: PostgresLocation, doing: String) {
        if let error = error as? PSQLError {
            sqlState = error.serverInfo?[.sqlState]
            if let info = error.serverInfo {
                var text = "\(location): \(doing): \(info[.message] ?? "server error")"
                if let detail = info[.detail] { text += " (\(detail))" }
                if let state = sqlState { text += " [SQLSTATE \(state)]" }
                description = text
            } else if error.code == .sslUnsupported {
                description = "\(location): \(doing): the server does not offer TLS, and the URL asks for it (sslmode=require)"
            } else {
                description = "\(location): \(doing): \(error.code)\(error.underlying.map { " (\($0))" } ?? "")"
            }
        } else {
            sqlState = nil
            description = "\(location): \(doing): \(error)"
        }
    }

    init(message: String) {
        description = message
        sqlState = nil
    }
}

/// The state in a PostgreSQL database through postgres-nio. The store's API is synchronous, so
/// each statement waits for its future; that wait happens on the caller's thread (a scan's task
/// or a command), never on one of NIO's event-loop threads, which keep serving the connection.
/// One connection per store, used by one closure at a time (as SQLite's queue), reconnected
/// when the server closed it between two uses.
/// The test support (SPI `Testing`) uses it to make and drop test databases.
@_spi(Testing) public final class PostgresExecutor: SQLExecutor, @unchecked Sendable {
    public let dialect = SQLDialect.postgres
    let target: PostgresLocation
    public var location: String { target.description }
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    /// Guards `connection` and serialises closures on it.
    private let lock = NSRecursiveLock()
    private var connection: PostgresConnection?
    private var nextConnectionID = 1

    /// The state's own event-loop thread: a connection never shares a thread with a server's
    /// (the desk's) event loops, so waiting for an answer can never hold up the loop that
    /// would deliver it.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    public init(location: PostgresLocation) throws {
        target = location
        let password = try location.password()
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw PostgresStoreError(error, location: location, doing: "setting up TLS")
        }
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
        // postgres-nio's own logs stay quiet: errors reach the caller as thrown errors.
        logger = Logger(label: "netral.state.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        try checkNotOnEventLoop()
        try lock.withLock { _ = try openConnection() }
    }

    /// Closes without waiting (the server ends the session and its advisory locks either way);
    /// the connection is kept until it is closed, as postgres-nio requires.
    deinit {
        if let connection, !connection.isClosed {
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    private func openConnection() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        let id = nextConnectionID
        nextConnectionID += 1
        do {
            let opened = try PostgresConnection.connect(on: Self.eventLoops.any(), configuration: configuration,
                                                        id: id, logger: logger).wait()
            connection = opened
            return opened
        } catch {
            throw PostgresStoreError(error, location: target, doing: "connecting")
        }
    }

    public func read<T>(consistent: Bool, _ body: (any SQLConnection) throws -> T) throws -> T {
        try namingState { consistent ? try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body) : try session(body) }
    }

    public func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try namingState { try transaction(begin: "BEGIN", body) }
            } catch let error as PostgresStoreError where attempt < 3 && (error.sqlState == "40001" || error.sqlState == "40P01") {
                continue
            }
        }
    }

    /// Waiting for a future on an event-loop thread would stall (or deadlock) that loop, and NIO
    /// stops the process for it: a caller there gets an error instead.
    private func checkNotOnEventLoop() throws {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            throw PostgresStoreError(message: "\(target): the state was used from a network event-loop thread, where it must not wait; call it from a task")
        }
    }

    /// Runs `body` between `begin` and COMMIT on the one connection; ROLLBACK when it throws.
    private func transaction<T>(begin: String, _ body: (any SQLConnection) throws -> T) throws -> T {
        try checkNotOnEventLoop()
        return try lock.withLock {
            let connection = PostgresStatementRunner(connection: try openConnection(), logger: logger, location: target)
            try connection.execute(begin, [])
            do {
                let result = try body(connection)
                try connection.execute("COMMIT", [])
                return result
            } catch {
                _ = try? connection.execute("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Runs `body` with the connection outside any transaction (session-level advisory locks).
    public func session<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try checkNotOnEventLoop()
        return try lock.withLock {
            try body(PostgresStatementRunner(connection: try openConnection(), logger: logger, location: target))
        }
    }
}

/// Statements on one PostgreSQL connection: `?` placeholders become `$1…$n`, values bind with
/// their PostgreSQL types, and rows come back as `SQLRow`s.
struct PostgresStatementRunner: SQLConnection {
    let connection: PostgresConnection
    let logger: Logger
    let location: PostgresLocation
    var dialect: SQLDialect { .postgres }

    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let result = try run(sql, arguments)
        return try result.rows.map { row in
            var names: [String] = []
            var values: [SQLValue] = []
            for cell in row {
                names.append(cell.columnName)
                values.append(try Self.value(of: cell))
            }
            return SQLRow(names: names, values: values)
        }
    }

    private func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument?.sqlValue ?? .null {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .double(let number): binds.append(number)
            case .text(let text): binds.append(text)
            case .bool(let flag): binds.append(flag)
            // Milliseconds, as SQLite keeps them, so both stores give back the same instants.
            case .date(let date): binds.append(Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds)
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw PostgresStoreError(error, location: location, doing: "running \(sql.prefix(60).split(separator: "\n").first ?? "")")
        }
    }

    /// `?` → `$1, $2, …`, outside quoted text and identifiers.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var index = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2: return .integer(Int64(try cell.decode(Int16.self)))
        case .int4: return .integer(Int64(try cell.decode(Int32.self)))
        case .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8, .numeric: return .double(try cell.decode(Double.self))
        case .bool: return .bool(try cell.decode(Bool.self))
        case .timestamptz, .timestamp, .date: return .date(try cell.decode(Date.self))
        default: return .text(try cell.decode(String.self))
        }
    }
}
