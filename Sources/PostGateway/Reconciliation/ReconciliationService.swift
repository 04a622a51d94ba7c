import Foundation
import Logging
import ServiceLifecycle

/// Runs reconciliations inside the server, one at a time: the nightly one at its local time (run at start if the
/// last night's is missing, and again later if it fails), and those a supervisor starts through the API (queued in the
/// ledger, so a restart runs them instead of losing them).
struct ReconciliationService: Service {
    /// Where the API hands queued runs to the service.
    final class Queue: Sendable {
        let runs: AsyncStream<ReconciliationRunRecord>
        let continuation: AsyncStream<ReconciliationRunRecord>.Continuation

        init() { (runs, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded) }

        func submit(_ run: ReconciliationRunRecord) { continuation.yield(run) }
    }

    let reconciler: Reconciler
    let queue: Queue
    /// Minutes after local midnight; nil: no nightly run.
    let nightlyAt: Int?
    let windowDays: Int
    let logger: Logger
    /// How long after its n-th failure a nightly run is tried again: 15 minutes, doubling up to 4 hours.
    var retryBackoff = Backoff(base: 15 * 60, cap: 4 * 3600)

    /// Returns, without an error, when the server shuts down: a stop is not a failure (the service group would
    /// otherwise cancel the services after this one instead of letting them finish). Only a start that cannot read
    /// the ledger fails.
    func run() async throws {
        try await recoverRuns()
        // One instant for the catch-up and the schedule, so that a start on the stroke of the hour neither skips
        // that night nor queues it twice.
        let started = reconciler.clock()
        if let nightlyAt {
            let night = Self.lastNight(at: started, atMinutes: nightlyAt)
            do {
                try await runIfMissing(night)
            } catch {
                logger.error("the missed nightly reconciliation could not be queued", metadata: ["night": "\(night)", "error": .error(error)])
            }
        }
        await withDiscardingTaskGroup { group in
            if let nightlyAt {
                group.addTask { await scheduleNightly(at: nightlyAt, from: started) }
            }
            // How many times in a row the last failing night has failed.
            var failures: (night: LocalDate, count: Int)?
            // A run under way when the server stops is finished first.
            for await queued in queue.runs.cancelOnGracefulShutdown() {
                let request = Reconciler.Request(
                    from: LocalDate(iso: queued.fromDay)!, to: LocalDate(iso: queued.toDay)!,
                    dryRun: queued.dryRun, origin: queued.origin)
                do {
                    let ended = try await reconciler.run(request, queued: queued)
                    if let nightlyAt, ended.origin == .schedule, ended.state == .failed {
                        let count = (failures.map { $0.night == request.to ? $0.count : 0 } ?? 0) + 1
                        failures = (request.to, count)
                        group.addTask { await retry(request.to, failures: count, nightlyAt: nightlyAt) }
                    }
                } catch {
                    logger.error("reconciliation could not be recorded", metadata: ["run": "\(queued.id ?? 0)", "error": .error(error)])
                }
            }
            group.cancelAll()
        }
    }

    /// At start: a run left running by a process that died failed; runs left queued are run now.
    private func recoverRuns() async throws {
        try await failAbandonedRuns()
        for run in try await reconciler.database.queuedReconciliationRuns() { queue.submit(run) }
    }

    /// A run still marked running while nobody holds the run lock was stopped with its process (a run takes the lock
    /// before it is marked running, and the system lets a lock go with the process that held it): it is failed, so
    /// that its night counts as missing instead of under way for ever.
    private func failAbandonedRuns() async throws {
        guard let lock = try RunLock.acquire(path: reconciler.lockPath) else { return }
        let interrupted = try await reconciler.database.failRunningReconciliationRuns(now: reconciler.clock())
        if interrupted > 0 { logger.warning("reconciliation runs interrupted", metadata: ["count": "\(interrupted)"]) }
        withExtendedLifetime(lock) {}
    }

