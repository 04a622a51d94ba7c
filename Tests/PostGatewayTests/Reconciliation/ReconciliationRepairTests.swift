import Foundation
import GRDB
import Testing

@testable import PostGateway

/// A status taken from the one-stop's ledger during a repair never hides a callback applied since the comparison.
@Suite(.temporaryFolder) struct ReconciliationRepairTests {
    /// The gateway's side of the run over Monday, the day `TestSupport`'s intakes are taken in.
    static func scan(_ database: AppDatabase) async throws -> [GatewayDossier] {
        let day = LocalDate(TestSupport.mondayMorning)
        return try await database.scanPostalDossiers(from: day, to: day, into: [GatewayDossier]()) { $0.append($1) }
    }

    /// Repairs of both dossiers, which the comparison saw at 4 (processing) while the one-stop's page said 5
    /// (supplement requested): each a status to take.
    static func takeSupplementRequested(
        _ database: AppDatabase, numbers: [String], now: Date
    ) async throws -> [ReconciliationFinding] {
        let findings = numbers.map {
            ReconciliationFinding(
                trackingNumber: $0, kind: .statusDisagreement, agencyCode: "000.42.20.H55", gatewayValue: "4",
                oneStopValue: "5", ahead: .oneStop, repair: .takeStatus)
        }
        let facts = LedgerFacts(agencyCode: "000.42.20.H55", fee: 8000, status: .supplementRequested, dossierCode: nil, handoverAt: nil)
        return try await database.repair(
            findings, dossierIds: Dictionary(uniqueKeysWithValues: zip(numbers, [Int64(1), 2])),
            oneStop: Dictionary(uniqueKeysWithValues: numbers.map { ($0, facts) }), now: now)
    }

