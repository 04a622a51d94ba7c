import Foundation
import GRDB
import Testing
@testable import PostGateway

/// The ledger writer's WAL frames reach the file gathered into few writes (`GatheredWAL`), and nothing else changes:
/// another connection reads each commit as soon as it is made, and the file stays whole.
@Suite struct GatheredWALTests {
    /// A transaction of some hundred pages, as a large batch of intakes makes.
    static func writeRows(_ db: Database, from first: Int, count: Int) throws {
        for index in first..<(first + count) {
            try db.execute(sql: "INSERT INTO scratch (id, body) VALUES (?, ?)", arguments: [index, String(repeating: "Tờ khai \(index) ", count: 250)])
        }
    }

    @Test func theWritersFramesReachTheWALInFewWritesAndAnotherConnectionReadsEachCommitAtOnce() async throws {
        let path = try TestSupport.temporaryDirectory().appending(path: "ledger.sqlite").path
        let ledger = try AppDatabase.openFile(atPath: path, idNumbers: .ephemeral())
        // A second pool on the same file, as another process (a reconcile run) has.
        let other = try DatabasePool(path: path, configuration: AppDatabase.configuration())
        try await ledger.write { db in try db.execute(sql: "CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") }
        for round in 0..<5 {
            let before = try await ledger.writeWithoutTransaction { db in GatheredWAL.writes(db)! }
            try await ledger.write { db in try Self.writeRows(db, from: round * 100, count: 100) }
            let after = try await ledger.writeWithoutTransaction { db in GatheredWAL.writes(db)! }
            let made = after.made - before.made, reachedFile = after.reachedFile - before.reachedFile
            // Two writes a frame from SQLite (its header, its page), some thirty frames a write to the file.
            #expect(made > 150 && reachedFile * 20 < made, "\(made) writes made, \(reachedFile) reached the file")
            #expect(try await other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") } == (round + 1) * 100)
        }
        #expect(try await other.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
        // Copied back into the file by a checkpoint, and read from there.
        try await ledger.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        #expect(try await other.read { db in try Int.fetchOne(db, sql: "SELECT sum(length(body)) FROM scratch") }
            == (0..<500).reduce(0) { $0 + String(repeating: "Tờ khai \($1) ", count: 250).count })
    }

    /// A gathered write that fails (a full disk) fails its transaction, whose rows are then nowhere; the next transaction
    /// writes as before, and the file stays whole.
    @Test func aFailedWriteFailsItsTransactionAndTheNextOneIsWritten() async throws {
        let path = try TestSupport.temporaryDirectory().appending(path: "ledger.sqlite").path
        let ledger = try AppDatabase.openFile(atPath: path, idNumbers: .ephemeral())
        let other = try DatabasePool(path: path, configuration: AppDatabase.configuration())
        try await ledger.write { db in
            try db.execute(sql: "CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            try Self.writeRows(db, from: 0, count: 100)
        }
        await #expect(throws: DatabaseError.self) {
            try await ledger.write { db in
                #expect(GatheredWAL.failNextWrite(db))
                try Self.writeRows(db, from: 100, count: 100)
            }
        }
        #expect(try await other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") } == 100)
        try await ledger.write { db in try Self.writeRows(db, from: 100, count: 100) }
        #expect(try await other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") } == 200)
        #expect(try await ledger.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") } == 200)
        #expect(try await other.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") } == ["ok"])
    }

    @Test func aConnectionThatDidNotAskWritesItsWALAsSQLiteDoes() async throws {
        #expect(GatheredWAL.isRegistered)
        let path = try TestSupport.temporaryDirectory().appending(path: "other.sqlite").path
        let pool = try DatabasePool(path: path, configuration: AppDatabase.configuration())
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            try Self.writeRows(db, from: 0, count: 100)
        }
        let writes = try await pool.writeWithoutTransaction { db in GatheredWAL.writes(db)! }
        #expect(writes.made > 150 && writes.reachedFile == writes.made)
    }
}
