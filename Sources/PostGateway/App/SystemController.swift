import Foundation
import Hummingbird
import Prometheus

/// The operators' routes: liveness, readiness, Prometheus metrics and the OpenAPI document.
struct SystemController: Sendable {
    let database: AppDatabase
    /// Said by `/health` (`GatewayConfiguration.oneStopKind`), so that a monitor, or a person, sees at once where
    /// dossiers go.
    let oneStopKind: String
    let oneStop: OneStopReadiness
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date
    let openAPIDocument: ByteBuffer

    struct Health: ResponseEncodable {
        let status: String
        /// "sandbox" while dossiers go to the sandbox one-stop, "province" to a configured one, "notConfigured" to none.
        let oneStop: String
    }

    struct Readiness: ResponseEncodable {
        let status: String
        let checks: [String: String]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let health = Health(status: "ok", oneStop: oneStopKind)
        router.get("health") { _, _ in health }
        router.get("ready", use: ready)
        router.get("metrics") { _, _ in
            // The outbox and reconciliation gauges are read from the ledger at each scrape, so they are never stale,
            // and runs made by `postgateway reconcile` from cron count as much as the server's own.
            if let statistics = try? await database.outboxStatistics() {
                metrics.outboxPending.set(Double(statistics.pending))
                metrics.outboxInFlight.set(Double(statistics.inFlight))
                metrics.outboxDead.set(Double(statistics.dead))
                metrics.outboxOldestAgeSeconds.set(statistics.oldestPendingAt.map { clock().timeIntervalSince($0) } ?? 0)
            }
            if let runs = try? await database.reconciliationStatistics() {
                metrics.reconciliationLastCompletedAt.set(runs.lastCompletedAt?.timeIntervalSince1970 ?? 0)
                metrics.reconciliationFindingsRemaining.set(Double(runs.findingsRemaining))
                metrics.reconciliationFailedSinceCompleted.set(Double(runs.failedSinceCompleted))
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
        }
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Readiness> {
        async let databaseUp = database.isReachable()
        async let oneStopUp = oneStop.isUp()
        let (database, oneStop) = await (databaseUp, oneStopUp)
        // Ready means the ledger can take dossiers in. The one-stop being down is reported, not a reason to be dropped by
        // a load balancer: the outbox exists to ride out its outages, and every instance would be dropped at once.
        let readiness = Readiness(
            status: database ? "ready" : "unavailable",
            checks: ["database": database ? "up" : "down", "oneStop": oneStop ? "up" : "unreachable"])
        return EditedResponse(status: database ? .ok : .serviceUnavailable, response: readiness)
    }

    /// The OpenAPI document shipped with the executable.
    static func loadOpenAPIDocument() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "openapi.yaml"])
        }
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }
}
