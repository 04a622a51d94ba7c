import Foundation
import GRDB
import Testing
@testable import PostGateway

@Suite struct InPlaceReadersTests {
    /// A WAL ledger file with a table of three rows, its writer, and in-place readers of the same file.
    private static func ledger() throws -> (DatabasePool, InPlaceReaders) {
        let path = try TestSupport.temporaryDirectory().appending(path: "ledger.sqlite").path
        // No busy timeout: a checkpoint that a forgotten snapshot blocks fails at once instead of waiting.
        let pool = try DatabasePool(path: path)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT, at TEXT)")
            try db.execute(sql: "INSERT INTO note (text, at) VALUES ('một', '2026-11-23 02:30:00.000'), (NULL, 'hôm qua'), ('ba', NULL)")
        }
        return (pool, InPlaceReaders(path: path, configuration: AppDatabase.configuration()))
    }

    private static func count(_ readers: InPlaceReaders) throws -> Int64 {
        try readers.readStatement { db in try ColumnCursor(db.cachedStatement(sql: "SELECT count(*) FROM note"), arguments: []).next()!.int64(0) }
    }

    @Test func aReadSeesWhatTheWriterCommittedJustBefore() throws {
        let (pool, readers) = try Self.ledger()
        #expect(try Self.count(readers) == 3)
        try pool.write { db in try db.execute(sql: "INSERT INTO note (text) VALUES ('bốn')") }
        #expect(try Self.count(readers) == 4)
    }

    @Test func readsOneAfterAnotherShareOneConnection() throws {
        let (_, readers) = try Self.ledger()
        for _ in 0..<10 { _ = try Self.count(readers) }
        #expect(readers.count == 1)
    }

    @Test func aConnectionInUseIsNeverLentToAnotherRead() throws {
        let (_, readers) = try Self.ledger()
        let inner = try readers.readStatement { _ in try Self.count(readers) }
        #expect(inner == 3)
        #expect(readers.count == 2)
    }

    @Test func theConnectionsCannotWrite() throws {
        let (_, readers) = try Self.ledger()
        #expect(throws: DatabaseError.self) { try readers.readStatement { db in try db.execute(sql: "DELETE FROM note") } }
        #expect(try Self.count(readers) == 3)
    }

    @Test func aCursorLeftBeforeItsLastRowDoesNotHoldItsSnapshot() throws {
        let (pool, readers) = try Self.ledger()
        let first = try readers.readStatement { db in
            try ColumnCursor(db.cachedStatement(sql: "SELECT text FROM note ORDER BY id"), arguments: []).next()?.optionalString(0)
        }
        #expect(first == "một")
        try pool.write { db in try db.execute(sql: "INSERT INTO note (text) VALUES ('bốn')") }
        // A snapshot still open on the reader would keep the WAL from being emptied.
        let checkpoint = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        #expect(checkpoint.walFrameCount == 0)
    }

    @Test func columnsReadNullsAsNothingAndRefuseATextThatIsNoInstant() throws {
        let (_, readers) = try Self.ledger()
        let rows = try readers.readStatement { db in
            let cursor = try ColumnCursor(db.cachedStatement(sql: "SELECT id, text, at FROM note WHERE id = ?"), arguments: [1])
            let row = try #require(try cursor.next())
            return (row.int64(0), row.optionalString(1), try row.date(2))
        }
        #expect(rows.0 == 1 && rows.1 == "một")
        #expect(rows.2 == Date(timeIntervalSince1970: 1_795_401_000))
        let nulls = try readers.readStatement { db in
            try ColumnCursor(db.cachedStatement(sql: "SELECT text, at FROM note WHERE id = 3"), arguments: []).next().map { ($0.optionalString(0), $0.optionalInt(1)) }
        }
        #expect(nulls?.0 == "ba" && nulls?.1 == nil)
        #expect(throws: DatabaseError.self) {
            try readers.readStatement { db in try ColumnCursor(db.cachedStatement(sql: "SELECT at FROM note WHERE id = 2"), arguments: []).next()?.date(0) }
        }
    }
}
