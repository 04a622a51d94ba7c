import Foundation
import HummingbirdTesting
import Logging
import Testing

@testable import PostGateway

/// A night whose reconciliation is missing when the server starts is run then (the server was down at its hour,
/// stopped during the run, or the run failed), a night whose run fails is tried again until the next night's run is
/// due, and `/metrics` tells an operator's alerts how the runs went. The clock is Monday 09:30, so the last night is
/// Sunday's (run at 02:00).
@Suite(.temporaryFolder) struct NightlyReconciliationTests {
    static let sunday = LocalDate(iso: "2026-11-22")!
    static let friday = LocalDate(iso: "2026-11-20")!.startInstant.addingTimeInterval(10 * 3600)

    let dependencies: AppDependencies
    let database: AppDatabase
    let queue = ReconciliationService.Queue()

    init() throws {
        dependencies = try TestSupport.dependencies()
        database = dependencies.database
    }

    var service: ReconciliationService {
        ReconciliationService(reconciler: dependencies.reconciler(), queue: queue, nightlyAt: 120, windowDays: 7, logger: dependencies.logger)
    }

    /// Sunday's runs from the schedule that failed.
    func failedSundayRuns(_ database: AppDatabase) async throws -> Int {
        try await database.reconciliationRuns(before: nil, limit: 100).count {
            $0.toDay == "2026-11-22" && $0.origin == .schedule && $0.state == .failed
        }
    }

    /// A dossier taken in at `acceptedAt`, written straight to the ledger.
    func takeIn(at acceptedAt: Date, into dependencies: AppDependencies? = nil) async throws {
        let dependencies = dependencies ?? self.dependencies
        let validator = IntakeValidator(
            reference: TestSupport.reference,
            pins: dependencies.pins, idNumbers: dependencies.database.idNumbers)
        let submission = try validator.validate(
            try JSONValue(parsing: Data(buffer: TestSupport.json(TestSupport.intake()))),
            idempotencyKey: UUID().uuidString, acceptedAt: acceptedAt, acceptedBy: "test")
        _ = try await dependencies.database.acceptDossiers([submission], series: .whole("PH"), pins: dependencies.pins)[0].get()
    }

    /// A run over the week to Sunday, ended as `state`.
    func sundayRun(_ state: ReconciliationRunRecord.State, origin: ReconciliationRunRecord.Origin = .schedule, dryRun: Bool = false) async throws {
        let run = try await dependencies.reconciler().queue(
            .init(from: Self.sunday.adding(days: -6), to: Self.sunday, dryRun: dryRun, origin: origin))
        _ = try await database.finishReconciliationRun(
            id: run.id!, state: state, summary: nil, error: state == .failed ? "one-stop down" : nil,
            findings: [], now: TestSupport.mondayMorning)
    }

    @Test func theLastNightIsTheOneBeforeTheLastRunHourThatHasPassed() {
        let monday = LocalDate(iso: "2026-11-23")!.startInstant
        #expect(ReconciliationService.lastNight(at: monday.addingTimeInterval(9.5 * 3600), atMinutes: 120) == Self.sunday)
        #expect(ReconciliationService.lastNight(at: monday.addingTimeInterval(2 * 3600), atMinutes: 120) == Self.sunday)
        #expect(ReconciliationService.lastNight(at: monday.addingTimeInterval(3600), atMinutes: 120) == LocalDate(iso: "2026-11-21"))
        // A run late in the evening covers the day before its own too.
        #expect(ReconciliationService.lastNight(at: monday.addingTimeInterval(9.5 * 3600), atMinutes: 23 * 60 + 30) == LocalDate(iso: "2026-11-21"))
    }

    @Test func aNightWithoutItsRunIsQueuedOnceOverItsWindow() async throws {
        try await takeIn(at: Self.friday)
        let run = try #require(try await service.runIfMissing(Self.sunday))
        #expect(run.origin == .schedule && run.state == .queued && !run.dryRun)
        #expect(run.fromDay == "2026-11-16" && run.toDay == "2026-11-22")
        var handed = queue.runs.makeAsyncIterator()
        #expect(await handed.next()?.id == run.id)
        // Queued, it is the night's run: a second start does not queue another.
        #expect(try await service.runIfMissing(Self.sunday) == nil)
    }

