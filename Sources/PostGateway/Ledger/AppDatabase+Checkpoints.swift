import GRDB
import GRDBSQLite

extension AppDatabase {
    /// A connection of its own to the ledger file, for checkpoints made beside the writer; nil for a ledger in memory,
    /// which has no WAL.
    func checkpointConnection() throws -> DatabaseQueue? {
        guard let path = inPlaceReaders?.path else { return nil }
        return try DatabaseQueue(path: path, configuration: Self.configuration())
    }

    /// From now on the writer checkpoints no more after its commits: SQLite's WAL hook, which is how its automatic
    /// checkpoint is made too, calls the checkpointer instead, which is retained until `restoreAutomaticCheckpoints`.
    func divertCheckpoints(to checkpointer: LedgerCheckpointer) async throws {
        try await writeWithoutTransaction { db in
            _ = sqlite3_wal_hook(db.sqliteConnection, LedgerCheckpointer.walHook, Unmanaged.passRetained(checkpointer).toOpaque())
        }
    }

    /// The writer checkpoints after its commits again, as SQLite does by default (past 1,000 pages of WAL), and the
    /// checkpointer is let go. Synchronous, so that a cancelled task still does it.
    func restoreAutomaticCheckpoints(from checkpointer: LedgerCheckpointer) throws {
        try writeWithoutTransactionBlocking { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
        Unmanaged.passUnretained(checkpointer).release()
    }

    /// How many pages of WAL make the writer checkpoint after a commit; 0 while a `LedgerCheckpointer` has the hook.
    func automaticCheckpointPages() throws -> Int {
        try writeWithoutTransactionBlocking { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 0 }
    }
}
