import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// The one-stop's status callbacks on PostgreSQL: the rows and answers SQLite gives, and what two instances receiving
/// callbacks at once must not break (a webhook applied once, a dossier's status never moved backwards).
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerCallbacksTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let planner = ResultItemPlanner(series: .whole("PK"), reference: TestSupport.reference)

    /// One callback as the events route hands it to the ledger.
    struct Delivery {
        let webhookId: String
        let parsed: OneStopEvent.Parsed
        var body: String { "{\"id\":\"\(webhookId)\"}" }
    }

    func event(_ serial: Int?, _ status: OneStopStatus, minutes: Double, code: String? = nil, content: String? = nil) -> OneStopEvent {
        OneStopEvent(
            trackingNumber: serial.map { TrackingNumber(prefix: "PH", serial: $0) }, status: status,
            occurredAt: TestSupport.mondayMorning.addingTimeInterval(minutes * 60), dossierCode: code,
            appointmentDate: status == .received ? LocalDate(iso: "2026-12-18") : nil, content: content,
            result: status == .resultReady ? OneStopEvent.Result(documentCount: 2, cashOnDelivery: 25_000) : nil)
    }

    func intakes() throws -> [IntakeSubmission] {
        try (1...3).map { index in
            try TestSupport.submission(key: "callback-intake-\(index)", pins: pins, idNumbers: idNumbers) { form in
                var applicant = form["applicant"] as! [String: Any]
                applicant["fullName"] = "Phạm Thu Hà \(index)"
                form["applicant"] = applicant
                // The citizen agreed to be told: the desk's decisions write notices.
                form["notifications"] = "zalo"
            }
        }
    }

    func receivedAt(_ index: Int) -> Date { TestSupport.mondayMorning.addingTimeInterval(Double(3600 + index)) }

    @Test func callbacksWriteTheRowsSQLiteWritesAndAnswerTheSame() async throws {
        let code = "000.00.01.H56-261207-0001"
        let deliveries = [
            Delivery(webhookId: "msg_1", parsed: .event(event(1, .received, minutes: 10, code: code))),
            // The same webhook again: a replay, nothing applied twice.
            Delivery(webhookId: "msg_1", parsed: .event(event(1, .received, minutes: 10, code: code))),
            Delivery(webhookId: "msg_2", parsed: .event(event(2, .supplementRequested, minutes: 20, content: "Thiếu bản sao CCCD"))),
            // Late and older than what dossier 1 holds: kept, superseded.
            Delivery(webhookId: "msg_3", parsed: .event(event(1, .registered, minutes: 5))),
            Delivery(webhookId: "msg_4", parsed: .event(event(1, .resultReady, minutes: 30))),
            Delivery(webhookId: "msg_5", parsed: .event(event(999, .received, minutes: 40, code: "000.00.01.H56-261207-0099"))),
            // Dossier 3 given the code dossier 1 has: a finding, the code left where it was.
            Delivery(webhookId: "msg_6", parsed: .event(event(3, .received, minutes: 50, code: code))),
            Delivery(webhookId: "msg_7", parsed: .unsupportedType("hoso.xoa")),
        ]
        // Sealed once: each sealing of an ID number draws a new nonce.
        let intakes = try intakes()
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        _ = try await sqlite.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        var onSQLite: [CallbackReceipt] = []
        for (index, delivery) in deliveries.enumerated() {
            onSQLite.append(
                try await sqlite.applyCallback(
                    delivery.parsed, webhookId: delivery.webhookId, body: delivery.body, receivedAt: receivedAt(index), resultItems: planner,
                    pins: pins))
        }
        let expected = onSQLite
        #expect(expected.map(\.outcome) == [.applied, .applied, .applied, .superseded, .applied, .unknownDossier, .applied, .unsupportedType])
        #expect(expected.map(\.firstDelivery) == [true, false, true, true, true, true, true, true])
        #expect(expected[4].resultTrackingNumber == TrackingNumber(prefix: "PK", serial: 1).description)
        #expect(expected[6].dossierCodeConflict)

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
            var receipts: [CallbackReceipt] = []
            for (index, delivery) in deliveries.enumerated() {
                receipts.append(try await apply(delivery, at: receivedAt(index), on: ledger))
            }
            #expect(receipts == expected)
            for table in try await sqlite.read({ db in try LedgerCopy.tables(db) }) {
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                let postgresDigest = try await LedgerCopy.digest(table, client: ledger.client)
                #expect(sqliteDigest == postgresDigest, "\(table.name)")
            }
        }
    }

    /// The one-stop retries a webhook it saw time out, and a load balancer may give each try to another instance.
    @Test func oneWebhookDeliveredToTwoInstancesAtOnceIsAppliedOnceAndAnsweredAsAReplayElsewhere() async throws {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(try intakes(), series: .whole("PH"), pins: pins)
        }
        let delivery = Delivery(webhookId: "msg_twice", parsed: .event(event(1, .received, minutes: 10, code: "000.00.01.H56-261207-0002")))
        let receipts = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: CallbackReceipt.self) { group in
                    for attempt in 0..<12 {
                        group.addTask { try await apply(delivery, at: receivedAt(attempt), on: attempt.isMultiple(of: 2) ? first : second) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
        #expect(receipts.filter(\.firstDelivery).count == 1)
        #expect(receipts.allSatisfy { $0.outcome == .applied })
        let counts = try await TestPostgres.integers(
            "SELECT (SELECT count(*) FROM oneStopCallback), (SELECT count(*) FROM notice WHERE milestone = 'received')")
        #expect(counts == [1, 1])
    }

    /// Callbacks of one dossier arrive out of order, at two instances at once: each is applied after the other, so the
    /// dossier ends at the greatest status whatever the order, never at one read before a later one was written.
    @Test func callbacksOfOneDossierAtTwoInstancesAtOnceEndAtTheGreatestStatus() async throws {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(try intakes(), series: .whole("PH"), pins: pins)
        }
        let statuses: [OneStopStatus] = [.received, .processing, .supplementRequested, .processing, .financialObligation, .processing]
        // A dossier a round: each starts from a dossier that has heard nothing yet.
        for dossier in 1...3 {
            let deliveries = statuses.enumerated().map { index, status in
                Delivery(
                    webhookId: "msg_\(dossier)_\(index)",
                    parsed: .event(event(dossier, status, minutes: Double(10 + index), code: status == .received ? "H56-\(dossier)" : nil)))
            }
            try await TestPostgres.withLedger { first in
                try await TestPostgres.withLedger { second in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (index, delivery) in deliveries.shuffled().enumerated() {
                            group.addTask { _ = try await apply(delivery, at: receivedAt(index), on: index.isMultiple(of: 2) ? first : second) }
                        }
                        try await group.waitForAll()
                    }
                }
            }
            let held = try await TestPostgres.integers("SELECT oneStopStatus FROM dossier WHERE id = \(dossier)")
            // The last report, at minute 15: processing (rank 2, the latest time).
            #expect(held == [OneStopStatus.processing.rawValue], "dossier \(dossier)")
        }
    }

    private func apply(_ delivery: Delivery, at receivedAt: Date, on ledger: PostgresLedger) async throws -> CallbackReceipt {
        switch delivery.parsed {
        case .event(let event):
            try await ledger.applyStatusCallback(
                event, webhookId: delivery.webhookId, body: delivery.body, receivedAt: receivedAt, resultItems: planner)
        case .unsupportedType(let type):
            try await ledger.keepUnsupportedCallback(type: type, webhookId: delivery.webhookId, body: delivery.body, receivedAt: receivedAt)
        case .order:
            throw OrdersAreNotOnPostgreSQL()
        }
    }

    private struct OrdersAreNotOnPostgreSQL: Error {}
}