    @Test func aNightWhoseRunFailedIsRunAgain() async throws {
        try await takeIn(at: Self.friday)
        try await sundayRun(.failed)
        let run = try #require(try await service.runIfMissing(Self.sunday))
        #expect(run.toDay == "2026-11-22")
        #expect(try await database.reconciliationRuns(before: nil, limit: 10).count == 2)
    }

    @Test(arguments: [ReconciliationRunRecord.State.agreed, .repaired, .findings, .running])
    func aNightWhoseRunEndedOrIsUnderWayIsLeftAlone(_ state: ReconciliationRunRecord.State) async throws {
        try await takeIn(at: Self.friday)
        try await sundayRun(state)
        // Under way: the process running it holds the run lock.
        let lock = try #require(try RunLock.acquire(path: dependencies.reconciler().lockPath))
        #expect(try await service.runIfMissing(Self.sunday) == nil)
        withExtendedLifetime(lock) {}
    }

    /// Any run that takes the lock knows that no other is under way: one still marked running was stopped with its process.
    @Test func aRunThatTakesTheLockFailsARunLeftRunningByAProcessThatDied() async throws {
        try await takeIn(at: Self.friday)
        try await sundayRun(.running, origin: .command)
        _ = try await dependencies.reconciler().run(.init(from: Self.sunday, to: Self.sunday, dryRun: true))
        let left = try #require(try await database.reconciliationRuns(before: nil, limit: 10).first { $0.fromDay == "2026-11-16" })
        #expect(left.state == .failed && left.error?.contains("interrupted") == true)
    }

    /// A cron `reconcile` killed in the night: its run stays marked running, but nobody holds the lock any more.
    @Test func aNightWhoseRunWasLeftRunningByAProcessThatDiedIsRunAgain() async throws {
        try await takeIn(at: Self.friday)
        try await sundayRun(.running, origin: .command)
        let run = try #require(try await service.runIfMissing(Self.sunday))
        #expect(run.toDay == "2026-11-22" && run.state == .queued)
        let states = try await database.reconciliationRuns(before: nil, limit: 10).map(\.state)
        #expect(states.sorted { $0.rawValue < $1.rawValue } == [.failed, .queued])
    }

    @Test func aRunFromCronOrASupervisorOverThatNightIsItsRunButADryRunIsNot() async throws {
        try await takeIn(at: Self.friday)
        try await sundayRun(.agreed, dryRun: true)
        #expect(try await service.runIfMissing(Self.sunday) != nil)
        let other = try TestSupport.dependencies()
        let service = ReconciliationService(reconciler: other.reconciler(), queue: queue, nightlyAt: 120, windowDays: 7, logger: other.logger)
        try await takeIn(at: Self.friday, into: other)
        _ = try await other.database.finishReconciliationRun(
            id: try await other.reconciler().queue(.init(from: Self.sunday, to: Self.sunday, origin: .command)).id!, state: .findings,
            summary: nil, error: nil, findings: [], now: TestSupport.mondayMorning)
        #expect(try await service.runIfMissing(Self.sunday) == nil)
    }

    @Test func aLedgerWithNothingTakenInByThatNightHasNothingToCatchUp() async throws {
        #expect(try await service.runIfMissing(Self.sunday) == nil)
        // Taken in this morning: after Sunday, for tonight's run.
        try await takeIn(at: TestSupport.mondayMorning)
        #expect(try await service.runIfMissing(Self.sunday) == nil)
        #expect(try await database.reconciliationRuns(before: nil, limit: 10).isEmpty)
    }

    @Test func theServerRunsTheMissedNightWhenItStarts() async throws {
        try await takeIn(at: Self.friday)
        let app = try buildApplication(dependencies)
        try await app.test(.live) { _ in
            // The test's one-stop is unreachable: the run is made, and fails loudly.
            let ended = try await ResultJourneyTests.eventually { try await failedSundayRuns(database) == 1 }
            #expect(ended)
        }
    }

