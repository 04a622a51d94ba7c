import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// The reports on PostgreSQL: the figures SQLite gives over the same ledger, for every filter.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerReportsTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let now = TestSupport.mondayMorning
    let planner = ResultItemPlanner(series: .whole("PK"), reference: TestSupport.reference)

    func number(_ serial: Int, _ prefix: String = "PH") -> TrackingNumber { TrackingNumber(prefix: prefix, serial: serial) }
    func at(hours: Double) -> Date { now.addingTimeInterval(hours * 3600) }

    func event(_ serial: Int, _ status: OneStopStatus, hours: Double) -> OneStopEvent {
        OneStopEvent(
            trackingNumber: number(serial), status: status, occurredAt: at(hours: hours),
            dossierCode: status == .received ? "000.00.01.H56-261123-\(LocalTime.pad(serial, 4))" : nil,
            appointmentDate: status == .received ? LocalDate(iso: "2026-11-27") : nil, content: nil,
            result: status == .resultReady ? OneStopEvent.Result(documentCount: 1, cashOnDelivery: 25_000) : nil)
    }

    /// A fortnight at two offices: dossiers taken in, received, one rejected, one result ready and delivered with
    /// cash collected, cases opened and resolved with compensation.
    func fortnight(on ledger: some LedgerBackend, intakes: [IntakeSubmission]) async throws {
        _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        for (index, (serial, status, hours)) in [
            (1, OneStopStatus.received, 2.0), (2, .received, 3), (3, .received, 4), (2, .rejected, 30), (1, .resultReady, 50),
        ].enumerated() {
            try await ledger.applyStatus(event(serial, status, hours: hours), webhookId: "msg_\(index)", planner: planner, pins: pins)
        }
        let office = "251750"
        for (event, hours) in [(ItemEventCode.pickedUp, 60.0), (.outForDelivery, 70), (.delivered, 72)] {
            let scan = ScanRequest(
                trackingNumber: number(1, "PK"), event: event, officeCode: office, occurredAt: at(hours: hours), note: nil, actor: "buucuc.le")
            _ = try await ledger.recordScan(
                scan, by: .clerk, recordedAt: at(hours: hours), reference: TestSupport.reference, invitesByMessage: false, audit: nil)
        }
        let cases = [
            OpenCaseRequest(trackingNumber: number(3), origin: .customer, subject: .delay, openedAt: at(hours: 80), note: nil),
            OpenCaseRequest(trackingNumber: number(4), origin: .post, subject: .lost, openedAt: at(hours: 81), note: nil),
            OpenCaseRequest(trackingNumber: number(1), origin: .customer, subject: .damaged, openedAt: at(hours: 82), note: nil),
        ]
        for request in cases {
            _ = try await ledger.openCase(
                request, actor: "le.van.an", calendar: TestSupport.reference.calendar, mayAct: { _ in true }, audit: nil, now: request.openedAt)
        }
        for (id, compensation) in [(1, 0), (2, 120_000)] as [(Int64, Int64)] {
            _ = try await ledger.resolveCase(
                id: id, ResolveCaseRequest(upheld: true, compensation: compensation, resolution: nil), actor: "truong.buucuc", now: at(hours: 100),
                mayAct: { _ in true }, audit: nil)
        }
    }

    @Test func reportsGiveTheFiguresSQLiteGivesForEveryFilter() async throws {
        let intakes = try (1...4).map { index in
            try TestSupport.submission(key: "report-intake-\(index)", pins: pins, idNumbers: idNumbers) { form in
                if index == 4 { form["officeCode"] = "251750" }
            }
        }
        let day = LocalDate(now)
        let filters = [
            ReportFilter(from: day, to: day.adding(days: 13), officeCode: nil, agencyCode: nil),
            ReportFilter(from: day, to: day.adding(days: 1), officeCode: "250000", agencyCode: nil),
            ReportFilter(from: day.adding(days: 1), to: day.adding(days: 13), officeCode: nil, agencyCode: "000.42.20.H55"),
        ]
        let overdue: [(String?, String?)] = [(nil, nil), ("251750", nil), (nil, "000.42.20.H55"), ("999999", nil)]
        let periods = [ReportPeriod("2026-Q4")!, ReportPeriod("2026-H1")!, ReportPeriod("2026")!]

        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        try await fortnight(on: sqlite, intakes: intakes)
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            try await fortnight(on: ledger, intakes: intakes)
            for filter in filters {
                let expected = try await sqlite.reportSummary(filter, asOf: day.adding(days: 6))
                #expect(try await ledger.reportSummary(filter, asOf: day.adding(days: 6)) == expected, "\(filter)")
            }
            // Four taken in; one resolved (its result ready), one closed without (rejected), two in progress.
            let total = try await sqlite.reportSummary(filters[0], asOf: day.adding(days: 6)).total
            #expect(total.received == 4 && total.resolved == 1 && total.closedWithoutResult == 1 && total.inProgress == 2)
            for (office, agency) in overdue {
                let expected = try await sqlite.overdueItems(officeCode: office, agencyCode: agency, asOf: day.adding(days: 40), limit: 10)
                let answered = try await ledger.overdueItems(officeCode: office, agencyCode: agency, asOf: day.adding(days: 40), limit: 10)
                #expect(answered.total == expected.total && answered.items == expected.items, "\(office ?? "-") \(agency ?? "-")")
            }
            #expect(try await sqlite.overdueItems(officeCode: nil, agencyCode: nil, asOf: day.adding(days: 40), limit: 10).total > 0)
            for period in periods {
                for office in [nil, "250000"] {
                    let expected = try await sqlite.postalServiceReport(period, officeCode: office)
                    #expect(try await ledger.postalServiceReport(period, officeCode: office) == expected, "\(period) \(office ?? "-")")
                }
            }
            let quarter = try await sqlite.postalServiceReport(periods[0], officeCode: nil)
            #expect(quarter.results.delivered == 1 && quarter.results.cashOnDeliveryCollected == 25_000)
            #expect(quarter.compensationAmount == 120_000 && quarter.complaints.received == 2)
        }
    }
}
