import Dispatch
import Logging
import ServiceLifecycle
import Synchronization

/// Group commit for counter intakes: concurrent intakes wait together and are written in one transaction,
/// so that one fsync (synchronous=FULL) acknowledges a whole batch instead of one dossier.
///
/// Requests enqueue and wait; this service writes whatever has queued up while the previous batch was on
/// disk. Under light load a batch is one intake and nothing waits longer than its own commit.
final class IntakeBatcher: Service, Sendable {
    private typealias Continuation = CheckedContinuation<IntakeOutcome, any Error>

    /// Intakes waiting to be written, and how to answer each (same order). Two arrays, taken whole when a batch takes
    /// every waiting intake: a submission holds some twenty texts and lists, and each copy of it on its way to the writer
    /// retained and released every one of them, on two threads.
    private struct Queue {
        var submissions: [IntakeSubmission] = []
        var continuations: [Continuation] = []
        var closed = false
        /// The writer, in its turn, waits on `arrival` for the next intake: a submission signals it rather than waking `run`.
        var writerWaiting = false
        /// How many intakes the writer's last batch took.
        var lastTaken = 0
    }

    struct ShuttingDown: Error {}
    struct MissingOutcome: Error {}

    private let database: AppDatabase
    private let prefix: String
    private let pins: TrackingPins
    private let batchLimit: Int
    private let idleWait: DispatchTimeInterval
    private let companyWait: DispatchTimeInterval
    private let turnBudget: Duration
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let queue = Mutex(Queue())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let arrival = DispatchSemaphore(value: 0)

