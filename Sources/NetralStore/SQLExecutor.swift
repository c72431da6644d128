public import Foundation
import GRDB

/// The few places where SQLite and PostgreSQL differ; everything else is written once in the
/// SQL both accept (`ON CONFLICT … DO NOTHING/UPDATE`, `lower()`, `LIKE … ESCAPE`, no rowid).
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres

    /// Appended to a claim's `SELECT`: PostgreSQL locks the rows it hands out and skips rows
    /// another worker holds; SQLite's immediate transaction already excludes every other writer.
    var lockForClaim: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }
}

/// A value bound to a `?` placeholder or read from a column.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case bool(Bool)
    case date(Date)
}

/// Anything a statement can bind.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .double(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .bool(self) } }
extension Date: SQLBindable { public var sqlValue: SQLValue { .date(self) } }

/// Arguments for one statement, in placeholder order; `nil` binds NULL.
public typealias SQLArguments = [(any SQLBindable)?]

/// One result row, read by column name through a `StateRowReader` (which names the table and the
/// row in its errors).
public struct SQLRow: Sendable {
    let names: [String]
    let values: [SQLValue]

    init(names: [String], values: [SQLValue]) {
        self.names = names
        self.values = values
    }

    /// NULL for a column the row does not have.
    public func value(_ column: String) -> SQLValue {
        guard let index = names.firstIndex(of: column) else { return .null }
        return values[index]
    }

    /// The value of a column, nil when the row does not have it.
    func valueIfPresent(_ column: String) -> SQLValue? {
        names.firstIndex(of: column).map { values[$0] }
    }
}

/// A Swift type a column can be read as.
public protocol SQLDecodable {
    /// The value as this type; nil for NULL or a value of another kind.
    static func decode(_ value: SQLValue) -> Self?
    /// What a column read as this type must hold, for messages (`text`, `one of low, medium, high`).
    static var sqlExpectation: String { get }
}

extension SQLDecodable {
    public static var sqlExpectation: String {
        switch Self.self {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is Date.Type: "a time"
        default: "a value of type \(Self.self)"
        }
    }
}

/// An enum kept in a text column by its raw value (severity, review status, finding class, a
/// target's outcome): bound as text on both databases, read back through `init(rawValue:)`, and
/// any other text in the column is an error, never a default.
public protocol SQLTextEnum: SQLBindable, SQLDecodable, RawRepresentable, CaseIterable where RawValue == String {}

extension SQLTextEnum {
    public var sqlValue: SQLValue { .text(rawValue) }

    public static func decode(_ value: SQLValue) -> Self? {
        if case .text(let text) = value { return Self(rawValue: text) }
        return nil
    }

    public static var sqlExpectation: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A state row that does not hold what the schema says: which row, which column, and why. A
/// row like this stops the command that reads it; it is never read as a default.
public struct StateRowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state (a file path, or the PostgreSQL URL without a password), once known.
    public var state: String?
    public var table: String
    /// The row's key, `id = 'ab12…'`.
    public var row: String
    public var column: String
    public var reason: String

    public var description: String {
        (state.map { "\($0): " } ?? "") + "\(table) row \(row), column \(column): \(reason)"
    }
}

/// Reads the columns of one row of `table`, so that every error names the table, the row (by its
/// key columns) and the column.
struct StateRowReader {
    let row: SQLRow
    let table: String
    let key: [String]

    init(_ row: SQLRow, table: String, key: String...) {
        self.row = row
        self.table = table
        self.key = key
    }

    /// A column that must hold a value of type `T`.
    func callAsFunction<T: SQLDecodable>(_ column: String, as type: T.Type = T.self) throws(StateRowError) -> T {
        guard let value = try optional(column, as: type) else { throw error(column, "is NULL, expected \(T.sqlExpectation)") }
        return value
    }

    /// A column that may be NULL; any other value must be of type `T`.
    func optional<T: SQLDecodable>(_ column: String, as type: T.Type = T.self) throws(StateRowError) -> T? {
        guard let value = row.valueIfPresent(column) else { throw error(column, "is not in the answer (the schema and the code disagree)") }
        if case .null = value { return nil }
        guard let decoded = T.decode(value) else { throw error(column, "holds \(value.described), expected \(T.sqlExpectation)") }
        return decoded
    }

    func error(_ column: String, _ reason: String) -> StateRowError {
        let described = key.map { "\($0) = \(row.value($0).described)" }.joined(separator: ", ")
        return StateRowError(table: table, row: described.isEmpty ? "(no key)" : described, column: column, reason: reason)
    }
}

