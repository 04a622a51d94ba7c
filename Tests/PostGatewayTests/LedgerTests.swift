import Foundation
import GRDB
import Testing
@testable import PostGateway

@Suite struct LedgerTests {
    @Test func theLedgerRunsInWALWithFullSynchronousWritesAndForeignKeys() async throws {
        let database = try TestSupport.dependencies().database
        let (journal, synchronous, foreignKeys) = try await database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA synchronous")!,
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys")!)
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
    }

    @Test func migratingTwiceChangesNothing() throws {
        let path = try TestSupport.temporaryDirectory().appending(path: "ledger.sqlite").path
        let idNumbers = IdNumberSealer.ephemeral()
        _ = try AppDatabase.openFile(atPath: path, idNumbers: idNumbers)
        let reopened = try AppDatabase.openFile(atPath: path, idNumbers: idNumbers)
        let migrator = AppDatabase.migrator(idNumbers: idNumbers)
        let applied = try reopened.reader.read { db in try migrator.appliedIdentifiers(db) }
        #expect(applied == Set(migrator.migrations))
    }

    @Test func theSchemaRefusesNegativeMoneyDuplicateNumbersAndMalformedIDs() async throws {
        let database = try TestSupport.dependencies().database
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
                  applicantPhone, applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope,
                  jDate, dueDate, acceptedAt, acceptedBy)
                VALUES ('sendOnly', 'p', 'p', 'a', 'o', 'n', 'aesgcm:t1:AAAA', '0912345678', 'x', NULL, '[]', 0, 0, 'h', 'sameDistrict',
                  '2026-11-23', '2026-11-24', '2026-11-23 02:30:00.000', 'test')
                """)
            try db.execute(sql: """
                INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt)
                VALUES (1, 'dossier', 'PH000000155VN', 'accepted', 'o', 'now', 'now')
                """)
        }
        let refusals: [String] = [
            "UPDATE dossier SET postage = -1",
            "UPDATE dossier SET administrativeFee = -1",
            "UPDATE dossier SET applicantIdSealed = '019190001234'",  // an ID number in clear
            "UPDATE dossier SET service = 'sendAndReturn'",  // a result address is then required
            "INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt) VALUES (1, 'result', 'PH000000155VN', 'created', 'o', 'n', 'n')",
            "INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt) VALUES (1, 'dossier', 'PH000000010VN', 'accepted', 'o', 'n', 'n')",
            "INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt) VALUES (99, 'dossier', 'PH000000024VN', 'accepted', 'o', 'n', 'n')",
            "INSERT INTO serialCounter (prefix, lastSerial) VALUES ('PH', 100000000)",
            "UPDATE item SET cashOnDelivery = -5",
        ]
        for sql in refusals {
            await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
        }
    }
}
