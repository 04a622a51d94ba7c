import Foundation
import GRDB
import Logging
import Synchronization
import Testing

@testable import PostGateway

/// Once the one-stop has answered, the answer reaches the ledger, even when the ledger refuses it for a while.
@Suite struct ForwarderRecordingTests {
    @Test func outcomesTheLedgerRefusesAtFirstAreRecordedOnALaterTryAndNothingStaysInFlight() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 2)
        // On the writer's connection: the first two tries to mark a message delivered are refused, as a ledger held
        // past its busy timeout would refuse them.
        let refusals = Mutex(0)
        try await database.write { db in
            db.add(
                function: DatabaseFunction("refuseTwice", argumentCount: 0, pure: false) { _ in
                    refusals.withLock { count in
                        count += 1
                        return count <= 2
                    }
                })
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER refuseDelivery BEFORE UPDATE OF state ON outboxMessage
                    WHEN NEW.state = 'delivered' AND refuseTwice() BEGIN SELECT RAISE(ABORT, 'ledger busy (test)'); END
                    """)
        }
        let sent = Mutex(0)
        let client = OneStopClient(
            send: { _, _, _ in
                sent.withLock { $0 += 1 }
                return .accepted
            },
            listDossiers: { _, _, _, _ in ([], nil) }, isReachable: { true })
        var settings = Forwarder.Settings()
        settings.recordRetryLimit = .milliseconds(20)
        let forwarder = Forwarder(
            database: database, client: client, settings: settings, metrics: GatewayMetrics(),
            clock: { TestSupport.mondayMorning.addingTimeInterval(60) }, logger: Logger(label: "test"))

        #expect(try await forwarder.forwardOneBatch() == 2)
        #expect(refusals.withLock { $0 } == 4)  // two refused tries, then one call for each message of the try recorded
        #expect(sent.withLock { $0 } == 2)  // sent once each: a refused record does not send again
        let states = try await database.read { db in try String.fetchAll(db, sql: "SELECT state FROM outboxMessage ORDER BY id") }
        #expect(states == ["delivered", "delivered"])
    }

    /// Forwarding was off for three days (or the message waited behind its dossier's registration): its first
    /// attempt is where the 72 hours start, not when it was written.
    @Test func aMessageFirstTriedLongAfterItWasWrittenGetsTheWholeHorizon() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 1)
        let client = OneStopClient(send: { _, _, _ in .unavailable("HTTP 503") }, listDossiers: { _, _, _, _ in ([], nil) }, isReachable: { true })
        let firstTry = TestSupport.mondayMorning.addingTimeInterval(80 * 3600)
        let clock = MovableClock(firstTry)
        let forwarder = Forwarder(
            database: database, client: client, settings: Forwarder.Settings(), metrics: GatewayMetrics(),
            clock: { clock.now }, logger: Logger(label: "test"))
        func message() async throws -> OutboxMessageRecord { try await database.read { db in try OutboxMessageRecord.fetchOne(db)! } }

        #expect(try await forwarder.forwardOneBatch() == 1)
        #expect(try await message().state == .pending)
        #expect(try await message().retryFrom == firstTry)
        clock.set(firstTry.addingTimeInterval(71 * 3600))
        _ = try await forwarder.forwardOneBatch()
        #expect(try await message().state == .pending)
        clock.set(firstTry.addingTimeInterval(73 * 3600))
        _ = try await forwarder.forwardOneBatch()
        #expect(try await message().state == .dead)
    }

    /// A handover the one-stop answers 404 for ever: its registration goes again once (not once per 404), and if
    /// that copy is refused it holds nothing back, so the handover reaches its dead end where a supervisor sees it.
    @Test(arguments: [OneStopClient.Answer.accepted, .refused("HTTP 409: MaLoi 409")])
    func aLostDossierIsRegisteredAgainOnceAndTheHandoverStillEnds(copyAnswer: OneStopClient.Answer) async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 1)
        let registrations = Mutex(0)
        let client = OneStopClient(
            send: { kind, _, _ in
                guard kind == .registerDossier else { return .needsRegistration }
                return registrations.withLock { count in
                    count += 1
                    return count == 1 ? .accepted : copyAnswer
                }
            }, listDossiers: { _, _, _, _ in ([], nil) }, isReachable: { true })
        let clock = MovableClock(TestSupport.mondayMorning)
        let forwarder = Forwarder(
            database: database, client: client, settings: Forwarder.Settings(), metrics: GatewayMetrics(),
            clock: { clock.now }, logger: Logger(label: "test"))
        _ = try await forwarder.forwardOneBatch()
        let number = try await database.read { db in try String.fetchOne(db, sql: "SELECT trackingNumber FROM item")! }
        try await ForwardingTests.queueHandovers([number], in: database)
        // Four days, an hour at a time: past the 72 hours a message is tried for.
        for hour in 1...96 {
            clock.set(TestSupport.mondayMorning.addingTimeInterval(Double(hour) * 3600))
            _ = try await forwarder.forwardOneBatch()
        }
        let messages = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, state FROM outboxMessage ORDER BY id").map { "\($0["kind"] as String) \($0["state"] as String)" }
        }
        let copy = copyAnswer == .accepted ? "delivered" : "dead"
        #expect(messages == ["registerDossier delivered", "reportHandover dead", "registerDossier \(copy)"])
        #expect(registrations.withLock { $0 } == 2)
    }
}
