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

    /// Returns without an error when the server shuts down (a stop is not a failure of the service group).
    func run() async throws {
        let start = try await database.latestDossierRevision()
        await cancelWhenGracefulShutdown {
            var seen = start
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                do {
                    let (changed, latest) = try await database.dossiersChanged(afterRevision: seen)
                    if !changed.isEmpty { cache.invalidate(changed) }
                    seen = latest
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("tracking cache could not check the ledger for changes", metadata: ["error": .error(error)])
                }
            }
        }
    }
}
