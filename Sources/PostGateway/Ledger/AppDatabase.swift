import Foundation
import GRDB

/// The gateway's ledger: one value owning the database writer (GRDB's AppDatabase pattern).
///
/// Everything outside this folder reaches the ledger through intent-named methods, each one transaction
/// that keeps the ledger's invariants, so that another backend can stand behind the same methods later.
package struct AppDatabase: Sendable {
    private let writer: any DatabaseWriter
    /// Seals ID numbers on their way in; the views that may show one open it.
    package let idNumbers: IdNumberSealer

    /// Opens the ledger and brings its schema up to date.
    init(_ writer: any DatabaseWriter, idNumbers: IdNumberSealer) throws {
        self.writer = writer
        self.idNumbers = idNumbers
        let migrator = Self.migrator(idNumbers: idNumbers)
        let migrating = try writer.read { db in try !migrator.hasCompletedMigrations(db) }
        try migrator.migrate(writer)
        // The connection that asked whether migrations were due knew the schema from before them, and answered a later
        // read of a record without the columns they added: every read now opens on the schema as migrated.
        if migrating, let pool = writer as? DatabasePool { pool.invalidateReadOnlyConnections() }
        // A migration that sealed ID numbers leaves their clear pages in the WAL until it is checkpointed: copy them
        // (zeroed by secure_delete) into the file and empty the WAL now.
        if migrating, writer is DatabasePool { try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
    }

    var reader: any DatabaseReader { writer }

    /// Writes go through here so that every write method states its transaction in one place.
    package func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(updates)
    }

    package func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(value)
    }
}

extension AppDatabase {
    /// The ledger file in `directory`, created if needed: WAL, synchronous=FULL (a dossier is acknowledged
    /// only once its commit is on disk), foreign keys on, and a busy timeout so that a second process
    /// (a reconcile run, a backup) waits instead of failing.
    package static func openFile(atPath path: String, idNumbers: IdNumberSealer) throws -> AppDatabase {
        try OwnerOnlyFile.prepare(path, makingFolder: true)
        let configuration = configuration()
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB turns the writer's synchronous down to NORMAL when it sets up WAL, after `prepareDatabase` has run: in
        // WAL mode NORMAL syncs only at checkpoints, so a commit acknowledged to the counter could be lost with the
        // power. The writer is the connection that commits, so it is set back to FULL here, once WAL is on.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return try AppDatabase(pool, idNumbers: idNumbers)
    }

    /// The ledger a configuration names, with its ID-number keyring (configured, or kept in the data folder).
    package static func open(_ configuration: GatewayConfiguration) throws -> AppDatabase {
        try configuration.requireSQLiteLedger()
        let idNumbers = try IdNumberSealer.load(configuredKeyring: configuration.idNumberKeys, dataDirectory: configuration.dataDirectory)
        return try openFile(atPath: configuration.databasePath, idNumbers: idNumbers)
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return configuration
    }

    /// Rewrites the file from its live content (`migrate --vacuum`), then empties the WAL.
    func vacuum() async throws {
        try await writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        try await writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Whether the ledger answers a trivial read: the readiness check.
    func isReachable() async -> Bool {
        (try? await read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
