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
            db.add(function: DatabaseFunction("refuseTwice", argumentCount: 0, pure: false) { _ in
                refusals.withLock { count in
                    count += 1
                    return count <= 2
                }
            })
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuseDelivery BEFORE UPDATE OF state ON outboxMessage
                WHEN NEW.state = 'delivered' AND refuseTwice() BEGIN SELECT RAISE(ABORT, 'ledger busy (test)'); END
                """)
        }
        let sent = Mutex(0)
        let client = OneStopClient(send: { _, _, _ in sent.withLock { $0 += 1 }; return .accepted },
                                   listDossiers: { _, _, _, _ in ([], nil) }, isReachable: { true })
        var settings = Forwarder.Settings()
        settings.recordRetryLimit = .milliseconds(20)
        let forwarder = Forwarder(database: database, client: client, settings: settings, metrics: GatewayMetrics(),
                                  clock: { TestSupport.mondayMorning.addingTimeInterval(60) }, logger: Logger(label: "test"))

        #expect(try await forwarder.forwardOneBatch() == 2)
        #expect(refusals.withLock { $0 } == 4)  // two refused tries, then one call for each message of the try recorded
        #expect(sent.withLock { $0 } == 2)  // sent once each: a refused record does not send again
        let states = try await database.read { db in try String.fetchAll(db, sql: "SELECT state FROM outboxMessage ORDER BY id") }
        #expect(states == ["delivered", "delivered"])
    }
}
