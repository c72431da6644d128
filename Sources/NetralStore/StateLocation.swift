import Foundation

/// Where the state lives: one SQLite file (the default, one machine), or a PostgreSQL database
/// that several workers and the desk share.
public enum StateLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads `state:` from the configuration: a `postgres://` or `postgresql://` URL, else a file path.
    /// `passwordEnvironment` names the environment variable holding the password (`state_password_env`).
    public static func parse(_ text: String, passwordEnvironment: String? = nil) throws -> StateLocation {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") else { return .sqlite(path: text) }
        return .postgres(try PostgresLocation(url: text, passwordEnvironment: passwordEnvironment))
    }

    /// True when `state:` names a database server rather than a file.
    public static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// For messages and summaries: the path, or the URL without any password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL database named by `postgres://user@host:port/database[?sslmode=…]`. The password
/// never comes from the URL: from the environment variable the configuration names, else from
/// `~/.pgpass` (or `PGPASSFILE`), else none (trust or peer authentication).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        /// TLS when the server offers it (its certificate is then verified), plain otherwise.
        case prefer
        case require
        case disable
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var tls: TLSMode
    public var passwordEnvironment: String?

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(host: String, port: Int = 5432, user: String, database: String, tls: TLSMode = .prefer, passwordEnvironment: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.tls = tls
        self.passwordEnvironment = passwordEnvironment
    }

    public init(url text: String, passwordEnvironment: String? = nil) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw Invalid(description: "state URL is not a postgres://user@host:port/database URL")
        }
        if components.password != nil {
            throw Invalid(description: "state URL must not hold a password: name an environment variable in state_password_env, or use ~/.pgpass")
        }
        guard let user = components.user, !user.isEmpty else {
            throw Invalid(description: "state URL needs a user: postgres://user@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw Invalid(description: "state URL needs a host: postgres://user@host:port/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "state URL needs one database name after the host: postgres://user@host:port/database")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw Invalid(description: "state URL option '\(item.name)' is not known (only sslmode=prefer|require|disable)")
            }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw Invalid(description: "state URL sslmode must be prefer, require or disable")
            }
            tls = mode
        }
        self.init(host: host.removingPercentEncoding ?? host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user,
                  database: database.removingPercentEncoding ?? database, tls: tls, passwordEnvironment: passwordEnvironment)
    }

    /// The URL without a password, for messages and summaries.
    public var description: String {
        var text = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        if tls != .prefer { text += "?sslmode=\(tls.rawValue)" }
        return text
    }

    /// The password to send, from the named environment variable or `.pgpass`.
    func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let name = passwordEnvironment {
            guard let value = environment[name], !value.isEmpty else {
                throw Invalid(description: "state_password_env names \(name), which is not set in the environment")
            }
            return value
        }
        let file = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? NSHomeDirectory() + "/.pgpass")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return Self.pgpassPassword(text, host: host, port: port, database: database, user: user)
    }

    /// The first `.pgpass` line (`host:port:database:user:password`, `*` matches anything,
    /// `\:` and `\\` escape) that matches.
    static func pgpassPassword(_ text: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped {
                    fields[fields.count - 1].append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(character)
                }
            }
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