    init(database: AppDatabase, prefix: String, pins: TrackingPins, batchLimit: Int, metrics: GatewayMetrics, logger: Logger,
         idleWait: DispatchTimeInterval = IntakeBatcher.idleWait, companyWait: DispatchTimeInterval = IntakeBatcher.companyWait,
         turnBudget: Duration = IntakeBatcher.turnBudget) {
        self.database = database
        self.idleWait = idleWait
        self.companyWait = companyWait
        self.turnBudget = turnBudget
        self.prefix = prefix
        self.pins = pins
        self.batchLimit = batchLimit
        self.metrics = metrics
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Returns once the intake's transaction is durable (or was refused).
    func submit(_ submission: consuming IntakeSubmission) async throws -> IntakeOutcome {
        var pending = Optional(submission)
        return try await withCheckedThrowingContinuation { continuation in
            let queued = queue.withLock { queue -> Queued in
                guard !queue.closed else { return .refused }
                queue.submissions.append(pending.take()!)
                queue.continuations.append(continuation)
                guard queue.writerWaiting else { return .forNextTurn }
                queue.writerWaiting = false
                return .forWaitingWriter
            }
            switch queued {
            case .forNextTurn: wake.yield()
            case .forWaitingWriter: arrival.signal()
            case .refused: continuation.resume(throwing: ShuttingDown())
            }
        }
    }

    private enum Queued { case forNextTurn, forWaitingWriter, refused }

    /// How many intakes wait for the writer now.
    var waiting: Int { queue.withLock { $0.submissions.count } }

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
                let written = try await database.acceptDossierBatches(turn: Self.batchesPerTurn, budget: turnBudget, prefix: prefix,
                                                                      pins: pins, logger: logger) { mayWait in
                    self.takeBatch(mayWait: mayWait)
                }
                if written > 0 { metrics.intakeWriterTurns.increment() }
                // The turn ended with intakes still waiting (its count or its time was up): the writer goes on after
                // whatever other writes queued meanwhile.
                if queue.withLock({ $0.submissions.isEmpty }) { return }
            } catch {
                // The writer could not be had at all (a cancelled task, while shutting down): no batch was taken, so the
                // intakes still queued are answered with the error rather than left waiting for ever.
                let waiting = takeWaiting(upTo: .max).continuations
                guard !waiting.isEmpty else { return }
                logger.error("intake writer unavailable", metadata: ["error": .error(error), "batch.size": "\(waiting.count)"])
                for continuation in waiting { continuation.resume(throwing: error) }
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

    /// How long the writer, having written a batch, waits on its own thread for the next intake before it ends its turn.
    /// Under full load the queue runs empty for a moment after most commits, while the intakes just answered come back
    /// as new requests: ending the turn there meant starting the next one through `run`, a task on the concurrency pool
    /// behind those very requests, and the writer stood idle about 1.5 ms each time (measured: a tenth of its time).
    /// Under light load this is how long other writes may wait after a lone intake's commit.
    static let idleWait = DispatchTimeInterval.milliseconds(1)

    /// After a batch of at least `largeBatch` intakes (in this turn or at the end of the last), the writer finding fewer
    /// than `fewIntakes` waiting (or none, and then one coming) waits up to this long for others before it writes them. Under load the batches came large and
    /// tiny by turns: the counters just answered send their next intakes within a moment, and the first of them used to
    /// be written alone, in a commit that cost as much as one of thirty (a seventh of the commits held one intake).
    /// Under light load no batch is large, and nothing waits for company; nor after the writer's idle wait ran out with
    /// no intake (`lastTaken` is then 0).
    static let companyWait = DispatchTimeInterval.microseconds(500)
    static let largeBatch = 8
    static let fewIntakes = 4

    /// Up to `batchLimit` waiting intakes, with how to answer them; nil when none waits (or, if `mayWait`, none came
    /// within `idleWait`).
    private func takeBatch(mayWait: Bool) -> AppDatabase.IntakeBatch? {
        waitForCompany()
        var taken = takeWaiting(upTo: batchLimit, orWait: mayWait)
        if taken.waiting {
            waitForArrival()
            waitForCompany()
            taken = takeWaiting(upTo: batchLimit)
        }
        let continuations = taken.continuations
        guard !continuations.isEmpty else { return nil }
        metrics.intakeBatchSize.record(Double(continuations.count))
        return AppDatabase.IntakeBatch(submissions: taken.submissions) { [logger] outcome in
            switch outcome {
            case .success(let results):
                // One result per intake; were one missing, its intake is answered with an error, never left waiting.
                for (index, continuation) in continuations.enumerated() {
                    continuation.resume(with: index < results.count ? results[index] : .failure(MissingOutcome()))
                }
            case .failure(let error):
                logger.error("intake batch failed", metadata: ["batch.size": "\(continuations.count)", "error": .error(error)])
                for continuation in continuations { continuation.resume(throwing: error) }
            }
        }
    }

    /// The first `limit` waiting intakes, out of the queue. With none and `orWait` (and the queue open), the writer is
    /// marked as waiting for the next one, which it must then do (`waitForArrival`).
    private func takeWaiting(upTo limit: Int, orWait: Bool = false)
        -> (submissions: [IntakeSubmission], continuations: [Continuation], waiting: Bool) {
        queue.withLock { queue in
            let count = min(queue.submissions.count, limit)
            if count == 0, orWait, !queue.closed {
                queue.writerWaiting = true
                return ([], [], true)
            }
            queue.lastTaken = count  // 0 when a wait for the next intake ran out: the load is light
            if count == queue.submissions.count {
                defer { (queue.submissions, queue.continuations) = ([], []) }
                return (queue.submissions, queue.continuations, false)
            }
            defer {
                queue.submissions.removeFirst(count)
                queue.continuations.removeFirst(count)
            }
            return (Array(queue.submissions.prefix(count)), Array(queue.continuations.prefix(count)), false)
        }
    }

    /// After a large batch, while only a few intakes wait: blocks the writer's thread until `fewIntakes` wait, or
    /// `companyWait` has passed.
    private func waitForCompany() {
        let deadline = DispatchTime.now() + companyWait
        // Marked as waiting only when it will wait: `waitForArrival` then takes a signal that raced its time running out.
        while DispatchTime.now() < deadline, queue.withLock({ queue in
            guard queue.lastTaken >= Self.largeBatch, (1..<Self.fewIntakes).contains(queue.submissions.count), !queue.closed else { return false }
            queue.writerWaiting = true
            return true
        }) {
            waitForArrival(until: deadline)
        }
    }

    /// Blocks the writer's thread until a submission signals `arrival`, or `idleWait` has passed (or `deadline`).
    private func waitForArrival(until deadline: DispatchTime? = nil) {
        guard arrival.wait(timeout: deadline ?? .now() + idleWait) == .timedOut else { return }
        let signalled = queue.withLock { queue in
            defer { queue.writerWaiting = false }
            return !queue.writerWaiting
        }
        // A submission came as the wait ran out and has signalled, or is about to: take its signal now, so that the
        // next wait does not end at once for an intake already taken.
        if signalled { arrival.wait() }
    }
}
