import Foundation

/// One named step of the schema. A released migration is never edited, only followed by a new
/// one. Statements are written once in SQL both databases accept (`TIMESTAMPTZ` has NUMERIC
/// affinity in SQLite, where dates are GRDB's text, as before); `postgres` replaces them where
/// PostgreSQL needs other SQL.
struct Migration {
    var name: String
    var statements: [String]
    var postgres: [String]? = nil

    func statements(for dialect: SQLDialect) -> [String] {
        dialect == .postgres ? (postgres ?? statements) : statements
    }
}

enum Migrations {
    /// The names are those GRDB's migrator recorded in state files before the executor, in the
    /// same order, so an existing file opens with nothing to redo.
    static let all: [Migration] = [
        // `"fetch"` is quoted everywhere: FETCH is a reserved word in PostgreSQL.
        Migration(name: "v1-fetches-items-findings", statements: [
            """
            CREATE TABLE "fetch" (url TEXT NOT NULL PRIMARY KEY, final_url TEXT, status INTEGER, etag TEXT, last_modified TEXT,
                fetched_at TIMESTAMPTZ NOT NULL, failures INTEGER NOT NULL DEFAULT 0, last_error TEXT)
            """,
            """
            CREATE TABLE item (id TEXT NOT NULL PRIMARY KEY, url TEXT NOT NULL, content_digest TEXT NOT NULL,
                first_seen TIMESTAMPTZ NOT NULL, last_seen TIMESTAMPTZ NOT NULL)
            """,
            """
            CREATE TABLE finding (id TEXT NOT NULL PRIMARY KEY, item_url TEXT NOT NULL, rule TEXT NOT NULL, act TEXT NOT NULL,
                severity TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, bundle_path TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,
                review_status TEXT NOT NULL DEFAULT 'new')
            """,
            "CREATE INDEX finding_on_item_url ON finding(item_url)",
        ]),
        Migration(name: "v2-targets-robots-digests", statements: [
            #"ALTER TABLE "fetch" ADD COLUMN body_digest TEXT"#,
            "ALTER TABLE finding ADD COLUMN target TEXT",
            "CREATE INDEX finding_on_target ON finding(target)",
            // NULL next_due: due now. A worker claims a due row by setting claimed_by/claimed_until.
            """
            CREATE TABLE target (id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, url TEXT NOT NULL, every_seconds DOUBLE PRECISION,
                robots_override TEXT, next_due TIMESTAMPTZ, claimed_by TEXT, claimed_until TIMESTAMPTZ, last_run TIMESTAMPTZ,
                last_result TEXT, last_error TEXT, failures INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX target_on_next_due ON target(next_due)",
            "CREATE TABLE robots (host TEXT NOT NULL PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL, fetched_at TIMESTAMPTZ NOT NULL)",
        ]),
        Migration(name: "v2-case-files", statements: [
            """
            CREATE TABLE case_file (id TEXT NOT NULL PRIMARY KEY, item_id TEXT NOT NULL, content_digest TEXT NOT NULL, path TEXT NOT NULL,
                manifest_sha256 TEXT NOT NULL, supersedes TEXT, created_at TIMESTAMPTZ NOT NULL, acts TEXT NOT NULL, severity TEXT NOT NULL,
                author TEXT NOT NULL, candidates TEXT NOT NULL, review_status TEXT NOT NULL DEFAULT 'new')
            """,
            "CREATE INDEX case_file_on_item_id ON case_file(item_id, created_at)",
        ]),
        Migration(name: "v3-finding-class", statements: [
            // Findings recorded before classes existed were all judged as the author's own acts.
            "ALTER TABLE finding ADD COLUMN class TEXT NOT NULL DEFAULT 'violation'",
        ]),
        Migration(name: "v4-review-log", statements: [
            """
            CREATE TABLE review_log (sequence BIGINT NOT NULL PRIMARY KEY, case_id TEXT NOT NULL, decision TEXT NOT NULL, note TEXT NOT NULL,
                reviewer TEXT NOT NULL, decided_at TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, previous_hash TEXT NOT NULL,
                entry_hash TEXT NOT NULL)
            """,
            "CREATE INDEX review_log_on_case_id ON review_log(case_id, sequence)",
            "CREATE INDEX case_file_on_review_status ON case_file(review_status, created_at)",
            // The log's length and last hash, written with every entry, so a deleted last entry
            // shows as a head that no longer matches the chain.
            "CREATE TABLE review_head (id INTEGER NOT NULL PRIMARY KEY, count BIGINT NOT NULL, entry_hash TEXT NOT NULL)",
        ]),
        Migration(name: "v4-finding-pack", statements: [
            "ALTER TABLE finding ADD COLUMN pack TEXT",
            "CREATE INDEX finding_on_item_url_target ON finding(item_url, target)",
            "CREATE INDEX case_file_on_supersedes ON case_file(supersedes)",
            "CREATE INDEX case_file_on_created_at ON case_file(created_at)",
        ]),
        Migration(name: "v5-export-cursors", statements: [
            """
            CREATE TABLE export_cursor (destination TEXT NOT NULL PRIMARY KEY, delivered INTEGER NOT NULL DEFAULT 0,
                batches INTEGER NOT NULL DEFAULT 0, last_delivered_at TIMESTAMPTZ, last_format TEXT)
            """,
            // What each destination has received: the cursor's exact content, so a case file
            // confirmed late (created before others already sent) is still sent once.
            """
            CREATE TABLE export_delivery (destination TEXT NOT NULL, case_id TEXT NOT NULL, format TEXT NOT NULL,
                delivered_at TIMESTAMPTZ NOT NULL, manifest_sha256 TEXT NOT NULL, PRIMARY KEY (destination, case_id))
            """,
        ]),
        Migration(name: "v6-account-identities", statements: [
            // Who holds an account, as its profile, its own earlier posts or a watchlist subject
            // said: applied as the holder's own identity to the account's later items.
            """
            CREATE TABLE account_identity (account TEXT NOT NULL, platform TEXT NOT NULL, handle TEXT, kind TEXT NOT NULL,
                source TEXT NOT NULL, words TEXT NOT NULL, excerpt TEXT NOT NULL, source_url TEXT, case_id TEXT, head TEXT,
                seen_at TIMESTAMPTZ NOT NULL, recorded_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (account, source, words))
            """,
            "CREATE INDEX account_identity_on_handle ON account_identity(platform, handle)",
            // A reviewer's confirm or clear, a cache of the account's last decision in the review log.
            "CREATE TABLE account_review (account TEXT NOT NULL PRIMARY KEY, status TEXT NOT NULL, sequence BIGINT NOT NULL)",
        ]),
        Migration(name: "v7-review-log-signatures", statements: [
            // Ed25519 over the entry's hash by the configured key (base64), and that key; NULL
            // for entries made without a key.
            "ALTER TABLE review_log ADD COLUMN signature TEXT",
            "ALTER TABLE review_log ADD COLUMN signer TEXT",
        ]),
    ]

    /// The table that records applied migrations: GRDB's, with GRDB's layout, so files migrated
    /// by GRDB's migrator and by this one are the same to both.
    static let table = "grdb_migrations"

    /// The schema marker: a database that records this migration is a Netral state.
    static let marker = "v1-fetches-items-findings"

    /// Refuses a database that is not a Netral state before anything is written to it: on
    /// PostgreSQL, one that already holds tables of its own but not the marker (an empty
    /// database becomes a state with `.create`). SQLite files are looked at before they are
    /// opened for writing (`SQLiteExecutor`), so this checks the server's case.
    static func checkMarker(_ database: any SQLExecutor, access: StateAccess) throws {
        guard database.dialect == .postgres else { return }
        let (tables, marked) = try database.read { db -> (Int, Bool) in
            let tables = try db.fetchValue("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                                           as: Int.self) ?? 0
            let hasTable = try db.fetchValue("SELECT to_regclass(?) IS NOT NULL", [table], as: Bool.self) ?? false
            guard hasTable else { return (tables, false) }
            if try db.fetchOne("SELECT 1 FROM \(table) WHERE identifier = ?", [marker]) != nil { return (tables, true) }
            // A state another worker is making: its migration table alone, still empty.
            let records = try db.fetchValue("SELECT COUNT(*) FROM \(table)", as: Int.self)
            return (tables, tables == 1 && records == 0)
        }
        if marked { return }
        if tables == 0 && access == .create { return }
        throw StateFileError(path: database.location, found: tables == 0
            ? "holds no Netral state yet (run netral scan first)"
            : "is not a Netral state (a database with \(tables) table(s) of another application); nothing was changed")
    }

    /// Applies the migrations `database` lacks, in order, each in its own transaction with its
    /// record. On PostgreSQL a transaction-scoped advisory lock makes workers starting at once
    /// migrate one after the other (DDL is transactional there).
    static func migrate(_ database: any SQLExecutor, migrations: [Migration] = all) throws {
        if let done = try? applied(database), migrations.allSatisfy({ done.contains($0.name) }) { return }
        try database.write { db in
            if db.dialect == .postgres { try db.execute("SELECT pg_advisory_xact_lock(\(AdvisoryLock.migrations))") }
            try db.execute("CREATE TABLE IF NOT EXISTS \(table) (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        for migration in migrations {
            try database.write { db in
                if db.dialect == .postgres { try db.execute("SELECT pg_advisory_xact_lock(\(AdvisoryLock.migrations))") }
                guard try db.fetchOne("SELECT 1 FROM \(table) WHERE identifier = ?", [migration.name]) == nil else { return }
                for statement in migration.statements(for: db.dialect) { try db.execute(statement) }
                try db.execute("INSERT INTO \(table) (identifier) VALUES (?)", [migration.name])
            }
        }
    }

    /// The names recorded as applied, in the order they were applied.
    static func applied(_ database: any SQLExecutor) throws -> Set<String> {
        Set(try database.read { db in try db.fetchColumn("SELECT identifier FROM \(table)", as: String.self) })
    }
}

/// Keys of PostgreSQL advisory locks, one per purpose (any 64-bit number; these spell NETRAL).
enum AdvisoryLock {
    static let migrations: Int64 = 0x4E45_5452_414C_0001
    static let reviewLog: Int64 = 0x4E45_5452_414C_0002
}