extension SQLValue {
    /// The value as a message shows it: text quoted and cut at 80 characters.
    var described: String {
        switch self {
        case .null: "NULL"
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .text(let text): "'" + (text.count > 80 ? String(text.prefix(80)) + "…" : text) + "'"
        case .bool(let flag): String(flag)
        case .date(let date): date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
    }
}

extension String: SQLDecodable {
    public static func decode(_ value: SQLValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }
}

extension Int64: SQLDecodable {
    public static func decode(_ value: SQLValue) -> Int64? {
        switch value {
        case .integer(let number): number
        case .double(let number): Int64(exactly: number.rounded(.towardZero))
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }
}

extension Int: SQLDecodable {
    public static func decode(_ value: SQLValue) -> Int? { Int64.decode(value).map { Int($0) } }
}

extension Double: SQLDecodable {
    public static func decode(_ value: SQLValue) -> Double? {
        switch value {
        case .double(let number): number
        case .integer(let number): Double(number)
        default: nil
        }
    }
}

extension Bool: SQLDecodable {
    public static func decode(_ value: SQLValue) -> Bool? {
        switch value {
        case .bool(let flag): flag
        case .integer(let number): number != 0
        default: nil
        }
    }
}

extension Date: SQLDecodable {
    /// PostgreSQL hands back `timestamptz` values; SQLite keeps GRDB's text format
    /// (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), so state files written before the executor read the same.
    public static func decode(_ value: SQLValue) -> Date? {
        switch value {
        case .date(let date): date
        case .text(let text): DatabaseValue(value: text).flatMap(Date.fromDatabaseValue)
        case .integer(let seconds): Date(timeIntervalSince1970: Double(seconds))
        case .double(let seconds): Date(timeIntervalSince1970: seconds)
        default: nil
        }
    }
}

/// One connection inside a `read` or `write` closure. Placeholders are `?` in both dialects.
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int
    func fetchAll(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]
}

extension SQLConnection {
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }

    public func fetchAll(_ sql: String) throws -> [SQLRow] { try fetchAll(sql, []) }

    public func fetchOne(_ sql: String, _ arguments: SQLArguments = []) throws -> SQLRow? {
        try fetchAll(sql, arguments).first
    }

    /// The first column of every row (NULLs left out); a value of another kind is an error.
    public func fetchColumn<T: SQLDecodable>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type = T.self) throws -> [T] {
        try fetchAll(sql, arguments).compactMap { row in try Self.first(row, of: sql, as: type) }
    }

    /// The first column of the first row; nil when there is no row or it is NULL, an error when
    /// it holds a value of another kind.
    public func fetchValue<T: SQLDecodable>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type = T.self) throws -> T? {
        try fetchOne(sql, arguments).flatMap { row in try Self.first(row, of: sql, as: type) }
    }

    private static func first<T: SQLDecodable>(_ row: SQLRow, of sql: String, as type: T.Type) throws(StateRowError) -> T? {
        guard let name = row.names.first else { return nil }
        let table = sql.split(separator: " ").drop { $0.uppercased() != "FROM" }.dropFirst().first.map(String.init) ?? "answer"
        return try StateRowReader(row, table: table).optional(name, as: type)
    }
}

/// A database the store runs on: reads and write transactions as closures, each on one
/// connection, serialised within the process as GRDB's `DatabaseQueue` does.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    /// What the state is, for messages: a file path, or a PostgreSQL URL without a password.
    var location: String { get }
    /// Reads; `consistent`: all statements see one snapshot (a read-only transaction). A single
    /// statement is consistent by itself, and on PostgreSQL skipping BEGIN and COMMIT saves two
    /// round trips per read, which a scan does several times per target.
    func read<T>(consistent: Bool, _ body: (any SQLConnection) throws -> T) throws -> T
    /// One transaction: committed when `body` returns, rolled back when it throws. On
    /// PostgreSQL a deadlock or serialization failure runs `body` again (at most 3 times).
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T
}

extension SQLExecutor {
    /// Reads in one snapshot.
    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try read(consistent: true, body)
    }

    /// One statement's read, without a transaction around it.
    public func readOne<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try read(consistent: false, body)
    }
}

extension SQLExecutor {
    /// Runs `body`; a row error it throws names this state.
    func namingState<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as StateRowError {
            error.state = location
            throw error
        }
    }
}

/// `?, ?, ?` for an `IN (…)` list.
func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
func likeEscaped(_ text: String) -> String {
    var result = ""
    for character in text {
        if character == "%" || character == "_" || character == "\\" { result.append("\\") }
        result.append(character)
    }
    return result
}
