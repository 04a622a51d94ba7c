import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// The PostgreSQL ledger's schema and its pieces that must hold across instances, on the real cluster `make test`
/// starts: each test on a database of its own.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerTests {
    private var logger: Logger { TestPostgres.logger }

    @Test func migratingGivesEveryTableTheColumnsAndIndexesOfTheSQLiteLedger() async throws {
        let sqlite = try TestSupport.ledger()
        let expected = try await sqlite.read { db in
            var columns: Set<String> = []
            var indexes: Set<String> = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            where table != "grdb_migrations" {
                for column in try Row.fetchAll(db, sql: "SELECT name, \"notnull\", pk FROM pragma_table_info(?)", arguments: [table]) {
                    let required: Bool = column["notnull"] == 1 || column["pk"] as Int > 0
                    columns.insert("\(table.lowercased()).\((column["name"] as String).lowercased()) \(required ? "NOT NULL" : "NULL")")
                }
            }
            for index in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") {
                indexes.insert(index.lowercased())
            }
            return (columns, indexes)
        }
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            var columns: Set<String> = []
            let columnRows = try await ledger.client.query(
                """
                SELECT table_name, column_name, is_nullable FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name <> 'ledgermigration'
                """)
            for try await (table, column, nullable) in columnRows.decode((String, String, String).self) {
                columns.insert("\(table).\(column) \(nullable == "YES" ? "NULL" : "NOT NULL")")
            }
            // Primary keys and UNIQUE columns have the indexes SQLite makes for them itself (sqlite_autoindex_…).
            var indexes: Set<String> = []
            let indexRows = try await ledger.client.query(
                """
                SELECT i.indexname FROM pg_indexes i
                WHERE i.schemaname = 'public' AND i.tablename <> 'ledgermigration'
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """)
            for try await name in indexRows.decode(String.self) { indexes.insert(name) }
            #expect(columns == expected.0.union(PostgresMigrations.columnsOfPostgreSQLOnly))
            #expect(indexes == expected.1)
        }
    }

    @Test func instancesStartingTogetherApplyEachMigrationOnceAndThenNothing() async throws {
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { try await TestPostgres.withLedger { try await $0.migrate() } } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied == PostgresMigrations.all.map(\.identifier))
        let again = try await TestPostgres.withLedger { try await $0.migrate() }
        #expect(again.isEmpty)
    }

    @Test func aDatabaseThatSortsByLanguageOrIsNotUTF8IsRefusedWithHowToCreateIt() async throws {
        let cluster = try #require(TestPostgres.cluster)
        let database = try TestPostgres.database()
        for (suffix, options) in [
            ("icu", "ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'vi-VN' LC_COLLATE 'C' LC_CTYPE 'C'"),
            ("ascii", "ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'"),
        ] {
            let name = "\(database.database)_\(suffix)"
            try await TestPostgres.withClient(cluster) { admin in
                try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE template0 \(options)"), logger: logger)
            }
            let ledger = try PostgresLedger(cluster.with(database: name), logger: logger)
            let refusal = await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await ledger.run() }
                defer { group.cancelAll() }
                return await #expect(throws: PostgresLedger.Unsuitable.self) { try await ledger.migrate() }
            }
            try await TestPostgres.withClient(cluster) { admin in
                try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
            }
            let description = try #require(refusal).description
            #expect(description.contains("CREATE DATABASE postgateway TEMPLATE template0 ENCODING 'UTF8'"))
            #expect(description.contains(suffix == "icu" ? "byte for byte" : "SQL_ASCII"))
        }
    }

    @Test func theSchemaRefusesWhatTheLedgerMustNeverHold() async throws {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            let client = ledger.client
            try await client.query(PostgresQuery(unsafeSQL: Self.dossier(id: 1, oneStopCode: "H55.1")))
            try await client.query(PostgresQuery(unsafeSQL: Self.dossier(id: 2, oneStopCode: nil)))
            try await client.query(PostgresQuery(unsafeSQL: Self.item(id: 1, dossierId: 1, number: "PH000000015VN")))
            try await client.query(PostgresQuery(unsafeSQL: Self.item(id: 2, dossierId: 2, number: "PH000000029VN")))
            try await client.query(PostgresQuery(unsafeSQL: Self.handover(id: 1)))
            try await client.query(PostgresQuery(unsafeSQL: Self.handover(id: 2)))
            try await client.query("INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (1, 1, 1)")
            try await client.query(PostgresQuery(unsafeSQL: Self.callback("w-1")))
            try await client.query(PostgresQuery(unsafeSQL: Self.audit(id: 1)))

            let refused: [(String, PostgresError.Code)] = [
                (Self.item(id: 3, dossierId: 2, number: "PH000000015VN"), .uniqueViolation),
                (Self.dossier(id: 3, oneStopCode: "H55.1"), .uniqueViolation),
                (Self.callback("w-1"), .uniqueViolation),
                (Self.dossier(id: 4, oneStopCode: nil, postage: -1), .checkViolation),
                (Self.item(id: 4, dossierId: 1, number: "PH000000032VN"), .uniqueViolation),  // a second dossier item
                ("INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (2, 1, 1)", .uniqueViolation),
                ("UPDATE auditLog SET actor = 'someone else' WHERE id = 1", .restrictViolation),
                ("DELETE FROM auditLog", .restrictViolation),
                ("TRUNCATE auditLog", .restrictViolation),
                ("UPDATE oneStopCallback SET outcome = 'applied'", .restrictViolation),
                ("DELETE FROM oneStopCallback", .restrictViolation),
                ("INSERT INTO serialCounter (prefix, lastSerial) VALUES ('ph', 1)", .checkViolation),
            ]
            for (statement, code) in refused {
                let error = await #expect(throws: PSQLError.self, "\(statement)") {
                    try await client.query(PostgresQuery(unsafeSQL: statement))
                }
                #expect(error?.serverInfo?[.sqlState] == code.raw, "\(statement)")
            }
            let counts = try await client.query(
                "SELECT (SELECT count(*) FROM dossier), (SELECT count(*) FROM item), (SELECT count(*) FROM auditLog), (SELECT count(*) FROM handoverItem)"
            )
            for try await row in counts.decode((Int, Int, Int, Int).self) { #expect(row == (2, 2, 1, 1)) }
        }
    }

    @Test func finishingSigningAndReportingAreKeptOnTheRowsAsInSQLite() async throws {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            let client = ledger.client
            try await client.query(PostgresQuery(unsafeSQL: Self.dossier(id: 1, oneStopCode: "H55.1")))
            try await client.query(PostgresQuery(unsafeSQL: Self.item(id: 1, dossierId: 1, number: "PH000000015VN")))
            try await client.query("UPDATE dossier SET oneStopStatus = 3, oneStopStatusAt = '2026-11-24T10:00:00.000+07:00' WHERE id = 1")
            try await client.query(PostgresQuery(unsafeSQL: Self.handover(id: 1)))
            try await client.query("INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (1, 1, 1)")
            try await client.query(
                "UPDATE handover SET signedAt = '2026-11-23T16:00:00.000+07:00', receivedBy = 'Lê Văn Tám', signedBy = 'counter' WHERE id = 1")
            try await client.query(
                """
                INSERT INTO outboxMessage (dossierId, kind, payload, state, nextAttemptAt, createdAt, updatedAt)
                VALUES (1, 'reportReturnProgress', '{"TrangThai":"3","MaHoSo":"H55.1"}', 'pending', 'x', 'x', 'x')
                """)
            let rows = try await client.query(
                "SELECT d.finishedAt, d.finishedStatus, d.reportedReturnState, i.handedOverAt FROM dossier d JOIN item i ON i.dossierId = d.id")
            for try await (finishedAt, finishedStatus, reported, handedOverAt) in rows.decode((String?, Int?, String?, String?).self) {
                #expect(finishedAt == "2026-11-24T10:00:00.000+07:00")
                #expect(finishedStatus == 3)
                #expect(reported == "3")
                #expect(handedOverAt == "2026-11-23T16:00:00.000+07:00")
            }
        }
    }

    @Test func twoInstancesCountingAtOnceIssueEverySerialOnceInTheRangesOrder() async throws {
        let series = try TrackingSeries(prefix: "PH", ranges: [1...30, 101...200])
        try await TestPostgres.withLedger { try await $0.migrate() }
        let issued = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<100 {
                        let ledger = index.isMultiple(of: 2) ? first : second
                        group.addTask {
                            try await ledger.client.withTransaction(logger: TestPostgres.logger) { connection in
                                try await PostgresLedger.nextSerial(series, on: connection, logger: TestPostgres.logger)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
        #expect(issued.sorted() == Array(1...30) + Array(101...170))
    }

    @Test func anExhaustedSeriesRefusesAndLeavesItsCounterWhereItWas() async throws {
        let series = try TrackingSeries(prefix: "PH", ranges: [5...7])
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            func next() async throws -> Int {
                try await ledger.client.withTransaction(logger: TestPostgres.logger) { connection in
                    try await PostgresLedger.nextSerial(series, on: connection, logger: TestPostgres.logger)
                }
            }
            var issued: [Int] = []
            for _ in 0..<3 { issued.append(try await next()) }
            #expect(issued == [5, 6, 7])
            for _ in 0..<2 {
                let error = await #expect(throws: PostgresTransactionError.self) { try await next() }
                #expect(error?.closureError as? TrackingSeries.Exhausted == TrackingSeries.Exhausted(prefix: "PH"))
            }
            for try await last in try await ledger.client.query("SELECT lastSerial FROM serialCounter WHERE prefix = 'PH'").decode(Int.self) {
                #expect(last == 7)
            }
        }
    }

    // Rows as the ledger writes them, with only what their constraints ask.

    private static func dossier(id: Int, oneStopCode: String?, postage: Int = 30_000) -> String {
        """
        INSERT INTO dossier (id, service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
            applicantPhone, applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope, jDate,
            dueDate, oneStopCode, acceptedAt, acceptedBy)
        VALUES (\(id), 'sendAndReturn', '2.000635', 'Cấp bản sao trích lục hộ tịch', '000.42.20.H55', '250000', 'Nguyễn Thị Hồng Nhung',
            'aesgcm:1:abc', '0912345678', 'Số 12, tổ 5', 'Số 12, tổ 5', '[]', \(postage), 8000, 'hash', 'local', '2026-11-23',
            '2026-11-26', \(oneStopCode.map { "'\($0)'" } ?? "NULL"), '2026-11-23T09:30:00.000+07:00', 'counter')
        """
    }

    private static func item(id: Int, dossierId: Int, number: String) -> String {
        """
        INSERT INTO item (id, dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt)
        VALUES (\(id), \(dossierId), 'dossier', '\(number)', 'accepted', '250000', '2026-11-23T09:30:00.000+07:00', '2026-11-23T09:30:00.000+07:00')
        """
    }

    private static func handover(id: Int) -> String {
        """
        INSERT INTO handover (id, number, agencyCode, officeCode, createdAt, createdBy)
        VALUES (\(id), 'BG-\(id)', '000.42.20.H55', '250000', '2026-11-23T15:00:00.000+07:00', 'counter')
        """
    }

    private static func callback(_ webhookId: String) -> String {
        """
        INSERT INTO oneStopCallback (webhookId, receivedAt, type, outcome, body)
        VALUES ('\(webhookId)', '2026-11-23T10:00:00.000+07:00', 'status', 'unknownDossier', '{"MaHoSo":"H55.9"}')
        """
    }

    private static func audit(id: Int) -> String {
        """
        INSERT INTO auditLog (id, at, actor, action, outcome, previousHash, hash)
        VALUES (\(id), '2026-11-23T09:30:00.000+07:00', 'counter', 'dossier.accept', 201, '', 'h')
        """
    }
}
