import Foundation
import GRDB
import Logging
import Testing

@testable import PostGateway

/// A dead message sent again (by a supervisor, or by a reconcile run) gets a whole new horizon of tries.
@Suite(.temporaryFolder) struct OutboxRequeueTests {
    let database: AppDatabase
    let clock = MovableClock(TestSupport.mondayMorning)

    init() throws {
        database = try TestSupport.ledger()
    }

    func forwarder(_ answer: OneStopClient.Answer) -> Forwarder {
        let client = OneStopClient(send: { _, _, _ in answer }, listDossiers: { _, _, _, _ in ([], nil) }, isReachable: { true })
        var settings = Forwarder.Settings()
        settings.deadAfter = 3600
        return Forwarder(
            database: database, client: client, settings: settings, metrics: GatewayMetrics(),
            clock: { [clock] in clock.now }, logger: Logger(label: "test"))
    }

    func state() async throws -> String {
        try await database.read { db in try String.fetchOne(db, sql: "SELECT state FROM outboxMessage")! }
    }

    /// Migration v13: a message already being retried before the forwarder wrote `retryFrom` at the first attempt keeps
    /// its horizon from its creation; one never tried gets it at its first attempt.
    @Test func messagesAlreadyTriedBeforeTheUpgradeKeepTheirHorizon() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let pool = try TestSupport.ledger(
            migratedUpTo: "v12: idempotency keys are scoped to the office that took the dossier in", idNumbers: idNumbers)
        try await pool.write { db in
            let ids = try ReconciliationColumnsTests.insertDossier(db, number: "PH000000014VN", sealed: idNumbers.seal("019190001234"))
            for attempts in [3, 0] {
                try db.execute(
                    sql: """
                        INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                        VALUES (?, 'registerDossier', '{}', 'pending', ?, '2026-11-23 02:30:00.000', '2026-11-20 02:30:00.000', '2026-11-23 02:30:00.000')
                        """, arguments: [ids.dossier, attempts])
            }
        }
        let database = try AppDatabase(pool, idNumbers: idNumbers)
        let retryFrom = try await database.read { db in try String?.fetchAll(db, sql: "SELECT retryFrom FROM outboxMessage ORDER BY id") }
        #expect(retryFrom == ["2026-11-20 02:30:00.000", nil])
    }

    @Test func aRequeuedMessageIsRetriedForAWholeHorizonFromTheRequeueNotFromItsCreation() async throws {
        try await IdNumberPrivacyTests.intake(into: database, count: 1)
        let down = forwarder(.unavailable("HTTP 503: no MaLoi in the answer"))
        // The one-stop is down past the horizon, counted from the first try: the message dies.
        #expect(try await down.forwardOneBatch() == 1)
        #expect(try await state() == "pending")
        clock.set(TestSupport.mondayMorning.addingTimeInterval(2 * 3600))
        try await database.write { db in try db.execute(sql: "UPDATE outboxMessage SET nextAttemptAt = '2000-01-01 00:00:00.000'") }
        #expect(try await down.forwardOneBatch() == 1)
        #expect(try await state() == "dead")

        // A supervisor requeues it the next day; the one-stop is still down for a while.
        let requeuedAt = TestSupport.mondayMorning.addingTimeInterval(24 * 3600)
        clock.set(requeuedAt)
        #expect(try await database.requeueDeadMessage(id: 1, officeCode: nil, now: requeuedAt))
        #expect(try await down.forwardOneBatch() == 1)
        #expect(try await state() == "pending")  // retried later, not dead again at once

        // Within the new horizon it is still tried; past it, it dies again.
        clock.set(requeuedAt.addingTimeInterval(50 * 60))
        try await database.write { db in try db.execute(sql: "UPDATE outboxMessage SET nextAttemptAt = '2000-01-01 00:00:00.000'") }
        #expect(try await down.forwardOneBatch() == 1)
        #expect(try await state() == "pending")
        clock.set(requeuedAt.addingTimeInterval(61 * 60))
        try await database.write { db in try db.execute(sql: "UPDATE outboxMessage SET nextAttemptAt = '2000-01-01 00:00:00.000'") }
        #expect(try await down.forwardOneBatch() == 1)
        #expect(try await state() == "dead")
    }
}
