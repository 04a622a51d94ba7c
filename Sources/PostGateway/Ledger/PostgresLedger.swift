import Logging
import PostgresNIO
import ServiceLifecycle

/// The ledger on PostgreSQL, shared by several gateway instances: one connection pool, the schema brought up to date
/// under an advisory lock, and the pieces of the intent-named methods that must hold when many processes write.
///
/// A `Service`: the pool's connections live while `run()` does.
struct PostgresLedger: Service, Sendable {
    /// Keys of PostgreSQL's advisory locks: the whole cluster shares one space of them, so each names its purpose.
    enum AdvisoryLock: Int64 {
        /// Bringing the schema up to date: instances starting together take turns.
        case migrations = 0x5047_4D49_4752  // "PGMIGR"
        /// A reconciliation run: one at a time across every instance and the `reconcile` command (`withRunLock`).
        case reconciliation = 0x5047_5245_434F  // "PGRECO"
    }

    /// The database is not one the ledger can live in; says what to change.
    struct Unsuitable: Error, CustomStringConvertible {
        let description: String
    }

    /// The database cannot be reached, or refuses the user: what the server or the network said.
    struct Unreachable: Error, CustomStringConvertible {
        let description: String
    }

    let client: PostgresClient
    let url: PostgresURL
    let logger: Logger

    init(_ url: PostgresURL, logger: Logger) throws {
        self.url = url
        self.logger = logger
        client = PostgresClient(configuration: try url.clientConfiguration(), backgroundLogger: logger)
    }

    func run() async throws {
        await client.run()
    }

    /// Whether the ledger answers a trivial query within `bound`: the readiness check. Bounded, because the pool waits
    /// without end for a connection to a server that is down; generous, because a loaded server that answers late is
    /// still there, and an instance taken out of the balancer for it would only load the others more.
    func isReachable(within bound: Duration = .seconds(5)) async -> Bool {
        let answered = try? await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for try await one in try await client.query("SELECT 1", logger: logger).decode(Int.self) { return one == 1 }
                return false
            }
            group.addTask {
                try await Task.sleep(for: bound)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        return answered ?? false
    }

    /// The ledger at `url`, its pool running while `body` does: for a command that works on the ledger and exits.
    /// The pool tries again without end to make a connection it cannot make, and its queries wait with it: one
    /// connection is made first, so that a server down, a wrong password or a missing database is an error that says so.
    static func withRunning<T: Sendable>(
        _ url: PostgresURL, logger: Logger, _ body: @Sendable (PostgresLedger) async throws -> T
    ) async throws -> T {
        do {
            let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            // PSQLError's description hides what the server said, on purpose; its reflection names it (never a password).
            throw Unreachable(description: "cannot use the ledger's database \(url): \(String(reflecting: error))")
        }
        let ledger = try PostgresLedger(url, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await ledger.run() }
            defer { group.cancelAll() }
            return try await body(ledger)
        }
    }

    /// Applies the migrations not yet applied, all in one transaction (PostgreSQL's DDL is transactional), holding the
    /// migrations' advisory lock: a second instance starting at the same time waits, then finds nothing left to do.
    /// Answers the identifiers it applied.
    @discardableResult
    func migrate() async throws -> [String] {
        try await client.withConnection { connection in try await checkSuitable(connection) }
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(AdvisoryLock.migrations.rawValue))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS ledgerMigration (identifier TEXT PRIMARY KEY, appliedAt TEXT NOT NULL)", logger: logger)
            var applied = Set<String>()
            for try await identifier in try await connection.query("SELECT identifier FROM ledgerMigration", logger: logger).decode(String.self) {
                applied.insert(identifier)
            }
            var done: [String] = []
            for migration in PostgresMigrations.all where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO ledgerMigration (identifier, appliedAt) VALUES (\(migration.identifier), \(LedgerTime.string(.now)))",
                    logger: logger)
                done.append(migration.identifier)
            }
            return done
        }
    }

    /// UTF-8, and text sorted byte for byte: the ledger's times and codes are text that must order as they do in SQLite,
    /// and `ledger copy` must carry every name as it was typed. The order is asked of the database itself, as a
    /// database can name the C collation and still sort by ICU's rules.
    private func checkSuitable(_ connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT pg_encoding_to_char(encoding), datcollate, 'B' < 'a' AND 'a' < 'b' AND '1' < 'A' AND '-' < '0' AND 'Z' < 'Đ'
            FROM pg_database WHERE datname = current_database()
            """, logger: logger)
        for try await (encoding, collation, sortsByBytes) in rows.decode((String, String, Bool).self) {
            guard encoding == "UTF8" else {
                throw Unsuitable(description: "the ledger's database \(url.database) is in \(encoding); it must be UTF8 \(Self.createAdvice)")
            }
            guard sortsByBytes else {
                throw Unsuitable(
                    description:
                        "the ledger's database \(url.database) sorts text by its language (\(collation)); it must sort byte for byte \(Self.createAdvice)"
                )
            }
        }
    }

    private static let createAdvice =
        "(CREATE DATABASE postgateway TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C')"
}

extension PostgresLedger {
    /// The next serial of a series, in the caller's transaction. The counter's row is written first (an upsert that
    /// answers the new count) and so stays locked until the transaction ends: two instances can never read the same
    /// count, and a serial skipped to the next range is written before anyone else counts.
    static func nextSerial(_ series: TrackingSeries, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            """
            INSERT INTO serialCounter (prefix, lastSerial) VALUES (\(series.prefix), 1)
            ON CONFLICT (prefix) DO UPDATE SET lastSerial = serialCounter.lastSerial + 1
            RETURNING lastSerial
            """, logger: logger)
        var counted = 0
        for try await value in rows.decode(Int.self) { counted = value }
        guard let serial = series.serial(after: counted - 1) else { throw TrackingSeries.Exhausted(prefix: series.prefix) }
        if serial != counted {
            try await connection.query("UPDATE serialCounter SET lastSerial = \(serial) WHERE prefix = \(series.prefix)", logger: logger)
        }
        return serial
    }
}
