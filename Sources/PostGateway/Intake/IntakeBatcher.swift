import Logging
import ServiceLifecycle
import Synchronization

/// Group commit for counter intakes: concurrent intakes wait together and are written in one transaction,
/// so that one fsync (synchronous=FULL) acknowledges a whole batch instead of one dossier.
///
/// Requests enqueue and wait; this service writes whatever has queued up while the previous batch was on
/// disk. Under light load a batch is one intake and nothing waits longer than its own commit.
final class IntakeBatcher: Service, Sendable {
    private struct Job {
        let submission: IntakeSubmission
        let continuation: CheckedContinuation<IntakeOutcome, any Error>
    }

    private struct Queue {
        var jobs: [Job] = []
        var closed = false
    }

    struct ShuttingDown: Error {}

    private let database: AppDatabase
    private let prefix: String
    private let pins: TrackingPins
    private let batchLimit: Int
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let queue = Mutex(Queue())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(database: AppDatabase, prefix: String, pins: TrackingPins, batchLimit: Int, metrics: GatewayMetrics, logger: Logger) {
        self.database = database
        self.prefix = prefix
        self.pins = pins
        self.batchLimit = batchLimit
        self.metrics = metrics
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once the intake's transaction is durable (or was refused).
    func submit(_ submission: IntakeSubmission) async throws -> IntakeOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = queue.withLock { queue in
                guard !queue.closed else { return false }
                queue.jobs.append(Job(submission: submission, continuation: continuation))
                return true
            }
            if accepted { wake.yield() } else { continuation.resume(throwing: ShuttingDown()) }
        }
    }

    func run() async throws {
        for await _ in wakeups.cancelOnGracefulShutdown() {
            await drain()
        }
        // Shutting down: refuse new intakes, but write every one already waiting before going.
        queue.withLock { $0.closed = true }
        await drain()
    }

    /// The writer takes batch after batch itself (`acceptDossierBatches`) while intakes keep queueing; this only
    /// hands it the queue again after each turn it gave to other writes.
    private func drain() async {
        while true {
            do {
                _ = try await database.acceptDossierBatches(turn: Self.batchesPerTurn, budget: Self.turnBudget, prefix: prefix, pins: pins,
                                                            logger: logger) {
                    self.takeBatch()
                }
                // The turn ended with intakes still waiting (its count or its time was up): the writer goes on after
                // whatever other writes queued meanwhile.
                if queue.withLock({ $0.jobs.isEmpty }) { return }
            } catch {
                // The writer could not be had at all (a cancelled task, while shutting down): no batch was taken, so the
                // intakes still queued are answered with the error rather than left waiting for ever.
                let waiting = takeJobs(upTo: .max)
                logger.error("intake writer unavailable", metadata: ["error": .error(error), "batch.size": "\(waiting.count)"])
                for job in waiting { job.continuation.resume(throwing: error) }
                return
            }
        }
    }

    /// A turn of the writer lasts up to this many batches, or this long, before other writes get theirs: under full
    /// load a scan, a callback or an audit entry waits for one turn at most. Each new turn hands the writer back and
    /// forth between threads, which a busy machine makes wait for a core: at 8 batches a turn (about 20 ms under full
    /// load here) that was a twentieth of the writer's time. A slow disk makes commits longer, and the time then ends
    /// the turn first.
    static let batchesPerTurn = 64
    static let turnBudget: Duration = .milliseconds(50)

    /// Up to `batchLimit` waiting intakes, with how to answer them; nil when none waits.
    private func takeBatch() -> AppDatabase.IntakeBatch? {
        let jobs = takeJobs(upTo: batchLimit)
        guard !jobs.isEmpty else { return nil }
        metrics.intakeBatchSize.record(Double(jobs.count))
        return AppDatabase.IntakeBatch(submissions: jobs.map(\.submission)) { [logger] outcome in
            switch outcome {
            case .success(let results):
                for (job, result) in zip(jobs, results) { job.continuation.resume(with: result) }
            case .failure(let error):
                logger.error("intake batch failed", metadata: ["batch.size": "\(jobs.count)", "error": .error(error)])
                for job in jobs { job.continuation.resume(throwing: error) }
            }
        }
    }

    /// The first `limit` waiting intakes, out of the queue.
    private func takeJobs(upTo limit: Int) -> [Job] {
        queue.withLock { queue in
            let count = min(queue.jobs.count, limit)
            defer { queue.jobs.removeFirst(count) }
            return Array(queue.jobs.prefix(count))
        }
    }
}
