import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// Public tracking on PostgreSQL: the answers SQLite gives for every kind of code, and the PIN guard with wrong PINs
/// arriving at two instances at once.
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

    /// The one-stop's events for the tracked dossiers: dossier 1 received and asked for a supplement, dossier 2's result ready.
    func events() -> [OneStopEvent] {
        [
            OneStopEvent(
                trackingNumber: TrackingNumber(prefix: "PH", serial: 1), status: .received, occurredAt: now.addingTimeInterval(600),
                dossierCode: "000.00.01.H56-261123-0007", appointmentDate: LocalDate(iso: "2026-12-04"), content: nil, result: nil),
            OneStopEvent(
                trackingNumber: TrackingNumber(prefix: "PH", serial: 1), status: .supplementRequested, occurredAt: now.addingTimeInterval(1200),
                dossierCode: nil, appointmentDate: nil, content: "Thiếu bản sao sổ hộ khẩu", result: nil),
            OneStopEvent(
                trackingNumber: TrackingNumber(prefix: "PH", serial: 2), status: .resultReady, occurredAt: now.addingTimeInterval(1800),
                dossierCode: nil, appointmentDate: nil, content: nil, result: OneStopEvent.Result(documentCount: 1, cashOnDelivery: 30_000)),
        ]
    }

    /// Every code a citizen may type, with and without the PIN's links.
    var codes: [String] {
        [
            TrackingNumber(prefix: "PH", serial: 1).description, TrackingNumber(prefix: "PH", serial: 2).description,
            TrackingNumber(prefix: "PK", serial: 1).description, "000.00.01.H56-261123-0007", TrackingNumber(prefix: "PH", serial: 4).description,
            TestSupport.unknownNumber,
        ]
    }

    @Test func trackingAnswersWhatSQLiteAnswersForEveryKindOfCode() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let intakes = try (1...3).map { index in
            try TestSupport.submission(key: "tracking-\(index)", name: "Đặng Thị Ánh \(index)", pins: pins, idNumbers: idNumbers)
        }
        let supplement = try TestSupport.submission(key: "tracking-supplement", pins: pins, idNumbers: idNumbers) { form in
            form["supplementTo"] = TrackingNumber(prefix: "PH", serial: 1).description
            form["notifications"] = "sms"
        }
        let planner = ResultItemPlanner(series: .whole("PK"), reference: TestSupport.reference)
        let dispatched = ScanRequest(
            trackingNumber: TrackingNumber(prefix: "PH", serial: 3), event: .dispatched, officeCode: "250000",
            occurredAt: now.addingTimeInterval(900),
            note: nil, actor: "buucuc.le")
        // A notice that went, so that tracking shows it: the supplement's acceptance.
        let sent = "UPDATE notice SET state = 'sent', sentAt = '2026-11-23 03:00:00.000' WHERE id = 1"

        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        _ = try await sqlite.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        for (index, event) in events().enumerated() {
            _ = try await sqlite.applyCallback(
                .event(event), webhookId: "msg_\(index)", body: "{}", receivedAt: event.occurredAt, resultItems: planner, pins: pins)
        }
        _ = try await sqlite.acceptDossiers([supplement], series: .whole("PH"), pins: pins)
        _ = try await sqlite.recordScan(dispatched, by: .clerk, recordedAt: dispatched.occurredAt, reference: TestSupport.reference)
        try await sqlite.write { db in try db.execute(sql: sent) }
        var onSQLite: [String] = []
        for code in codes {
            for withLinks in [false, true] {
                onSQLite.append(String(describing: try await sqlite.trackedDossier(code: code, withLinks: withLinks)))
            }
        }
        let expected = onSQLite
        #expect(expected.filter { $0 == "nil" }.count == 2)
        #expect(expected.contains { $0.contains("milestone") })
        // Dossier 1 with the PIN shows its supplement; without it, not.
        let supplementNumber = TrackingNumber(prefix: "PH", serial: 4).description
        #expect(expected[1].contains(supplementNumber) && !expected[0].contains(supplementNumber))

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
            for (index, event) in events().enumerated() {
                _ = try await ledger.applyStatusCallback(
                    event, webhookId: "msg_\(index)", body: "{}", receivedAt: event.occurredAt, resultItems: planner)
            }
            _ = try await ledger.acceptDossiers([supplement], series: .whole("PH"), pins: pins)
            _ = try await ledger.recordScan(dispatched, by: .clerk, recordedAt: dispatched.occurredAt, reference: TestSupport.reference)
            try await ledger.client.query(PostgresQuery(unsafeSQL: sent))
            var answers: [String] = []
            for code in codes {
                for withLinks in [false, true] {
                    answers.append(String(describing: try await ledger.trackedDossier(code: code, withLinks: withLinks)))
                }
            }
            #expect(answers == expected)
            #expect(try await ledger.lastSerials() == (try await sqlite.lastSerials()))
        }
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
