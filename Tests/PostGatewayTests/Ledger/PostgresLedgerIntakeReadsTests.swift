import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// The staff's reads of dossiers and of the outbox on PostgreSQL: the answers SQLite gives over the same ledger.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerIntakeReadsTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let now = TestSupport.mondayMorning
    let planner = ResultItemPlanner(series: .whole("PK"), reference: TestSupport.reference)

    func number(_ serial: Int, _ prefix: String = "PH") -> TrackingNumber { TrackingNumber(prefix: prefix, serial: serial) }

    /// A dossier's detail in words, its events in item order (the dictionary's order is no order).
    static func summary(_ detail: DossierDetail?) -> String {
        guard let detail else { return "nil" }
        let events = detail.items.map { item in (detail.events[item.id!] ?? []).map { "\($0.code)@\($0.officeCode)" } }
        return "\(detail.dossier) \(detail.items) \(events) \(detail.linkedTrackingNumbers)"
    }

    /// A morning's ledger (dossiers at two offices, a supplement, a result, messages delivered or given up on) and
    /// every staff read of it, in words.
    func morning(on ledger: some LedgerBackend, intakes: [IntakeSubmission], supplement: IntakeSubmission) async throws -> [String] {
        _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        // Registrations: the first two delivered, the third given up on, the fourth waiting.
        try await ledger.deliverDue([.delivered, .delivered, .dead(reason: "refused", refused: true)], now: now.addingTimeInterval(60))
        try await ledger.applyStatus(
            OneStopEvent(
                trackingNumber: number(1), status: .supplementRequested, occurredAt: now.addingTimeInterval(600), dossierCode: nil,
                appointmentDate: nil, content: "Thiếu bản sao", result: nil), webhookId: "msg_1", planner: planner, pins: pins)
        try await ledger.applyStatus(
            OneStopEvent(
                trackingNumber: number(2), status: .resultReady, occurredAt: now.addingTimeInterval(900), dossierCode: nil, appointmentDate: nil,
                content: nil, result: OneStopEvent.Result(documentCount: 1, cashOnDelivery: 0)), webhookId: "msg_2", planner: planner, pins: pins)
        _ = try await ledger.acceptDossiers([supplement], series: .whole("PH"), pins: pins)

        var answers: [String] = []
        answers.append(Self.summary(try await ledger.dossierDetail(id: 1)))
        answers.append(Self.summary(try await ledger.dossierDetail(trackingNumber: number(1, "PK"))))
        answers.append(Self.summary(try await ledger.dossierDetail(id: 99)))
        answers.append(Self.summary(try await ledger.dossierDetail(trackingNumber: number(5))))
        let day = LocalDate(now)
        let filters = [
            DossierFilter(), DossierFilter(status: .accepted), DossierFilter(officeCode: "251750"),
            DossierFilter(agencyCode: "000.42.20.H55", from: day, to: day), DossierFilter(from: day.adding(days: 1)),
        ]
        for filter in filters { answers.append("\(try await ledger.dossierSummaries(filter, before: nil, limit: 10))") }
        let firstPage = try await ledger.dossierSummaries(DossierFilter(), before: nil, limit: 2)
        answers.append("\(try await ledger.dossierSummaries(DossierFilter(), before: firstPage.last?.id, limit: 2))")
        answers.append(
            "\(try await ledger.officeCodes(ofTrackingNumbers: [number(1).description, number(3).description, TestSupport.unknownNumber]).sorted { $0.key < $1.key })"
        )
        for state in [OutboxMessageRecord.State.pending, .dead] {
            answers.append(
                "\(try await ledger.outboxMessages(state: state, officeCode: nil, limit: 10).map { "\($0.message) \($0.trackingNumber)" })")
        }
        answers.append("\(try await ledger.outboxMessages(state: .dead, officeCode: "251750", limit: 10).count)")
        answers.append("\(try await ledger.requeueDeadMessage(id: 3, officeCode: "999999", now: now, audit: nil))")
        answers.append("\(try await ledger.requeueDeadMessage(id: 3, officeCode: nil, now: now, audit: nil))")
        answers.append("\(try await ledger.requeueDeadMessage(id: 3, officeCode: nil, now: now, audit: nil))")
        return answers
    }

    @Test func staffReadsOfDossiersAndTheOutboxAnswerAsOnSQLite() async throws {
        let intakes = try (1...4).map { index in
            try TestSupport.submission(key: "staff-reads-\(index)", pins: pins, idNumbers: idNumbers) { form in
                if index == 4 { form["officeCode"] = "251750" }
            }
        }
        let supplement = try TestSupport.submission(key: "staff-reads-supplement", pins: pins, idNumbers: idNumbers) { form in
            form["supplementTo"] = TrackingNumber(prefix: "PH", serial: 1).description
        }
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        let expected = try await morning(on: sqlite, intakes: intakes, supplement: supplement)
        #expect(expected[2] == "nil")
        #expect(expected[0].contains(number(5).description))
        #expect(expected[expected.count - 3..<expected.count] == ["false", "true", "false"])

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            #expect(try await morning(on: ledger, intakes: intakes, supplement: supplement) == expected)
        }
    }
}
