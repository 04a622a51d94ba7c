import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// `ledger copy` from a real SQLite ledger file into a database of the throwaway cluster.
@Suite(.temporaryFolder, .postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct LedgerCopyTests {
    /// A seeded ledger on file (dossiers in every state, their items, events, hand-overs and messages) with an audit chain.
    private static func seededLedger() async throws -> AppDatabase {
        let directory = try TestSupport.temporaryDirectory()
        let database = try AppDatabase.openFile(atPath: directory.appending(path: "ledger.sqlite").path, idNumbers: .ephemeral())
        let seed = DemoSeed(
            count: 400, days: 30, now: TestSupport.mondayMorning, reference: TestSupport.reference, randomSeed: 7, dossierPrefix: "PH",
            resultPrefix: "PK", firstDossierSerial: 1, firstResultSerial: 1)
        _ = try await seed.writeGateway(database, pins: TrackingPins.load(configuredKey: nil, dataDirectory: directory.path))
        let entries = (0..<25).map {
            AuditEntry(actor: "counter", action: "dossier.accept", subject: "PH\($0)", officeCode: "250000", remoteAddress: "10.0.0.1", outcome: 201)
        }
        try await database.appendAudit(entries, at: TestSupport.mondayMorning)
        return database
    }

    private static func count(_ table: String, in client: PostgresClient) async throws -> Int {
        var count = 0
        for try await value in try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)")).decode(Int.self) { count = value }
        return count
    }

    @Test func aLiveLedgerIsCopiedRowForRowAndCheckedAndNewIdsFollowTheCopiedOnes() async throws {
        let database = try await Self.seededLedger()
        let snapshot = try database.snapshot()
        // Written after the snapshot: not in the copy, which is of one moment of the ledger.
        try await database.appendAudit(
            [AuditEntry(actor: "counter", action: "login", subject: nil, officeCode: nil, remoteAddress: nil, outcome: 200)],
            at: TestSupport.mondayMorning)
        let expected = try await snapshot.read { db in
            try LedgerCopy.tables(db).map { ($0.name, try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0.name)")!) }
        }
        try await TestPostgres.withLedger { ledger in
            let report = try await LedgerCopy(source: snapshot, target: ledger, logger: TestPostgres.logger).run()
            #expect(report.rows.map(\.table) == expected.map(\.0))
            #expect(report.rows.map(\.count) == expected.map(\.1))
            #expect(report.audit == .intact(rows: 25))
            let dossiers = try #require(expected.first { $0.0 == "dossier" }?.1)
            #expect(dossiers == 400)
            #expect(try await Self.count("dossier", in: ledger.client) == 400)
            // The copy's triggers are back on: the audit log refuses changes again.
            await #expect(throws: PSQLError.self) { try await ledger.client.query("DELETE FROM auditLog") }
            // An id given out after the copy follows the copied ones.
            var next = 0
            let rows = try await ledger.client.query(
                """
                INSERT INTO handover (number, agencyCode, officeCode, createdAt, createdBy)
                VALUES ('BG-after-copy', '000.42.20.H55', '250000', '2026-11-23T15:00:00.000+07:00', 'counter') RETURNING id
                """)
            for try await id in rows.decode(Int.self) { next = id }
            let copiedMax = try await snapshot.read { db in try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM handover")! }
            #expect(next == copiedMax + 1)
        }
    }

    @Test func aCopyIntoALedgerThatHoldsRowsIsRefusedAndAddsNothing() async throws {
        let database = try await Self.seededLedger()
        try await TestPostgres.withLedger { ledger in
            _ = try await LedgerCopy(source: try database.snapshot(), target: ledger, logger: TestPostgres.logger).run()
            let error = await #expect(throws: LedgerCopy.Refused.self) {
                _ = try await LedgerCopy(source: try database.snapshot(), target: ledger, logger: TestPostgres.logger).run()
            }
            let refusal = try #require(error)
            #expect(refusal.description.contains("already holds rows"))
            #expect(try await Self.count("dossier", in: ledger.client) == 400)
            #expect(try await Self.count("auditLog", in: ledger.client) == 25)
        }
    }

    @Test func everyTableIsCopiedAfterTheTablesItsForeignKeysName() async throws {
        let database = try TestSupport.ledger()
        let tables = try await database.read { db in try LedgerCopy.tables(db) }
        var placed: Set<String> = []
        for table in tables {
            #expect(table.parents.isSubset(of: placed), "\(table.name) before \(table.parents.subtracting(placed))")
            placed.insert(table.name)
        }
        #expect(placed.count == 22 && placed.contains("notice") && !placed.contains("grdb_migrations"))
    }
}
