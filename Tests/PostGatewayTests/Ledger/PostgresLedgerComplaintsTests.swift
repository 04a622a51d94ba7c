import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// Postal cases on PostgreSQL: the rows and answers SQLite gives, and one case however many clerks or supervisors at
/// two instances take the same complaint, or resolve it, at once.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerComplaintsTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let now = TestSupport.mondayMorning
    let calendar = TestSupport.reference.calendar

    func number(_ serial: Int) -> TrackingNumber { TrackingNumber(prefix: "PH", serial: serial) }

    func complaint(_ serial: Int, _ origin: PostalCaseRecord.Origin = .customer, _ subject: PostalCaseRecord.Subject = .delay, days: Double = 1)
        -> OpenCaseRequest
    {
        OpenCaseRequest(
            trackingNumber: number(serial), origin: origin, subject: subject, openedAt: now.addingTimeInterval(days * 86_400),
            note: "Khách hàng báo chậm")
    }

    static func slot() -> AuditSlot { AuditSlot(actor: "le.van.an", action: "case", subject: nil, officeCode: "250000", remoteAddress: nil) }

    /// A week of cases: opened, opened again, of another office, too late, resolved (twice), and listed.
    func week(on ledger: some LedgerBackend, intakes: [IntakeSubmission]) async throws -> [String] {
        _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        var answers: [String] = []
        let anyOffice: @Sendable (String) -> Bool = { _ in true }
        let requests: [(OpenCaseRequest, @Sendable (String) -> Bool)] = [
            (complaint(1), anyOffice), (complaint(1, days: 2), anyOffice), (complaint(1, .post, .lost), anyOffice), (complaint(2), anyOffice),
            (complaint(99), anyOffice), (complaint(2, .customer, .damaged), { $0 == "251750" }),
            (complaint(2, .customer, .other, days: 400), anyOffice),
        ]
        for (request, mayAct) in requests {
            answers.append(
                "\(try await ledger.openCase(request, actor: "le.van.an", calendar: calendar, mayAct: mayAct, audit: Self.slot(), now: now.addingTimeInterval(60)))"
            )
        }
        let resolution = ResolveCaseRequest(upheld: true, compensation: 50_000, resolution: "Bồi thường theo quy định")
        for id in [1, 1, 99] as [Int64] {
            answers.append(
                "\(try await ledger.resolveCase(id: id, resolution, actor: "truong.buucuc", now: now.addingTimeInterval(7200), mayAct: anyOffice, audit: Self.slot()))"
            )
        }
        answers.append("\(String(describing: try await ledger.postalCase(id: 2)))")
        for (open, office, before) in [(nil, nil, nil), (true, nil, nil), (false, "250000", nil), (nil, "251750", nil), (nil, nil, 3)]
            as [(Bool?, String?, Int64?)]
        {
            answers.append("\(try await ledger.postalCases(open: open, officeCode: office, before: before, limit: 10).map(\.record))")
        }
        return answers
    }

    @Test func casesWriteTheRowsSQLiteWritesAndAnswerTheSame() async throws {
        let intakes = try (1...2).map { try TestSupport.submission(key: "complaint-intake-\($0)", pins: pins, idNumbers: idNumbers) }
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        let expected = try await week(on: sqlite, intakes: intakes)
        #expect(
            expected.prefix(10).map { $0.prefix(while: { $0 != "(" }) } == [
                "opened", "alreadyOpen", "opened", "opened", "unknownItem", "unknownItem", "tooLate", "resolved", "alreadyResolved", "notFound",
            ])
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            #expect(try await week(on: ledger, intakes: intakes) == expected)
            for name in ["postalCase", "auditLog"] {
                let table = try await sqlite.read { db in try LedgerCopy.tables(db).first { $0.name == name }! }
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                #expect(try await LedgerCopy.digest(table, client: ledger.client) == sqliteDigest, "\(name)")
            }
        }
    }

    /// A citizen complains by phone and at the counter, and two clerks at two instances take it at once: one case.
    @Test func oneComplaintTakenAtTwoInstancesAtOnceIsOneCase() async throws {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(
                [try TestSupport.submission(key: "complaint-once", pins: pins, idNumbers: idNumbers)], series: .whole("PH"), pins: pins)
        }
        let outcomes = try await TestPostgres.atTwoInstances(count: 8) { ledger, _ in
            "\(try await ledger.openCase(complaint(1), actor: "le.van.an", calendar: calendar, mayAct: { _ in true }, now: now))"
        }
        #expect(outcomes.filter { $0.hasPrefix("opened") }.count == 1)
        #expect(outcomes.filter { $0.hasPrefix("alreadyOpen") }.count == 7)
        #expect(try await TestPostgres.integers("SELECT count(*) FROM postalCase") == [1])
    }

    /// Two supervisors at two instances resolve one case at once: resolved once, with one compensation.
    @Test func oneCaseResolvedAtTwoInstancesAtOnceIsResolvedOnce() async throws {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(
                [try TestSupport.submission(key: "complaint-resolve", pins: pins, idNumbers: idNumbers)], series: .whole("PH"), pins: pins)
            _ = try await ledger.openCase(complaint(1), actor: "le.van.an", calendar: calendar, mayAct: { _ in true }, now: now)
        }
        let outcomes = try await TestPostgres.atTwoInstances(count: 8) { ledger, _ in
            let audit = Self.slot()
            let outcome = try await ledger.resolveCase(
                id: 1, ResolveCaseRequest(upheld: true, compensation: 50_000, resolution: nil), actor: "truong.buucuc", now: now,
                mayAct: { _ in true },
                audit: audit)
            return "\(outcome)"
        }
        #expect(outcomes.filter { $0.hasPrefix("resolved") }.count == 1)
        // The intake's entry and the one resolution's.
        #expect(try await TestPostgres.integers("SELECT count(*) FROM auditLog") == [2])
    }
}
