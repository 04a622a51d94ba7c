import Crypto
import Foundation
import PostgresNIO
import Testing

@testable import PostGateway

/// The outbox on PostgreSQL, drained by two instances: each message claimed once, a dossier's messages in order
/// whoever claims them, a live instance's claims left alone, a dead one's taken back when their lease runs out.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerForwardingTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let now = TestSupport.mondayMorning

    /// `count` dossiers taken in, each with its registration waiting; the first `followed` with a hand-over report
    /// written after it.
    private func dossiers(_ count: Int, followed: Int, on ledger: PostgresLedger) async throws {
        try await ledger.migrate()
        let batch = try (1...count).map { try TestSupport.submission(key: "outbox-key-\($0)", pins: pins, idNumbers: idNumbers) }
        _ = try await ledger.acceptDossiers(batch, series: .whole("PH"), pins: pins).map { try $0.get() }
        try await ledger.client.withConnection { connection in
            for dossierId in (0..<followed).map({ $0 + 1 }) {
                try await PostgresLedger.insert(
                    OutboxMessageRecord.pending(dossierId: Int64(dossierId), kind: .reportHandover, payload: "{}", at: now), on: connection,
                    logger: TestPostgres.logger)
            }
        }
    }

    @Test func twoInstancesDrainingAtOnceClaimEachMessageOnceAndADossiersMessagesInOrder() async throws {
        try await TestPostgres.withLedger { try await dossiers(30, followed: 10, on: $0) }
        try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                let instances = [("gateway-a", first), ("gateway-b", second)]
                // Both claim at the same moment, in small bites, until nothing is due.
                func drain() async throws -> [(String, ClaimedMessage)] {
                    try await withThrowingTaskGroup(of: [(String, ClaimedMessage)].self) { group in
                        for (name, ledger) in instances {
                            group.addTask {
                                var claimed: [(String, ClaimedMessage)] = []
                                while true {
                                    let bite = try await ledger.claimDueMessages(limit: 4, now: now, instance: name, lease: .seconds(60))
                                    if bite.isEmpty { return claimed }
                                    claimed += bite.map { (name, $0) }
                                }
                            }
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                }
                let registrations = try await drain()
                #expect(registrations.count == 30)
                #expect(Set(registrations.map(\.1.id)).count == 30)
                #expect(registrations.allSatisfy { $0.1.kind == .registerDossier })
                for (name, ledger) in instances {
                    let mine = registrations.filter { $0.0 == name }.map { (id: $0.1.id, outcome: DeliveryOutcome.delivered) }
                    #expect(try await ledger.recordDeliveries(mine, now: now, instance: name) == mine.count)
                }
                // Only now do the hand-over reports come due, each once.
                let reports = try await drain()
                #expect(reports.count == 10 && Set(reports.map(\.1.id)).count == 10)
                #expect(reports.allSatisfy { $0.1.kind == .reportHandover })
            }
        }
    }

    @Test func aLiveInstancesClaimsAreLeftAloneAndADeadOnesComeBackWhenTheLeaseRunsOut() async throws {
        try await TestPostgres.withLedger { ledger in
            try await dossiers(5, followed: 0, on: ledger)
            let claimedByA = try await ledger.claimDueMessages(limit: 10, now: now, instance: "gateway-a", lease: .seconds(60))
            #expect(claimedByA.count == 5)
            let whileALives = try await ledger.claimDueMessages(
                limit: 10, now: now.addingTimeInterval(59), instance: "gateway-b", lease: .seconds(60))
            #expect(whileALives.isEmpty)
            let afterALease = try await ledger.claimDueMessages(
                limit: 10, now: now.addingTimeInterval(61), instance: "gateway-b", lease: .seconds(60))
            #expect(afterALease.map(\.id) == claimedByA.map(\.id))
            // A's answer comes too late: B holds the messages now, and B's attempt decides.
            let late = try await ledger.recordDeliveries(
                claimedByA.map { ($0.id, .delivered) }, now: now.addingTimeInterval(62), instance: "gateway-a")
            #expect(late == 0)
            let retry = DeliveryOutcome.retry(at: now.addingTimeInterval(120), reason: "one-stop unavailable")
            #expect(
                try await ledger.recordDeliveries(afterALease.map { ($0.id, retry) }, now: now.addingTimeInterval(63), instance: "gateway-b") == 5)
            for try await (state, attempts, claimedBy) in try await ledger.client.query("SELECT state, attempts, claimedBy FROM outboxMessage")
                .decode(
                    (String, Int, String?).self)
            {
                #expect(state == "pending" && attempts == 1 && claimedBy == nil)
            }
        }
    }

    @Test func anInstanceStartingAgainTakesBackItsOwnClaimsAndNoOneElses() async throws {
        try await TestPostgres.withLedger { ledger in
            try await dossiers(6, followed: 0, on: ledger)
            let a = try await ledger.claimDueMessages(limit: 2, now: now, instance: "gateway-a", lease: .seconds(60))
            let b = try await ledger.claimDueMessages(limit: 4, now: now, instance: "gateway-b", lease: .seconds(60))
            #expect(a.count == 2 && b.count == 4)
            #expect(try await ledger.releaseClaims(of: "gateway-a") == 2)
            let again = try await ledger.claimDueMessages(limit: 10, now: now, instance: "gateway-a", lease: .seconds(60))
            #expect(again.map(\.id) == a.map(\.id))
        }
    }
}