    /// With a window of a week, Monday's run covers Sunday; with a window of one day, it does not.
    @Test(arguments: [7, 1])
    func aFailedNightIsTriedAgainUntilTheNextNightsRunCoversIt(windowDays: Int) async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let dependencies = try TestSupport.dependencies(clock: { clock.now })
        var service = ReconciliationService(
            reconciler: dependencies.reconciler(), queue: queue, nightlyAt: 120, windowDays: windowDays,
            logger: dependencies.logger)
        service.retryBackoff = Backoff(base: 0.2, cap: 0.4)
        let database = dependencies.database
        try await withThrowingTaskGroup { group in
            try await takeIn(at: Self.friday, into: dependencies)
            group.addTask { [service] in try await service.run() }
            // Caught up at start, then tried again 0.2 s and 0.4 s later: the one-stop of this test never answers. Each
            // run writes its record at synchronous=FULL, which the whole suite's disk traffic can slow to seconds: the
            // waits below are for what must happen, not how fast.
            #expect(try await ResultJourneyTests.eventually(within: 120) { try await failedSundayRuns(database) >= 3 })
            // Past Tuesday 02:00, Monday's run is due.
            clock.set("2026-11-24", hour: 3)
            if windowDays > 1 {
                // Monday's run covers Sunday: the tries stop once the one under way ends, and none follows.
                var tries = try await failedSundayRuns(database)
                var settled = false
                for _ in 0..<60 where !settled {
                    try await Task.sleep(for: .seconds(1))
                    let now = try await failedSundayRuns(database)
                    settled = now == tries
                    tries = now
                }
                #expect(settled)
                try await Task.sleep(for: .seconds(1.5))
                #expect(try await failedSundayRuns(database) == tries)
            } else {
                // Monday's run does not cover Sunday: Sunday is tried on.
                let tries = try await failedSundayRuns(database)
                #expect(try await ResultJourneyTests.eventually(within: 60) { try await failedSundayRuns(database) > tries })
            }
            group.cancelAll()
        }
    }

    @Test func metricsTellWhenTheLedgersWereLastComparedWhatWasLeftAndWhatFailedSince() async throws {
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            func gauges() async throws -> [String: Double] {
                let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                return Dictionary(
                    uniqueKeysWithValues: text.split(separator: "\n").filter { $0.hasPrefix("postgateway_reconciliation_") }.map { line in
                        let parts = line.split(separator: " ")
                        return (String(parts[0].dropFirst("postgateway_reconciliation_".count)), Double(parts[1])!)
                    })
            }
            // Written as they ended, never queued: the server's own service would take a queued run.
            func run(_ state: ReconciliationRunRecord.State, dryRun: Bool = false, remaining: Int = 0, at hour: Double) async throws {
                var summary = ReconciliationSummary()
                summary.remaining = remaining
                let ended = Self.sunday.startInstant.addingTimeInterval(hour * 3600)
                _ = try await database.createReconciliationRun(
                    .init(
                        fromDay: Self.sunday.description, toDay: Self.sunday.description, dryRun: dryRun, origin: .command, state: state,
                        requestedAt: ended, startedAt: ended, finishedAt: ended, error: state == .failed ? "one-stop down" : nil,
                        summary: state == .failed ? nil : String(decoding: try JSONEncoder.sorted.encode(summary), as: UTF8.self)))
            }
            let never = ["last_completed_timestamp_seconds": 0.0, "findings_remaining": 0, "failed_runs_since_completed": 0]
            #expect(try await gauges() == never)

            try await run(.findings, remaining: 3, at: 2)
            try await run(.failed, at: 3)
            // A dry run repairs nothing: it is not the comparison an alert waits for.
            try await run(.agreed, dryRun: true, at: 4)
            let twoAM = LocalDate(iso: "2026-11-22")!.startInstant.addingTimeInterval(2 * 3600).timeIntervalSince1970
            #expect(try await gauges() == ["last_completed_timestamp_seconds": twoAM, "findings_remaining": 3, "failed_runs_since_completed": 1])

            try await run(.repaired, at: 5)
            let fiveAM = ["last_completed_timestamp_seconds": twoAM + 3 * 3600, "findings_remaining": 0, "failed_runs_since_completed": 0]
            #expect(try await gauges() == fiveAM)
            // Refused by the lock while that run went on: its id came after, but it ended before.
            try await run(.failed, at: 4.5)
            #expect(try await gauges() == fiveAM)
        }
    }
}
