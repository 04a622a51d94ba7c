import Foundation
import GRDB
import GRDBSQLite
import Logging
import Testing
@testable import PostGateway

/// The WAL is copied into the ledger file beside the writer, not in it, and still starts again.
@Suite struct LedgerCheckpointerTests {
    let database: AppDatabase

    init() throws {
        database = try TestSupport.ledger()
        try database.writeWithoutTransactionBlocking { db in try db.execute(sql: "CREATE TABLE scratch (page BLOB NOT NULL)") }
    }

    /// Commits `count` transactions of one page each (a row too large to share a page).
    func commit(_ count: Int) async throws {
        for _ in 0..<count {
            try await database.write { db in try db.execute(sql: "INSERT INTO scratch (page) VALUES (zeroblob(3000))") }
        }
    }

    /// Runs the checkpointer while `body` runs, then stops it as a shutdown would, and waits for it to be done.
    func whileRunning(_ checkpointer: LedgerCheckpointer, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await checkpointer.run() }
            try await eventually { try database.automaticCheckpointPages() == 0 }
            try await body()
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    func eventually(_ condition: () throws -> Bool) async throws {
        for _ in 0..<500 {
            if try condition() { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try condition())
    }

    @Test func whileItRunsTheWriterLeavesItsCheckpointsToItAndTakesThemBackWhenItStops() async throws {
        let checkpointer = try #require(try LedgerCheckpointer(database: database, logger: Logger(label: "test")))
        #expect(try database.automaticCheckpointPages() == 1000)
        try await whileRunning(checkpointer) { () async throws in
            #expect(try database.automaticCheckpointPages() == 0)
        }
        #expect(try database.automaticCheckpointPages() == 1000)
    }

    @Test func itCopiesTheWALIntoTheFileOnceEnoughNewPagesGathered() async throws {
        let checkpointer = try #require(try LedgerCheckpointer(database: database, threshold: 60, logger: Logger(label: "test")))
        try await whileRunning(checkpointer) {
            try await commit(5)
            try await Task.sleep(for: .milliseconds(50))
            #expect(checkpointer.walPages < 60)
            #expect(checkpointer.pagesCopied == 0)
            try await commit(40)
            try await eventually { checkpointer.pagesCopied > 0 }
            #expect(checkpointer.pagesCopied > 0, "WAL \(checkpointer.walPages) pages, \(checkpointer.pagesCopied) copied")
        }
    }

    @Test func pastTheBackstopTheWriterCheckpointsItselfAndTheWALStartsAgain() async throws {
        // A threshold never reached: only the writer's own checkpoint can let the WAL start again.
        let checkpointer = try #require(try LedgerCheckpointer(database: database, threshold: 1_000_000, backstop: 30, logger: Logger(label: "test")))
        try await whileRunning(checkpointer) {
            var most = 0
            var startedAgain = false
            for _ in 0..<40 {
                try await commit(1)
                startedAgain = startedAgain || checkpointer.walPages < most
                most = max(most, checkpointer.walPages)
            }
            #expect(most >= 30)
            #expect(startedAgain)
            #expect(checkpointer.pagesCopied == 0)
        }
    }

    @Test func aCheckpointThatFailsPastTheBackstopNeverFailsTheCommitItFollows() throws {
        let checkpointer = try #require(try LedgerCheckpointer(database: database, backstop: 10, logger: Logger(label: "test")))
        let context = Unmanaged.passUnretained(checkpointer).toOpaque()
        // A checkpoint of a database the connection does not have fails; the hook still answers the commit's success.
        let answer = try database.writeWithoutTransactionBlocking { db in LedgerCheckpointer.walHook(context, db.sqliteConnection, "nosuchdb", 20) }
        #expect(answer == SQLITE_OK)
        #expect(checkpointer.walPages == 20)
    }

    @Test func aLedgerInMemoryHasNoWALToCheckpoint() throws {
        let inMemory = try AppDatabase(DatabaseQueue(), idNumbers: .ephemeral())
        #expect(try LedgerCheckpointer(database: inMemory, logger: Logger(label: "test")) == nil)
    }
}
