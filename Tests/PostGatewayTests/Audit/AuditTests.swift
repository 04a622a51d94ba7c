import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// The audit log: who changed or saw what, when, from where; hash-chained and append-only.
@Suite(.temporaryFolder) struct AuditTests {
    /// Each row as "actor action subject outcome".
    static func rows(_ database: AppDatabase) async throws -> [String] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditLog ORDER BY id").map { row in
                "\(row["actor"] as String) \(row["action"] as String) \(row["subject"] as String? ?? "-") \(row["outcome"] as Int)"
            }
        }
    }

    @Test func everyWriteAndEveryViewOfPersonalDataIsLoggedWithWhoWhatAndOutcome() async throws {
        var dependencies = try TestSupport.dependencies()
        dependencies.staffWithoutCredentials = nil
        let database = dependencies.database
        let token = try await AccessMatrixTests.token(.clerk, "250000", in: database)
        let other = try await AccessMatrixTests.token(.clerk, AccessMatrixTests.other, in: database)
        let before = try await Self.rows(database).count
        try await buildApplication(dependencies).test(.router) { client in
            var headers = TestSupport.headers()
            headers[.authorization] = "Bearer \(token)"
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: headers, body: TestSupport.json(TestSupport.intake()))
            #expect(created.status == .created)
            let number = try created.decoded(as: Answer.IntakeReceipt.self).trackingNumber
            // A replay writes nothing new, so it logs nothing new.
            #expect(
                try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: headers,
                    body: TestSupport.json(TestSupport.intake())
                ).status == .created)
            #expect(
                try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            #expect(
                try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get, headers: [.authorization: "Bearer \(other)"]).status
                    == .notFound)
            #expect(
                try await client.execute(uri: "/api/v1/dossiers/\(number)/receipt", method: .get, headers: [.authorization: "Bearer \(token)"]).status
                    == .ok)
            // Lists and public tracking show nothing personal, so they are not views to log.
            #expect(try await client.execute(uri: "/api/v1/dossiers", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/track/\(number)", method: .get).status == .ok)
            var scan = TestSupport.headers(key: nil)
            scan[.authorization] = "Bearer \(token)"
            #expect(
                try await client.execute(
                    uri: "/api/v1/scans", method: .post, headers: scan,
                    body: TestSupport.json(["trackingNumber": number, "event": "dispatched", "officeCode": "250000"])
                ).status == .created)

            let logged = Array(try await Self.rows(database).dropFirst(before))
            let clerk = "token:1"
            let stranger = "token:2"
            #expect(
                logged == [
                    "\(clerk) POST /api/v1/dossiers \(number) 201",
                    "\(clerk) GET /api/v1/dossiers/{trackingNumber} \(number) 200",
                    "\(stranger) GET /api/v1/dossiers/{trackingNumber} \(number) 404",
                    "\(clerk) GET /api/v1/dossiers/{trackingNumber}/receipt \(number) 200",
                    "\(clerk) POST /api/v1/scans \(number) 201",
                ])
        }
        #expect(try await database.verifyAudit() == .intact(rows: before + 5))
    }

    /// A change and its audit entry are one transaction: a ledger that cannot take the entry does not take the change
    /// either, so a crash between the two can never leave a committed change out of the log.
    @Test func aChangeWhoseAuditEntryCannotBeWrittenIsNotMade() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        try await buildApplication(dependencies).test(.router) { client in
            let number = try await DossierReadTests.create(client)
            try await database.write { db in
                try db.execute(sql: "CREATE TEMP TRIGGER refuseAudit BEFORE INSERT ON auditLog BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
            }
            let scan = try await client.execute(
                uri: "/api/v1/scans", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["trackingNumber": number, "event": "dispatched", "officeCode": "250000"]))
            #expect(scan.status == .internalServerError)
            let events = try await database.read { db in
                try String.fetchAll(
                    db, sql: "SELECT e.code FROM itemEvent e JOIN item i ON i.id = e.itemId WHERE i.trackingNumber = ? ORDER BY e.id",
                    arguments: [number])
            }
            #expect(events == ["accepted"])
            let status = try await database.read { db in
                try String.fetchOne(db, sql: "SELECT status FROM item WHERE trackingNumber = ?", arguments: [number])
            }
            #expect(status == "accepted")
            let complaint = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["trackingNumber": number, "origin": "post", "subject": "delay"]))
            #expect(complaint.status == .internalServerError)
            let cases = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM postalCase") }
            #expect(cases == 0)
        }
    }

    /// A case may be dated by the clerk (a complaint taken on paper yesterday); its audit entry is dated by the server.
    @Test func aChangeIsLoggedAtTheServersTimeWhateverTimeTheRequestGives() async throws {
        let dependencies = try TestSupport.dependencies()
        try await buildApplication(dependencies).test(.router) { client in
            let number = try await DossierReadTests.create(client)
            let opened = try await client.execute(
                uri: "/api/v1/cases", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json([
                    "trackingNumber": number, "origin": "customer", "subject": "delay",
                    "at": LocalTime.iso(TestSupport.mondayMorning.addingTimeInterval(-2 * 86_400)),
                ]))
            #expect(opened.status == .created)
        }
        let logged = try await dependencies.database.read { db in
            try String.fetchOne(db, sql: "SELECT at FROM auditLog WHERE action = 'POST /api/v1/cases'")
        }
        #expect(logged == LedgerTime.string(TestSupport.mondayMorning))
    }

    @Test func aRefusedRequestIsLoggedWithoutWhatWasTypedWhereANumberBelongs() async throws {
        var dependencies = try TestSupport.dependencies()
        dependencies.staffWithoutCredentials = nil
        let database = dependencies.database
        let token = try await AccessMatrixTests.token(.clerk, "250000", in: database)
        let before = try await Self.rows(database).count
        try await buildApplication(dependencies).test(.router) { client in
            var headers = TestSupport.headers(key: nil)
            headers[.authorization] = "Bearer \(token)"
            // An ID card's number typed into the scan field, then the text of its QR (number, name, birth date).
            for typed in ["019090001234", "019090001234||Nguyễn Văn An|01011990|Nam"] {
                let scan = try await client.execute(
                    uri: "/api/v1/scans", method: .post, headers: headers,
                    body: TestSupport.json(["trackingNumber": typed, "event": "arrived", "officeCode": "250000"]))
                #expect(scan.status == .unprocessableContent)
            }
            let handover = try await client.execute(
                uri: "/api/v1/handovers", method: .post, headers: headers,
                body: TestSupport.json(
                    ["agencyCode": "000.42.20.H55", "officeCode": "250000", "trackingNumbers": ["019090001234", "PH000000014VN"]]))
            #expect(handover.status == .forbidden)
        }
        let logged = Array(try await Self.rows(database).dropFirst(before))
        #expect(
            logged == [
                "token:1 POST /api/v1/scans - 422",
                "token:1 POST /api/v1/scans - 422",
                "token:1 POST /api/v1/handovers PH000000014VN 403",
            ])
        #expect(!logged.joined().contains("019090001234") && !logged.joined().contains("Nguyễn"))
    }

    @Test func theLedgerRefusesToEditOrDeleteAnAuditRow() async throws {
        let database = try TestSupport.dependencies().database
        try await database.appendAudit(
            [AuditEntry(actor: "lan", action: "login", subject: nil, officeCode: nil, remoteAddress: "10.0.0.7", outcome: 303)],
            at: Date())
        for sql in ["UPDATE auditLog SET actor = 'someone else'", "DELETE FROM auditLog"] {
            await #expect(throws: DatabaseError.self) { try await database.write { db in try db.execute(sql: sql) } }
        }
        #expect(try await database.verifyAudit() == .intact(rows: 1))
    }

    /// What someone with the file and the sqlite3 shell can do: drop the guard, change a row (or remove one).
    @Test(arguments: [
        ("UPDATE auditLog SET actor = 'someone else' WHERE id = 3", 3, "edited"),
        ("DELETE FROM auditLog WHERE id = 2", 3, "missing"),
        ("UPDATE auditLog SET hash = 'x', previousHash = 'y' WHERE id = 4", 4, "previous hash"),
    ])
    func aRowChangedWithSqlite3IsCaughtAndNamedByAuditVerify(tamper: String, brokenRow: Int, reason: String) async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let configuration = TestSupport.configuration(dataDirectory: dataDirectory)
        let database = try AppDatabase.open(configuration)
        let entries = (1...5).map {
            AuditEntry(
                actor: "clerk\($0)", action: "POST /api/v1/scans", subject: nil, officeCode: "250000",
                remoteAddress: "10.0.0.\($0)", outcome: 201)
        }
        try await database.appendAudit(entries, at: Date())
        let intact = try CrashRecoveryTests.run(["audit", "verify", "--data-dir", dataDirectory.path])
        #expect(intact.status == 0 && intact.output.contains("intact: 5 rows"))

        let shell = ChildProcess()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [
            configuration.databasePath,
            "DROP TRIGGER auditLog_append_only_update; DROP TRIGGER auditLog_append_only_delete; \(tamper);",
        ]
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)

        let broken = try CrashRecoveryTests.run(["audit", "verify", "--data-dir", dataDirectory.path])
        #expect(broken.status == 1)
        #expect(broken.output.contains("broken at row \(brokenRow)") && broken.output.contains(reason), "\(broken.output)")
    }
}
