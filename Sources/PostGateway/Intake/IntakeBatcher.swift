import Logging
import ServiceLifecycle
import Synchronization

/// Group commit for counter intakes: intakes that arrive while the ledger is writing wait together, and the next
/// write takes them all in one transaction, so that one fsync (synchronous=FULL) acknowledges a whole batch instead
/// of one dossier. Under light load a batch is one intake and nothing waits longer than its own commit; every other
/// write (a scan, a callback) takes its turn at GRDB's writer between two batches.
final class IntakeBatcher: Service, Sendable {
    private typealias Continuation = CheckedContinuation<IntakeOutcome, any Error>

    private struct Waiting {
        let submission: IntakeSubmission
        let continuation: Continuation
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var closed = false
    }

    struct ShuttingDown: Error {}

    private let database: AppDatabase
    private let series: TrackingSeries
    private let pins: TrackingPins
    private let batchLimit: Int
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let queue = Mutex(Queue())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(database: AppDatabase, series: TrackingSeries, pins: TrackingPins, batchLimit: Int, metrics: GatewayMetrics, logger: Logger) {
        self.database = database
        self.series = series
        self.pins = pins
        self.batchLimit = batchLimit
        self.metrics = metrics
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once the intake's transaction is durable (or the intake was refused).
    func submit(_ submission: IntakeSubmission) async throws -> IntakeOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let queued = queue.withLock { queue in
                guard !queue.closed else { return false }
                queue.waiting.append(Waiting(submission: submission, continuation: continuation))
                return true
            }
            if queued { wake.yield() } else { continuation.resume(throwing: ShuttingDown()) }
        }
    }

    /// How many intakes wait for the writer now.
    var waiting: Int { queue.withLock { $0.waiting.count } }

    func run() async throws {
        for await _ in wakeups.cancelOnGracefulShutdown() {
            await drain()
        }
        // Shutting down: refuse new intakes, but write every one already waiting before going.
        queue.withLock { $0.closed = true }
        await drain()
    }

    /// Writes batch after batch until none waits. Every intake taken is answered: with its own outcome once the batch
    /// is durable, or with the error that kept the batch from committing (then nothing of it was saved).
    private func drain() async {
        while true {
            let batch = queue.withLock { queue in
                let count = min(queue.waiting.count, batchLimit)
                defer { queue.waiting.removeFirst(count) }
                return Array(queue.waiting.prefix(count))
            }
            guard !batch.isEmpty else { return }
            metrics.intakeBatchSize.record(Double(batch.count))
            do {
                let outcomes = try await database.acceptDossiers(batch.map(\.submission), series: series, pins: pins)
                for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(with: outcome) }
            } catch {
                logger.error("intake batch failed", metadata: ["batch.size": "\(batch.count)", "error": .error(error)])
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
