import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// The reconciliation's runs and findings on PostgreSQL: the rows and answers SQLite gives, and one queued run started
/// once however many instances pick it up at once.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerReconciliationRunsTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let now = TestSupport.mondayMorning
    var night: LocalDate { LocalDate(now) }

    func run(_ origin: ReconciliationRunRecord.Origin, dryRun: Bool = false, minutes: Double) -> ReconciliationRunRecord {
        ReconciliationRunRecord(
            fromDay: night.description, toDay: night.description, dryRun: dryRun, origin: origin, state: .queued,
            requestedAt: now.addingTimeInterval(minutes * 60))
    }

    let findings = [
        ReconciliationFinding(
            trackingNumber: TrackingNumber(prefix: "PH", serial: 1).description, kind: .statusDisagreement, agencyCode: "000.42.20.H55",
            gatewayValue: "2", oneStopValue: "4", ahead: .oneStop, repair: .takeStatus, repaired: true),
        ReconciliationFinding(
            trackingNumber: "000.00.01.H56-261123-0009", kind: .orderMissingInGateway, agencyCode: nil, gatewayValue: nil, oneStopValue: "9",
            repair: .forAPerson),
    ]

    /// The calls a night's reconciliation makes of the ledger, in order, and what the operator's pages read after.
    func night(on ledger: some LedgerBackend, intake: IntakeSubmission) async throws -> [String] {
        var answers: [String] = []
        answers.append("\(try await ledger.nightlyRunIsMissing(night: night))")
        _ = try await ledger.acceptDossiers([intake], series: .whole("PH"), pins: pins)
        answers.append("\(try await ledger.nightlyRunIsMissing(night: night))")
        let first = try await ledger.createReconciliationRun(run(.schedule, minutes: 60 * 18))
        answers.append("\(first)")
        answers.append("\(try await ledger.nightlyRunIsUnderWay(night: night)) \(try await ledger.queuedReconciliationRuns())")
        answers.append("\(try await ledger.startReconciliationRun(id: first.id!, now: now.addingTimeInterval(60 * 60 * 18)))")
        answers.append("\(try await ledger.startReconciliationRun(id: first.id!, now: now.addingTimeInterval(60 * 60 * 18)))")
        var summary = ReconciliationSummary(gatewayDossiers: 1, oneStopDossiers: 2, matched: 1, findings: 2, repaired: 1, remaining: 1)
        summary.byKind = ["statusDisagreement": 1, "orderMissingInGateway": 1]
        let finished = try await ledger.finishReconciliationRun(
            id: first.id!, state: .findings, summary: summary, orders: nil, error: nil, findings: findings, now: now.addingTimeInterval(60 * 60 * 19))
        answers.append("\(finished)")
        answers.append("\(try await ledger.reconciliationFindings(runId: first.id!, afterSeq: 0, limit: .max).map { "\($0.seq) \($0.finding)" })")
        answers.append("\(try await ledger.reconciliationFindings(runId: first.id!, afterSeq: 1, limit: 1).map { "\($0.seq) \($0.finding)" })")
        // A supervisor's dry run, left running by a process that died.
        let second = try await ledger.createReconciliationRun(run(.api, dryRun: true, minutes: 60 * 20))
        _ = try await ledger.startReconciliationRun(id: second.id!, now: now.addingTimeInterval(60 * 60 * 20))
        answers.append("\(try await ledger.failRunningReconciliationRuns(now: now.addingTimeInterval(60 * 60 * 21)))")
        answers.append("\(try await ledger.reconciliationRuns(before: nil, limit: 10))")
        answers.append("\(try await ledger.reconciliationRuns(before: second.id!, limit: 10).map(\.id))")
        answers.append("\(String(describing: try await ledger.reconciliationRun(id: second.id!)))")
        answers.append("\(try await ledger.reconciliationStatistics())")
        answers.append("\(try await ledger.nightlyRunIsMissing(night: night)) \(try await ledger.nightlyRunIsUnderWay(night: night))")
        return answers
    }

    @Test func runsAndFindingsWriteTheRowsSQLiteWritesAndAnswerTheSame() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let intake = try TestSupport.submission(key: "reconciliation-night", pins: pins, idNumbers: idNumbers)
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        let expected = try await night(on: sqlite, intake: intake)
        #expect(expected[0] == "false" && expected[1] == "true" && expected[4] == "true" && expected[5] == "false")
        #expect(expected[9] == "1" && expected.last == "false false")
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            #expect(try await night(on: ledger, intake: intake) == expected)
            for name in ["reconciliationRun", "reconciliationFinding"] {
                let table = try await sqlite.read { db in try LedgerCopy.tables(db).first { $0.name == name }! }
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                #expect(try await LedgerCopy.digest(table, client: ledger.client) == sqliteDigest, "\(name)")
            }
        }
    }

    /// Every instance's scheduler finds the queued run at once: it is started once.
    @Test func oneQueuedRunPickedUpAtTwoInstancesAtOnceIsStartedOnce() async throws {
        let id = try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            return try await ledger.createReconciliationRun(run(.schedule, minutes: 0)).id!
        }
        let started = try await TestPostgres.atTwoInstances(count: 8) { ledger, _ in
            try await ledger.startReconciliationRun(id: id, now: now)
        }
        #expect(started.filter { $0 }.count == 1)
    }
}
