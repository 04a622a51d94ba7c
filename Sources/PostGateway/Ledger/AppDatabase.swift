import Foundation
import GRDB

/// The gateway's ledger: one value owning the database writer (GRDB's AppDatabase pattern).
///
/// Everything outside this folder reaches the ledger through intent-named methods, each one transaction
/// that keeps the ledger's invariants, so that another backend can stand behind the same methods later.
struct AppDatabase: Sendable {
    private let writer: any DatabaseWriter
    /// Seals ID numbers on their way in; the views that may show one open it.
    let idNumbers: IdNumberSealer
    /// For a ledger in a file: where the reads of one statement run (`readStatement`).
    let inPlaceReaders: InPlaceReaders?

    /// Opens the ledger and brings its schema up to date.
    init(_ writer: any DatabaseWriter, idNumbers: IdNumberSealer, inPlaceReaders: InPlaceReaders? = nil) throws {
        self.writer = writer
        self.idNumbers = idNumbers
        self.inPlaceReaders = inPlaceReaders
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
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(updates)
    }

    /// For writes that open their own transactions: several, one after another, in one turn of the writer.
    func writeWithoutTransaction<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.writeWithoutTransaction(updates)
    }

    /// The same, waiting on the caller's thread: for what must be done even in a task already cancelled.
    func writeWithoutTransactionBlocking<T>(_ updates: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction(updates)
    }

    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(value)
    }

    /// A read made of one statement: SQLite reads a statement from one snapshot of the ledger, so it needs no
    /// transaction around it, and this saves a `BEGIN` and a `COMMIT`. Only for a closure that runs one statement.
    /// A ledger in a file runs it on the caller's thread (`InPlaceReaders`); one in memory, on the writer's reader.
    func readStatement<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let inPlaceReaders { return try inPlaceReaders.readStatement(value) }
        return try await writer.unsafeRead(value)
    }

    /// Calls `onCommit` after every commit that changed what public tracking shows of some dossiers, with their ids.
    func observeDossierChanges(_ onCommit: @escaping @Sendable (Set<Int64>) -> Void) {
        writer.add(transactionObserver: DossierChangeObserver(onCommit: onCommit), extent: .databaseLifetime)
    }
}

extension AppDatabase {
    /// The ledger file in `directory`, created if needed: WAL, synchronous=FULL (a dossier is acknowledged
    /// only once its commit is on disk), foreign keys on, and a busy timeout so that a second process
    /// (a reconcile run, a backup) waits instead of failing.
    static func openFile(atPath path: String, idNumbers: IdNumberSealer) throws -> AppDatabase {
        try OwnerOnlyFile.prepare(path, makingFolder: true)
        let configuration = configuration()
        _ = GatheredWAL.isRegistered
        let pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB turns the writer's synchronous down to NORMAL when it sets up WAL, after `prepareDatabase` has run: in
        // WAL mode NORMAL syncs only at checkpoints, so a commit acknowledged to the counter could be lost with the
        // power. The writer is the connection that commits, so it is set back to FULL here, once WAL is on.
        //
        // The writer keeps its statement journals in memory (temp_store = MEMORY). Intake's statements write many rows
        // at once, so SQLite keeps a copy of each page the statement touches in case it must undo that one statement;
        // past 64 KiB in a transaction that copy spilled to a temporary file, two writes per page, which in a batch of
        // intakes was more writes than the WAL itself. The copy is dropped at the statement's end; nothing durable
        // goes through it, so keeping it in memory loses nothing a crash could have kept.
        //
        // Syncing every commit, the writer can have its WAL frames gathered into one write before each sync (`GatheredWAL`).
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY")
            try GatheredWAL.gather(db)
        }
        return try AppDatabase(pool, idNumbers: idNumbers, inPlaceReaders: InPlaceReaders(path: path, configuration: configuration))
    }

    /// The ledger a configuration names, with its ID-number keyring (configured, or kept in the data folder).
    static func open(_ configuration: GatewayConfiguration) throws -> AppDatabase {
        let idNumbers = try IdNumberSealer.load(configuredKeyring: configuration.idNumberKeys, dataDirectory: configuration.dataDirectory)
        return try openFile(atPath: configuration.databasePath, idNumbers: idNumbers)
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA mmap_size = \(mmapSize)")
        }
        return configuration
    }

    /// How much of the file each connection maps into memory: reads of hot pages skip a copy.
    static let mmapSize = 268_435_456

    /// Rewrites the file from its live content (`migrate --vacuum`), then empties the WAL.
    func vacuum() async throws {
        // VACUUM builds its copy of the whole ledger where temporary storage goes: on disk, not in the writer's memory.
        try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA temp_store = FILE")
            defer { try? db.execute(sql: "PRAGMA temp_store = MEMORY") }
            try db.execute(sql: "VACUUM")
        }
        try await writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Whether the ledger answers a trivial read: the readiness check.
    func isReachable() async -> Bool {
        (try? await read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
