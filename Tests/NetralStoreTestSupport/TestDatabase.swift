import Foundation
import NetralTestSupport
// The SPI, not @testable: this library builds in a release build too, where nothing is testable.
@_spi(Testing) public import NetralStore
public import Testing

/// The databases the store suite runs against: SQLite always; PostgreSQL when
/// `NETRAL_TEST_POSTGRES` names a server (`postgres://user@127.0.0.1:PORT/db`, the password in
/// `NETRAL_TEST_POSTGRES_PASSWORD`; `.ci/postgres-up` starts one, and CI always sets it).
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    public static let postgresURL: String? = ProcessInfo.processInfo.environment["NETRAL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    public static let skipNote: Comment = "NETRAL_TEST_POSTGRES is not set: the PostgreSQL half of the store suite did not run (.ci/postgres-up starts a server)"

    /// SQLite, and PostgreSQL when a server is configured.
    public static let available: [Backend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
}

/// One fresh, empty state for one test: a file in a temporary folder, or a new database on
/// the test server (dropped, with every connection to it, when the value goes).
public final class TestDatabase: @unchecked Sendable {
    public let backend: Backend
    public let location: StateLocation
    private let folder: TemporaryFolder
    private let admin: PostgresExecutor?
    private let name: String?

    public init(_ backend: Backend) throws {
        self.backend = backend
        folder = try TemporaryFolder()
        switch backend {
        case .sqlite:
            location = .sqlite(path: folder.path + "/state/netral.sqlite")
            admin = nil
            name = nil
        case .postgres:
            let server = try Self.serverLocation()
            let admin = try PostgresExecutor(location: server)
            let name = "netral_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try admin.session { db in _ = try db.execute("CREATE DATABASE \(name)") }
            var location = server
            location.database = String(name)
            self.location = .postgres(location)
            self.admin = admin
            self.name = String(name)
        }
    }

    public static func serverLocation() throws -> PostgresLocation {
        guard let url = Backend.postgresURL else { throw NoTestServer() }
        let passwordVariable = ProcessInfo.processInfo.environment["NETRAL_TEST_POSTGRES_PASSWORD"] == nil ? nil : "NETRAL_TEST_POSTGRES_PASSWORD"
        return try PostgresLocation(url: url, passwordEnvironment: passwordVariable)
    }

    /// The PostgreSQL database, when the backend is PostgreSQL.
    public var postgres: PostgresLocation? {
        if case .postgres(let location) = location { return location }
        return nil
    }

    /// A store on this state (each call a new connection, as another process would have).
    public func open() throws -> StateStore { try StateStore(location: location) }

    /// Runs raw SQL on the state, as someone editing the database behind Netral's back would.
    public func tamper(_ sql: String) throws {
        try open().database.write { db in _ = try db.execute(sql) }
    }

    deinit {
        if let admin, let name {
            _ = try? admin.session { db in try db.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        }
    }
}

/// A PostgreSQL test was asked for without `NETRAL_TEST_POSTGRES`.
public struct NoTestServer: Error, CustomStringConvertible {
    public var description: String { "NETRAL_TEST_POSTGRES is not set (.ci/postgres-up starts a server)" }
}
