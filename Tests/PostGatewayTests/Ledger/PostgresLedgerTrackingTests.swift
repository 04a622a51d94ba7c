import Crypto
import Foundation
import PostgresNIO
import Testing

@testable import PostGateway

/// The PIN guard on PostgreSQL, with wrong PINs arriving at two instances at once.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerTrackingTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let now = TestSupport.mondayMorning
    let rule = PinGuard(limit: 5, window: 24 * 3600, closedFor: 24 * 3600)

    private func oneDossier(on ledger: PostgresLedger) async throws -> Int64 {
        try await ledger.migrate()
        let intake = try TestSupport.submission(key: "pin-guard-key", pins: pins, idNumbers: .ephemeral())
        _ = try await ledger.acceptDossiers([intake], series: .whole("PH"), pins: pins)[0].get()
        return 1
    }

    @Test func wrongPinsAtTwoInstancesAtOnceAreEachCountedAndExactlyOneClosesTheView() async throws {
        let dossierId = try await TestPostgres.withLedger { try await oneDossier(on: $0) }
        let closings = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: Date?.self) { group in
                    for guess in 0..<12 {
                        let ledger = guess.isMultiple(of: 2) ? first : second
                        group.addTask { try await ledger.recordWrongPin(dossierId: dossierId, at: now, guard: rule) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
        #expect(closings.compactMap { $0 } == [now.addingTimeInterval(rule.closedFor)])
        let verdicts = try await TestPostgres.withLedger { ledger in
            [
                try await ledger.pinVerdict(dossierId: dossierId, at: now),
                try await ledger.pinVerdict(dossierId: dossierId, at: now.addingTimeInterval(rule.closedFor + 1)),
            ]
        }
        #expect(verdicts == [.closed(until: now.addingTimeInterval(rule.closedFor)), .open])
    }

    @Test func theRightPinForgetsTheWrongOnesBeforeIt() async throws {
        try await TestPostgres.withLedger { ledger in
            let dossierId = try await oneDossier(on: ledger)
            var closings: [Date?] = []
            for _ in 0..<4 { closings.append(try await ledger.recordWrongPin(dossierId: dossierId, at: now, guard: rule)) }
            try await ledger.forgetWrongPins(dossierId: dossierId)
            for _ in 0..<4 { closings.append(try await ledger.recordWrongPin(dossierId: dossierId, at: now, guard: rule)) }
            let verdict = try await ledger.pinVerdict(dossierId: dossierId, at: now)
            let fifth = try await ledger.recordWrongPin(dossierId: dossierId, at: now, guard: rule)
            #expect(closings.allSatisfy { $0 == nil })
            #expect(verdict == .open)
            #expect(fifth == now.addingTimeInterval(rule.closedFor))
        }
    }
}
