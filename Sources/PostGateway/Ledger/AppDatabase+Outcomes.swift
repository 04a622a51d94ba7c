import Foundation
import Logging
import ServiceLifecycle

extension AppDatabase {
    /// Records what a sender learnt, however long the ledger stays busy. The sends are done, so their outcomes must
    /// reach the ledger: otherwise the claimed rows stay in flight until the next start, and hold back every later row
    /// of their dossiers. A ledger busy past its timeout (a vacuum, a reseal, a reconcile's repairs) is waited out,
    /// doubling up to `longestWait`; only a shutdown stops the waiting, and the next start recovers what was in flight.
    /// The forwarder's and the notifier's outcomes go through here.
    static func recordingThroughBusyLedger(
        longestWait: Duration, logger: Logger, failure: Logger.Message, metadata: Logger.Metadata, _ record: () async throws -> Void
    ) async throws {
        var wait = min(.milliseconds(100), longestWait)
        while true {
            do {
                return try await record()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.error(failure, metadata: metadata.merging(["error": .error(error)]) { $1 })
                let pause = wait
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                wait = min(wait * 2, longestWait)
            }
        }
    }
}