    @Test func aStatusIsTakenOnlyFromTheStatusTheComparisonSaw() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 2)
        let numbers = try await database.read { db in try String.fetchAll(db, sql: "SELECT trackingNumber FROM item ORDER BY dossierId") }
        // Both were at 4 (processing) when the ledgers were compared; the one-stop's page said 5 (supplement requested).
        try await database.write { db in try db.execute(sql: "UPDATE dossier SET oneStopStatus = 4, oneStopStatusAt = '2026-11-24 03:00:00.000'") }
        // Since then a callback brought the first one to 6, of the same stage as 5 and newer than the page.
        try await database.write { db in
            try db.execute(sql: "UPDATE dossier SET oneStopStatus = 6, oneStopStatusAt = '2026-11-24 04:00:00.000' WHERE id = 1")
        }

        let repaired = try await Self.takeSupplementRequested(database, numbers: numbers, now: TestSupport.mondayMorning)
        #expect(repaired.map(\.repaired) == [false, true])
        let statuses = try await database.read { db in try Int.fetchAll(db, sql: "SELECT oneStopStatus FROM dossier ORDER BY id") }
        #expect(statuses == [6, 5])
    }

    /// A status learnt from the one-stop's ledger is one a callback should have brought: a citizen who agreed to messages
    /// is told of it as of a callback, when the gateway learns it; one who did not is told nothing.
    @Test func aStatusTakenByARepairTellsTheCitizenWhoAgreed() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 2)
        let numbers = try await database.read { db in try String.fetchAll(db, sql: "SELECT trackingNumber FROM item ORDER BY dossierId") }
        try await database.write { db in
            try db.execute(sql: "UPDATE dossier SET oneStopStatus = 4, oneStopStatusAt = '2026-11-24 03:00:00.000'")
            try db.execute(sql: "UPDATE dossier SET notifyBy = 'sms' WHERE id = 1")
        }
        let later = TestSupport.mondayMorning.addingTimeInterval(86_400)
        _ = try await Self.takeSupplementRequested(database, numbers: numbers, now: later)
        let notices = try await database.read { db in try NoticeRecord.order(Column("id")).fetchAll(db) }
        #expect(notices.map(\.milestone) == [.supplementRequested] && notices.map(\.dossierId) == [1])
        #expect(notices.first?.nextAttemptAt == later)
    }

    /// The registration died in a long outage; the handover signed meanwhile waits behind it, and would wait for ever.
    @Test func aDossierWhoseRegistrationDiedIsRegisteredAgainInsteadOfWaitedFor() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 1)
        try await database.write { db in
            try db.execute(sql: "UPDATE outboxMessage SET state = 'dead', attempts = 30, lastError = 'gave up after 72 h: HTTP 503'")
            try OutboxMessageRecord.enqueue(dossierId: 1, kind: .reportHandover, payload: "{}", at: TestSupport.mondayMorning, in: db)
        }
        let before = try await Self.scan(database)
        #expect(before.map(\.hasUndeliveredMessages) == [false])
        let finding = LedgerComparison.missingAtOneStop(before[0])
        #expect(finding.repair == .resend)

        let later = TestSupport.mondayMorning.addingTimeInterval(4 * 86_400)
        let repaired = try await database.repair([finding], dossierIds: [finding.trackingNumber: 1], oneStop: [:], now: later)
        #expect(repaired.map(\.repaired) == [true])
        let messages = try await database.read { db in try OutboxMessageRecord.order(Column("id")).fetchAll(db) }
        #expect(messages.map(\.kind) == [.registerDossier, .reportHandover])
        #expect(messages.map(\.state) == [.pending, .pending])
        #expect(messages[0].retryFrom == later)
        // Now the registration is on its way, and the next run waits for it.
        #expect(try await Self.scan(database).map(\.hasUndeliveredMessages) == [true])
    }

    /// The one-stop refused the registration (its 4xx): a run leaves it dead and to a person, where before it was queued
    /// again every night and reported mended. A supervisor's requeue, once the data is settled, makes it a message on its way.
    @Test func aRegistrationTheOneStopRefusedIsNotQueuedAgainByARun() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 1)
        try await database.recordDeliveries(
            [(id: 1, outcome: .dead(reason: "HTTP 422: fields refused: ChuHoSo.SoGiayTo", refused: true))],
            now: TestSupport.mondayMorning)
        let dossier = try #require(try await Self.scan(database).first)
        #expect(dossier.refusedByOneStop && !dossier.hasUndeliveredMessages)
        let finding = LedgerComparison.missingAtOneStop(dossier)
        #expect(finding.repair == .forAPerson)
        let later = TestSupport.mondayMorning.addingTimeInterval(86_400)
        let repaired = try await database.repair([finding], dossierIds: [finding.trackingNumber: 1], oneStop: [:], now: later)
        #expect(repaired.map(\.repaired) == [false] && repaired.map(\.remains) == [true])
        let message = try await database.read { db in try OutboxMessageRecord.fetchOne(db, key: 1) }
        #expect(message?.state == .dead && message?.refused == true)

        #expect(try await database.requeueDeadMessage(id: 1, officeCode: nil, now: later))
        let requeued = try #require(try await Self.scan(database).first)
        #expect(!requeued.refusedByOneStop && requeued.hasUndeliveredMessages)
    }

    /// A ledger from before v14: its dead messages whose error is the one-stop's 4xx are the refused ones.
    @Test func refusalsAlreadyDeadAreToldFromTimeOutsByTheMigration() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let pool = try TestSupport.ledger(
            migratedUpTo: "v13: the forwarding horizon of messages already tried counts from their creation",
            idNumbers: idNumbers)
        try await pool.write { db in
            _ = try ReconciliationColumnsTests.insertDossier(db, number: "PH000000014VN", sealed: idNumbers.seal("019190001234"))
            for (state, error) in [
                ("dead", "HTTP 422: fields refused: ChuHoSo.SoGiayTo"), ("dead", "gave up after 72 h: HTTP 503"),
                ("dead", "the ID number is sealed with a key that is not in the keyring (security.idNumberKeys)"),
                ("pending", "HTTP 503: unavailable"),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, lastError, createdAt, updatedAt)
                        VALUES (1, 'registerDossier', '{}', ?, 3, '2026-11-23 02:30:00.000', ?, '2026-11-23 02:30:00.000', '2026-11-23 02:30:00.000')
                        """, arguments: [state, error])
            }
        }
        let database = try AppDatabase(pool, idNumbers: idNumbers)
        let refused = try await database.read { db in try OutboxMessageRecord.order(Column("id")).fetchAll(db).map(\.refused) }
        #expect(refused == [true, nil, nil, nil])
    }

    /// At 4 since the 1st, found at 9 by the run of the 25th: resolved on the 25th as far as anyone can tell, not on
    /// the 1st, which would count a late dossier as on time.
    @Test func aFinishedStatusTakenFromTheOneStopIsDatedWhenTheGatewayLearntIt() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 1)
        try await database.write { db in try db.execute(sql: "UPDATE dossier SET oneStopStatus = 4, oneStopStatusAt = '2026-11-01 03:00:00.000'") }
        let number = try await database.read { db in try String.fetchOne(db, sql: "SELECT trackingNumber FROM item")! }
        let finding = ReconciliationFinding(
            trackingNumber: number, kind: .statusDisagreement, agencyCode: "000.42.20.H55", gatewayValue: "4",
            oneStopValue: "9", ahead: .oneStop, repair: .takeStatus)
        let facts = LedgerFacts(agencyCode: "000.42.20.H55", fee: 8000, status: .resultReady, dossierCode: nil, handoverAt: nil)
        let run = LocalDate(iso: "2026-11-25")!.startInstant.addingTimeInterval(2 * 3600)
        let repaired = try await database.repair([finding], dossierIds: [number: 1], oneStop: [number: facts], now: run)
        #expect(repaired.map(\.repaired) == [true])
        let finished = try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT oneStopStatus, finishedStatus, finishedAt FROM dossier").map { row in
                "\(row[0] as Int) \(row[1] as Int) \(row[2] as String)"
            }
        }
        #expect(finished == "9 9 \(LedgerTime.string(run))")
    }
}
