import Foundation
import GRDB
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct LedgerTests {
    @Test func theLedgerRunsInWALWithFullSynchronousWritesAndForeignKeys() async throws {
        let database = try TestSupport.dependencies().database
        // Asked of the writer, the connection that commits (GRDB sets it to NORMAL when it turns WAL on).
        let (journal, synchronous, foreignKeys) = try await database.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA synchronous")!,
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")!
            )
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

    @Test func itemsAreFoundByKindAndStatusThroughOneIndexAfterItemStatusWasDropped() async throws {
        let database = try TestSupport.dependencies().database
        let plans = try await database.read { db in
            try [
                // The overdue report's filter, and the handover page's items arrived at an office.
                "SELECT count(*) FROM item i WHERE (i.kind = 'dossier' AND i.status IN ('accepted', 'arrived')) OR (i.kind = 'result' AND i.status = 'created')",
                "SELECT i.id FROM item i WHERE i.kind = 'dossier' AND i.status = 'arrived' AND i.officeCode = '250000'",
            ].map { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "\n") }
        }
        for plan in plans {
            #expect(plan.contains("USING INDEX item_kind_status_office") || plan.contains("USING COVERING INDEX item_kind_status_office"), "\(plan)")
        }
        let itemIndexes = try await database.read { db in try db.indexes(on: "item").map(\.name) }
        #expect(!itemIndexes.contains("item_status"))
    }

    @Test func aDossiersItemsAreFoundThroughOneIndexThatKeepsItToOneDossierItem() async throws {
        let database = try TestSupport.dependencies().database
        try await database.write { db in
            try Self.insertDossier(db)
            try db.execute(
                sql: """
                    INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt) VALUES
                      (1, 'dossier', 'PH000000155VN', 'accepted', 'o', '2026-11-23 02:30:00.000', '2026-11-23 02:30:00.000'),
                      (1, 'result', 'PH000000010VN', 'created', 'o', '2026-11-25 02:30:00.000', '2026-11-25 02:30:00.000'),
                      (1, 'result', 'PH000000024VN', 'created', 'o', '2026-11-26 02:30:00.000', '2026-11-26 02:30:00.000');
                    """)
        }
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt) VALUES (1, 'dossier', 'PH000000038VN', 'accepted', 'o', 'n', 'n')"
                )
            }
        }
        let (plans, indexes, kinds) = try await database.read { db in
            let plans = try ["SELECT * FROM item WHERE dossierId = 1", "SELECT * FROM item WHERE dossierId = 1 AND kind = 'dossier'"].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "\n")
            }
            return (
                plans, try db.indexes(on: "item").map(\.name), try String.fetchAll(db, sql: "SELECT kind FROM item WHERE dossierId = 1 ORDER BY id")
            )
        }
        for plan in plans { #expect(plan.contains("USING INDEX item_dossier"), "\(plan)") }
        // The reads that list a dossier's items in order take them in the index's order, with no sort after.
        let ordered = try await database.read { db in
            try [
                ("SELECT * FROM item WHERE dossierId = 1 ORDER BY \(ItemRecord.orderWithinDossier())", []),
                (TrackedDossier.sql, ["PH000000155VN", true] as StatementArguments),
            ].map { sql, arguments in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
        }
        for plan in ordered {
            #expect(plan.contains { $0.contains("item_dossier") } && !plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
        #expect(
            try await database.read { db in try TrackedDossier.fetch(db, code: "PH000000010VN", withLinks: false)?.items.map(\.kind) }
                == [.dossier, .result, .result])
        #expect(try await database.read { db in try DossierDetail.fetch(db, dossierId: 1)?.items.map(\.kind) } == [.dossier, .result, .result])
        #expect(!indexes.contains("item_one_dossier_item"))
        #expect(kinds == ["dossier", "result", "result"])
    }

    /// The schema keeps a dossier's finish, whichever write finishes it: a status update (the first finishing status
    /// counts), or a dossier written already finished (the demo seed, a repair).
    @Test func aDossiersFinishIsRecordedByTheSchemaWhetherUpdatedOrWrittenFinished() async throws {
        let database = try TestSupport.dependencies().database
        let finished = try await database.write { db in
            try Self.insertDossier(db)
            try db.execute(sql: "UPDATE dossier SET oneStopStatus = 4, oneStopStatusAt = '2026-11-24 02:00:00.000'")
            try db.execute(sql: "UPDATE dossier SET oneStopStatus = 9, oneStopStatusAt = '2026-11-25 02:00:00.000'")
            try db.execute(sql: "UPDATE dossier SET oneStopStatus = 10, oneStopStatusAt = '2026-11-26 02:00:00.000'")
            try db.execute(
                sql: """
                    INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
                      applicantPhone, applicantAddress, documents, postage, administrativeFee, pinHash, transitScope,
                      jDate, dueDate, acceptedAt, acceptedBy, oneStopStatus, oneStopStatusAt)
                    VALUES ('sendOnly', 'p', 'p', 'a', 'o', 'n', 'aesgcm:t1:AAAA', '0912345678', 'x', '[]', 0, 0, 'h', 'sameZone',
                      '2026-11-23', '2026-11-24', '2026-11-23 02:30:00.000', 'test', 3, '2026-11-27 02:00:00.000')
                    """)
            return try Row.fetchAll(db, sql: "SELECT finishedAt, finishedStatus FROM dossier ORDER BY id").map {
                ($0["finishedAt"] as String?, $0["finishedStatus"] as Int?)
            }
        }
        #expect(finished.count == 2)
        #expect(finished[0].0 == "2026-11-25 02:00:00.000" && finished[0].1 == 9)
        #expect(finished[1].0 == "2026-11-27 02:00:00.000" && finished[1].1 == 3)
    }

    @Test func theSchemaRefusesNegativeMoneyDuplicateNumbersAndMalformedIDs() async throws {
        let database = try TestSupport.dependencies().database
        try await database.write { db in
            try Self.insertDossier(db)
            try db.execute(
                sql: """
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

    /// Districts went on 1 July 2025: dossiers written before v21 keep their J + n row under its new name.
    @Test func theSameDistrictScopeOfOlderDossiersBecomesSameZone() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let pool = try TestSupport.ledger(
            migratedUpTo: "v20: no dossier revisions; the finish of a dossier written finished kept by the schema again", idNumbers: idNumbers)
        try await pool.write { db in
            try Self.insertDossier(db)
            try db.execute(sql: "UPDATE dossier SET transitScope = 'sameDistrict'")
        }
        let database = try AppDatabase(pool, idNumbers: idNumbers)
        let dossier = try #require(try await database.read { try DossierRecord.fetchOne($0) })
        #expect(dossier.transitScope == .sameZone && dossier.resultUnitCode == nil)
    }

    @Test func resultOnlyOrdersComeInWithEveryDossierItemMessageAndTriggerKept() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let pool = try TestSupport.ledger(
            migratedUpTo: "v21: the 2025 map: J + n by zone instead of district, and the commune (or province) of the result address",
            idNumbers: idNumbers)
        try await pool.write { db in
            try Self.insertDossier(db)
            try db.execute(
                sql: """
                    INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt)
                    VALUES (1, 'dossier', 'PH000000015VN', 'accepted', 'o', '2026-11-23 02:30:00.000', '2026-11-23 02:30:00.000');
                    INSERT INTO outboxMessage (dossierId, kind, payload, state, nextAttemptAt, createdAt, updatedAt)
                    VALUES (1, 'reportReturnProgress', '{"TrangThai":"DA_PHAT"}', 'pending', 'x', 'x', 'x');
                    """)
        }
        let schemaBefore = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name")
        }
        let database = try AppDatabase(pool, idNumbers: idNumbers)
        try await database.read { db in
            let dossier = try #require(try DossierRecord.fetchOne(db))
            #expect(dossier.service == .sendOnly && dossier.applicantIdSealed == "aesgcm:t1:AAAA" && dossier.orderedVia == nil)
            #expect(try String.fetchOne(db, sql: "SELECT reportedReturnState FROM dossier") == "DA_PHAT")
            #expect(try ItemRecord.fetchCount(db) == 1)
            // Every trigger and index came through the rebuild, beside v22's own.
            let names = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')"))
            #expect(Set(schemaBefore).isSubset(of: names) && names.contains("dossier_reportedReturnState") && names.contains("dossier_open"))
            try db.checkForeignKeys()
        }
        // The new CHECKs: only a result-only order goes without an ID number, and it must say where it came from.
        try await database.write { db in
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE dossier SET applicantIdSealed = NULL WHERE id = 1")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: "UPDATE dossier SET service = 'resultOnly', resultAddress = 'x', applicantIdSealed = NULL, oneStopCode = 'c' WHERE id = 1")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql:
                        "UPDATE dossier SET service = 'resultOnly', resultAddress = 'x', applicantIdSealed = NULL, orderedVia = 'portal' WHERE id = 1"
                )
            }
            try db.execute(
                sql:
                    "UPDATE dossier SET service = 'resultOnly', resultAddress = 'x', applicantIdSealed = NULL, orderedVia = 'portal', oneStopCode = 'c'"
            )
        }
    }

    /// Dossier 1, written in SQL with the least each column takes.
    static func insertDossier(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
                  applicantPhone, applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope,
                  jDate, dueDate, acceptedAt, acceptedBy)
                VALUES ('sendOnly', 'p', 'p', 'a', 'o', 'n', 'aesgcm:t1:AAAA', '0912345678', 'x', NULL, '[]', 0, 0, 'h', 'sameZone',
                  '2026-11-23', '2026-11-24', '2026-11-23 02:30:00.000', 'test')
                """)
    }
}
