import GRDB
import GRDBSQLite
import LedgerWAL

/// SQLite's default VFS, wrapped so that a connection that syncs every commit can have the frames it appends to its WAL
/// reach the file in one write instead of two per frame (`Sources/LedgerWAL`). The ledger's writer does: a batch of
/// intakes appends some fifty frames, and their hundred writes, each a system call into the page cache, were a tenth
/// of the single writer's time. Every other connection, and every other file, goes straight through.
enum GatheredWAL {
    /// Made SQLite's default VFS once, before the first ledger file is opened; false if it could not be (the writer
    /// then writes its WAL as SQLite does).
    static let isRegistered = ledger_wal_register() == SQLITE_OK

    /// Gathers the connection's appends to its WAL from now on. Only for a connection with synchronous=FULL: its
    /// commits sync the WAL, and the gathered frames are written just before. False when the VFS is not under it.
    @discardableResult
    static func gather(_ db: Database) throws -> Bool {
        guard try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 0 >= 2 else { return false }
        var on: CInt = 1
        return sqlite3_file_control(db.sqliteConnection, "main", LEDGER_WAL_FCNTL_GATHER, &on) == SQLITE_OK
    }

    /// The writes SQLite made to the connection's WAL since it was opened, and the writes that reached the file.
    static func writes(_ db: Database) -> (made: Int64, reachedFile: Int64)? {
        var counts: [sqlite3_int64] = [0, 0]
        guard sqlite3_file_control(db.sqliteConnection, "main", LEDGER_WAL_FCNTL_WRITES, &counts) == SQLITE_OK else { return nil }
        return (counts[0], counts[1])
    }

    /// Has the connection's next gathered write to its WAL fail, as a full disk would: for tests.
    static func failNextWrite(_ db: Database) -> Bool {
        sqlite3_file_control(db.sqliteConnection, "main", LEDGER_WAL_FCNTL_FAIL_NEXT_WRITE, nil) == SQLITE_OK
    }
}
