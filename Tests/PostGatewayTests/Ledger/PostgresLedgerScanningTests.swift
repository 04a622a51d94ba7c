import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// Scans on PostgreSQL: the rows and answers SQLite gives, and what two instances taking one item's scans at once must
/// not break (an event recorded once, never beside one it made illegal).
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerScanningTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let planner = ResultItemPlanner(series: .whole("PK"), reference: TestSupport.reference)
    let dossierNumber = TrackingNumber(prefix: "PH", serial: 1)
    let resultNumber = TrackingNumber(prefix: "PK", serial: 1)

    func intakes() throws -> [IntakeSubmission] {
        try (1...2).map { index in
            try TestSupport.submission(key: "scan-intake-\(index)", pins: pins, idNumbers: idNumbers) { form in
                // The citizen agreed to be told: a result's journey writes notices.
                form["notifications"] = "zalo"
            }
        }
    }

    func at(minutes: Double) -> Date { TestSupport.mondayMorning.addingTimeInterval(minutes * 60) }

    /// Dossier 1's result, ready at the desk: a result item waiting at the office serving it.
    var resultReady: OneStopEvent {
        OneStopEvent(
            trackingNumber: dossierNumber, status: .resultReady, occurredAt: at(minutes: 30), dossierCode: nil, appointmentDate: nil,
            content: nil, result: OneStopEvent.Result(documentCount: 2, cashOnDelivery: 25_000))
    }

    /// One scan, with how the ledger is asked to take it.
    struct Step {
        var request: ScanRequest
        var role: StaffIdentity.Role = .clerk
        var invitesByMessage = false
        var audited = false
    }

    func scan(
        _ number: TrackingNumber, _ event: ItemEventCode, at office: String, minutes: Double, note: String? = nil, identityChecked: Bool = false
    ) -> ScanRequest {
        var request = ScanRequest(
            trackingNumber: number, event: event, officeCode: office, occurredAt: at(minutes: minutes), note: note, actor: "buucuc.le")
        request.identityChecked = identityChecked
        return request
    }

    /// Two days after the morning, in minutes: Wednesday, two working days after Monday's failed attempt.
    let wednesday: Double = 2 * 24 * 60

    func journey(resultOffice office: String) -> [Step] {
        [
            Step(request: scan(dossierNumber, .dispatched, at: "250000", minutes: 40)),
            Step(request: scan(dossierNumber, .dispatched, at: "250000", minutes: 41)),
            Step(request: scan(dossierNumber, .pickedUp, at: "250000", minutes: 42)),
            Step(request: scan(dossierNumber, .arrived, at: "999999", minutes: 43)),
            Step(request: scan(resultNumber, .pickedUp, at: office, minutes: 60)),
            Step(request: scan(resultNumber, .outForDelivery, at: office, minutes: 70)),
            Step(request: scan(resultNumber, .deliveryFailed, at: office, minutes: 80, note: "Không có người nhận")),
            // One failed attempt: too early to send the result back.
            Step(request: scan(resultNumber, .returnedToAgency, at: office, minutes: 90)),
            Step(request: scan(resultNumber, .outForDelivery, at: office, minutes: 20)),
            // Two working days later, the second attempt.
            Step(request: scan(resultNumber, .outForDelivery, at: office, minutes: wednesday)),
            Step(request: scan(resultNumber, .deliveryFailed, at: office, minutes: wednesday + 10)),
            // The invitation of the second failure has not gone yet.
            Step(request: scan(resultNumber, .returnedToAgency, at: office, minutes: wednesday + 20), invitesByMessage: true),
            Step(request: scan(resultNumber, .heldAtOffice, at: office, minutes: wednesday + 30)),
            Step(request: scan(resultNumber, .delivered, at: office, minutes: wednesday + 40, identityChecked: true), audited: true),
            Step(request: scan(TrackingNumber(prefix: "PH", serial: 99), .dispatched, at: "250000", minutes: 120)),
        ]
    }

    /// What a scan came to, in words to compare: the answer's case and what it carries.
    static func summary(_ result: ScanResult) -> String {
        switch result {
        case .applied(let item, let event): "applied \(item.status) \(event.code) \(event.attempt.map(String.init) ?? "-") \(item.dueDate ?? "-")"
        case .repeated(let item, let event): "repeated \(item.status) \(event.code)"
        case .illegal(let item, let allowed): "illegal \(item.status) \(allowed)"
        case .tooEarlyToReturn(_, let failedAttempts): "tooEarly \(failedAttempts)"
        case .invitationsWaiting: "invitationsWaiting"
        case .beforeLastEvent(_, let lastEventAt): "beforeLastEvent \(LedgerTime.string(lastEventAt))"
        case .offRoute(let refusal): "offRoute \(refusal)"
        case .notFound: "notFound"
        }
    }

    @Test func scansWriteTheRowsSQLiteWritesAndAnswerTheSame() async throws {
        // Sealed once: each sealing of an ID number draws a new nonce.
        let intakes = try intakes()
        let reference = TestSupport.reference
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        _ = try await sqlite.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        _ = try await sqlite.applyCallback(
            .event(resultReady), webhookId: "msg_ready", body: "{}", receivedAt: at(minutes: 31), resultItems: planner, pins: pins)
        let office = try await sqlite.read { db in try ItemRecord.numbered(resultNumber).fetchOne(db)!.officeCode }
        let steps = journey(resultOffice: office)
        var onSQLite: [String] = []
        for (index, step) in steps.enumerated() {
            let audit = step.audited ? AuditSlot(actor: "buucuc.le", action: "scan", subject: nil, officeCode: office, remoteAddress: nil) : nil
            let result = try await sqlite.recordScan(
                step.request, by: step.role, recordedAt: at(minutes: 200 + Double(index)), reference: reference,
                invitesByMessage: step.invitesByMessage, audit: audit)
            onSQLite.append(Self.summary(result))
        }
        let expected = onSQLite
        #expect(
            expected.map { $0.split(separator: " ").first.map(String.init) ?? "" } == [
                "applied", "repeated", "illegal", "offRoute", "applied", "applied", "applied", "tooEarly", "beforeLastEvent", "applied",
                "applied", "invitationsWaiting", "applied", "applied", "notFound",
            ])

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
            _ = try await ledger.applyStatusCallback(
                resultReady, webhookId: "msg_ready", body: "{}", receivedAt: at(minutes: 31), resultItems: planner)
            var answers: [String] = []
            var slots: [AuditSlot?] = []
            for (index, step) in steps.enumerated() {
                let audit = step.audited ? AuditSlot(actor: "buucuc.le", action: "scan", subject: nil, officeCode: office, remoteAddress: nil) : nil
                slots.append(audit)
                let result = try await ledger.recordScan(
                    step.request, by: step.role, recordedAt: at(minutes: 200 + Double(index)), reference: reference,
                    invitesByMessage: step.invitesByMessage, audit: audit)
                answers.append(Self.summary(result))
            }
            #expect(answers == expected)
            #expect(slots.compactMap { $0?.isCommitted } == [true])
            for table in try await sqlite.read({ db in try LedgerCopy.tables(db) }) {
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                let postgresDigest = try await LedgerCopy.digest(table, client: ledger.client)
                #expect(sqliteDigest == postgresDigest, "\(table.name)")
            }
            // The two intakes' entries and the audited scan's.
            #expect(try await ledger.verifyAudit() == .intact(rows: 3))
        }
    }

    /// A delivery and its failure sent for one item at once, at two instances (two clerks, or a retry after a timeout):
    /// the first decided is recorded, and every other is a repeat or refused by what the first wrote.
    @Test func oneItemsScansAtTwoInstancesAtOnceAreDecidedOneAfterTheOther() async throws {
        let office = try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(try intakes(), series: .whole("PH"), pins: pins)
            _ = try await ledger.applyStatusCallback(
                resultReady, webhookId: "msg_ready", body: "{}", receivedAt: at(minutes: 31), resultItems: planner)
            var office = ""
            for try await code in try await ledger.client.query(
                "SELECT officeCode FROM item WHERE trackingNumber = \(resultNumber.description)"
            ).decode(String.self) {
                office = code
            }
            for (minutes, event) in [(60.0, ItemEventCode.pickedUp), (70, .outForDelivery)] {
                _ = try await ledger.recordScan(
                    scan(resultNumber, event, at: office, minutes: minutes), by: .clerk, recordedAt: at(minutes: minutes),
                    reference: TestSupport.reference)
            }
            return office
        }
        let answers = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: String.self) { group in
                    for attempt in 0..<12 {
                        let event: ItemEventCode = attempt.isMultiple(of: 3) ? .deliveryFailed : .delivered
                        let request = scan(resultNumber, event, at: office, minutes: 80)
                        group.addTask {
                            Self.summary(
                                try await (attempt.isMultiple(of: 2) ? first : second).recordScan(
                                    request, by: .clerk, recordedAt: at(minutes: 80), reference: TestSupport.reference))
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
        #expect(answers.filter { $0.hasPrefix("applied") }.count == 1)
        #expect(answers.allSatisfy { $0.hasPrefix("applied") || $0.hasPrefix("repeated") || $0.hasPrefix("illegal") })
        let counts = try await TestPostgres.integers(
            """
            SELECT (SELECT count(*) FROM itemEvent e JOIN item i ON i.id = e.itemId WHERE i.trackingNumber = '\(resultNumber)'),
                   (SELECT count(*) FROM outboxMessage WHERE kind = 'reportReturnProgress'),
                   (SELECT count(*) FROM notice WHERE milestone IN ('delivered', 'deliveryFailed'))
            """)
        // created, pickedUp, outForDelivery and the one outcome; a progress report for each of the last three; one notice.
        #expect(counts == [4, 3, 1])
    }
}
