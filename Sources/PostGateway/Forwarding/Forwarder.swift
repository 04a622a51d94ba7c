import Foundation
import Logging
import ServiceLifecycle

/// Drains the outbox into the one-stop: at least once, in order per dossier, with backoff and full jitter,
/// and dead after a horizon. The one-stop deduplicates on the item number, so at-least-once is exactly-once
/// in effect; messages a crash left in flight are recovered when the service starts.
package struct Forwarder: Service {
    package struct Settings: Sendable {
        var batchSize = 256
        var concurrency = 32
        var pollInterval: Duration = .milliseconds(200)
        var backoff = Backoff()
        var deadAfter: TimeInterval = 72 * 3600
        /// The longest wait between two tries to record a batch's outcomes.
        var recordRetryLimit: Duration = .seconds(10)
    }

    let database: AppDatabase
    let client: OneStopClient
    let settings: Settings
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    package func run() async throws {
        let recovered = try await database.recoverInFlightMessages()
        if recovered > 0 { logger.notice("outbox messages recovered after a stop", metadata: ["count": "\(recovered)"]) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if try await forwardOneBatch() == 0 {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
                }
            } catch {
                logger.error("forwarding failed; will retry", metadata: ["error": .error(error)])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }

    /// Claims, sends and records one batch; answers how many messages it handled.
    package func forwardOneBatch() async throws -> Int {
        let batch = try await database.claimDueMessages(limit: settings.batchSize, now: clock())
        guard !batch.isEmpty else { return 0 }
        let outcomes = await batch.mapped(atMostAtOnce: settings.concurrency) { message -> (id: Int64, outcome: DeliveryOutcome) in
            var payload = message.payload
            if message.kind == .registerDossier {
                guard let opened = OneStopRegistration.openingIdNumber(message.payload, with: database.idNumbers) else {
                    return (message.id, .dead(reason: "the ID number is sealed with a key that is not in the keyring (security.idNumberKeys)"))
                }
                payload = opened
            }
            let answer = await client.send(message.kind, message.key, payload)
            return (message.id, outcome(of: answer, for: message))
        }
        try await record(outcomes)
        for (_, outcome) in outcomes {
            switch outcome {
            case .delivered: metrics.forwardDelivered.increment()
            case .retry, .registerAgain: metrics.forwardRetried.increment()
            case .dead(let reason, _):
                metrics.forwardDead.increment()
                logger.warning("outbox message dead", metadata: ["reason": "\(reason)"])
            }
        }
        return batch.count
    }

    private func record(_ outcomes: [(id: Int64, outcome: DeliveryOutcome)]) async throws {
        try await AppDatabase.recordingThroughBusyLedger(
            longestWait: settings.recordRetryLimit, logger: logger, failure: "forwarding outcomes could not be recorded; trying again",
            metadata: ["messages": "\(outcomes.count)"]
        ) { try await database.recordDeliveries(outcomes, now: clock()) }
    }

    func outcome(of answer: OneStopClient.Answer, for message: ClaimedMessage) -> DeliveryOutcome {
        let now = clock()
        switch answer {
        case .accepted:
            return .delivered
        case .refused(let reason):
            return .dead(reason: reason, refused: true)
        case .needsRegistration, .unavailable:
            let reason = if case .unavailable(let text) = answer { text } else { "the one-stop does not know this dossier: registering it again" }
            if now.timeIntervalSince(message.retryingSince) > settings.deadAfter {
                return .dead(reason: "gave up after \(Int(settings.deadAfter / 3600)) h: \(reason)")
            }
            let at = now.addingTimeInterval(settings.backoff.delay(afterAttempt: message.attempts))
            // ONESTOP_API §2: a 404 means "register first, then retry".
            return answer == .needsRegistration ? .registerAgain(retryAt: at, reason: reason) : .retry(at: at, reason: reason)
        }
    }
}
