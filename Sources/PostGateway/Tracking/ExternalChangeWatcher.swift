import Foundation
import Logging
import ServiceLifecycle

/// Drops the cached tracking answers of dossiers that another process changed — a reconcile run from cron
/// taking a status the server missed. This process's own commits reach the cache at once through the
/// transaction observer; another process's can only be seen in the file, so this polls the ledger's revision
/// sequence, which every change to what tracking shows moves. It sees this process's own changes too and drops
/// those answers a second time: one more read of the ledger each, the price of never serving a stale answer.
struct ExternalChangeWatcher: Service {
    let database: AppDatabase
    let cache: TrackingCache
    var interval: Duration = .seconds(1)
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var seen = try await database.latestDossierRevision()
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    let (changed, latest) = try await database.dossiersChanged(afterRevision: seen)
                    if !changed.isEmpty { cache.invalidate(changed) }
                    seen = latest
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    logger.warning("tracking cache could not check the ledger for changes", metadata: ["error": .error(error)])
                }
            }
        }
    }
}
