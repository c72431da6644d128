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

/// One result row, read by column name as in GRDB (`let id: String = row["id"]`).
public struct SQLRow: Sendable {
    let names: [String]
    let values: [SQLValue]

    init(names: [String], values: [SQLValue]) {
        self.names = names
        self.values = values
    }

    public func value(_ column: String) -> SQLValue {
        guard let index = names.firstIndex(of: column) else { return .null }
        return values[index]
    }

    public subscript<T: SQLDecodable>(_ column: String) -> T {
        guard let decoded = T.decode(value(column)) else {
            fatalError("state column \(column) holds \(value(column)), not \(T.self): the schema and the code disagree")
        }
        return decoded
    }

    public subscript<T: SQLDecodable>(_ column: String) -> T? {
        T.decode(value(column))
    }
}

/// A Swift type a column can be read as. Returns nil for NULL or a value of another kind.
public protocol SQLDecodable {
    static func decode(_ value: SQLValue) -> Self?
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

    /// The first column of every row.
    public func fetchColumn<T: SQLDecodable>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type = T.self) throws -> [T] {
        try fetchAll(sql, arguments).compactMap { $0.values.first.flatMap(T.decode) }
    }

    /// The first column of the first row.
    public func fetchValue<T: SQLDecodable>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type = T.self) throws -> T? {
        try fetchOne(sql, arguments)?.values.first.flatMap(T.decode)
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