    /// Queues the run for `night` if it is missing: at start for the last night whose hour has passed (the server was
    /// down at that hour, stopped during the run, or the run failed), and later for a night whose run failed, so that
    /// neither a restart nor a one-stop away for a while leaves a night unreconciled. A ledger with no dossier taken in
    /// by that night has nothing to compare, so a new gateway stays quiet. Only the last night: with a window of more
    /// than a day, its window covers the night before it.
    @discardableResult
    func runIfMissing(_ night: LocalDate) async throws -> ReconciliationRunRecord? {
        // A cron run killed during the night left its run marked running; the server may have started before that.
        try await failAbandonedRuns()
        guard try await reconciler.database.nightlyRunIsMissing(night: night) else { return nil }
        logger.warning("the nightly reconciliation did not run to its end; running it now", metadata: ["night": "\(night)"])
        let run = try await reconciler.queue(nightly(night))
        queue.submit(run)
        return run
    }

    /// Tries a night that failed `failures` times again, after the backoff's full delay (one run: no crowd to spread
    /// out), until it is queued, or until the next night's run is due and its window (over a day) covers this night.
    private func retry(_ night: LocalDate, failures: Int, nightlyAt: Int) async {
        var attempt = failures
        while true {
            do { try await Task.sleep(for: .seconds(retryBackoff.delay(afterAttempt: attempt - 1, random: 1))) } catch { return }
            guard windowDays == 1 || Self.lastNight(at: reconciler.clock(), atMinutes: nightlyAt) == night else { return }
            do {
                // A run over the night still marked under way (cron's, which held the lock when the night's own run
                // failed) is looked at again later: if its process dies, the night is run then.
                if try await runIfMissing(night) == nil, try await reconciler.database.nightlyRunIsUnderWay(night: night) {
                    attempt += 1
                    continue
                }
                return
            } catch {
                logger.error("the nightly reconciliation could not be queued again", metadata: ["night": "\(night)", "error": .error(error)])
                attempt += 1
            }
        }
    }

    /// The nightly run for `night`: the dossiers taken in over the window of days that ends with it.
    private func nightly(_ night: LocalDate) -> Reconciler.Request {
        .init(from: night.adding(days: -(windowDays - 1)), to: night, origin: .schedule)
    }

    /// Until cancelled. A night whose run cannot be queued (the ledger busy or full) is logged, and the next night
    /// tries again: the server goes on serving.
    private func scheduleNightly(at minutes: Int, from started: Date) async {
        var previous: Date?
        while !Task.isCancelled {
            let now = reconciler.clock()
            let next = Self.nextRun(after: previous == nil ? started : now, previous: previous, atMinutes: minutes)
            do { try await Task.sleep(for: .seconds(next.timeIntervalSince(now))) } catch { return }
            previous = next
            let yesterday = LocalDate(next).adding(days: -1)
            do {
                let run = try await reconciler.queue(nightly(yesterday))
                queue.submit(run)
            } catch {
                logger.error("the nightly reconciliation could not be queued", metadata: ["night": "\(yesterday)", "error": .error(error)])
            }
        }
    }

    /// The next night's run: after `now`, and after the run just queued. The sleep is timed by a monotonic clock,
    /// which can end it a moment before the wall clock reaches the night's instant (drift, an NTP step back);
    /// counted from `now` alone, the same night would then be queued twice.
    static func nextRun(after now: Date, previous: Date?, atMinutes minutes: Int) -> Date {
        nextRun(after: max(now, previous ?? now), atMinutes: minutes)
    }

    /// The night covered by the last run whose hour is not after `now` (each run covers the day before its own).
    static func lastNight(at now: Date, atMinutes minutes: Int) -> LocalDate {
        LocalDate(nextRun(after: now, atMinutes: minutes)).adding(days: -2)
    }

    /// The next instant at `minutes` after a local midnight, strictly after `now`.
    static func nextRun(after now: Date, atMinutes minutes: Int) -> Date {
        let today = LocalDate(now)
        let candidate = today.startInstant.addingTimeInterval(Double(minutes) * 60)
        return candidate > now ? candidate : today.adding(days: 1).startInstant.addingTimeInterval(Double(minutes) * 60)
    }
}
