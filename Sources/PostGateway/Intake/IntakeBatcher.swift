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

    private func drain() async {
        while true {
            let batch = queue.withLock { queue -> [Job] in
                let count = min(queue.jobs.count, batchLimit)
                defer { queue.jobs.removeFirst(count) }
                return Array(queue.jobs.prefix(count))
            }
            guard !batch.isEmpty else { return }
            metrics.intakeBatchSize.record(Double(batch.count))
            do {
                let results = try await database.acceptDossiers(batch.map(\.submission), prefix: prefix, pins: pins, logger: logger)
                for (job, result) in zip(batch, results) { job.continuation.resume(with: result) }
            } catch {
                logger.error("intake batch failed", metadata: ["batch.size": "\(batch.count)", "error": .error(error)])
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }
    }
}
