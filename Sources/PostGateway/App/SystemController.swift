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
    let reference: ReferenceData
    /// The dossiers' and the results' S10 series, whose serials left are a metric and a readiness check.
    let series: [TrackingSeries]
    let clock: @Sendable () -> Date
    let openAPIDocument: ByteBuffer

    struct Health: ResponseEncodable {
        let status: String
        /// "sandbox" while dossiers go to the sandbox one-stop, "province" to a configured one, "notConfigured" to none.
        let oneStop: String
        /// Reference files within `horizonWarningDays` of the day they are known until: holidays or units to update.
        let referenceExpiring: [ExpiringFile]
    }

    struct ExpiringFile: Encodable {
        let file: String
        let knownUntil: String
        let daysLeft: Int
    }

    /// Two months leave time to publish a new calendar or map before deadlines are counted wrong.
    static let horizonWarningDays = 60

    static func expiring(_ reference: ReferenceData, today: LocalDate) -> [ExpiringFile] {
        reference.horizons(endingWithin: horizonWarningDays, of: today).map {
            ExpiringFile(file: $0.file, knownUntil: $0.knownUntil, daysLeft: LocalDate(iso: $0.knownUntil)!.daysSinceEpoch - today.daysSinceEpoch)
        }
    }

    struct Readiness: ResponseEncodable {
        let status: String
        let checks: [String: String]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("health") { _, _ in
            Health(status: "ok", oneStop: oneStopKind, referenceExpiring: Self.expiring(reference, today: LocalDate(clock())))
        }
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
            if let backlog = try? await database.noticeBacklog() {
                metrics.noticesWaiting.set(Double(backlog.waiting))
                metrics.noticesDeadNow.set(Double(backlog.dead))
            }
            if let runs = try? await database.reconciliationStatistics() {
                metrics.reconciliationLastCompletedAt.set(runs.lastCompletedAt?.timeIntervalSince1970 ?? 0)
                metrics.reconciliationFindingsRemaining.set(Double(runs.findingsRemaining))
                metrics.reconciliationFailedSinceCompleted.set(Double(runs.failedSinceCompleted))
            }
            if let standings = try? await database.serialsLeft(series) {
                for standing in standings { metrics.serialsLeft(standing.series.prefix).set(Double(standing.left)) }
            }
            let today = LocalDate(clock())
            for horizon in reference.horizons {
                metrics.referenceDaysLeft(horizon.file).set(Double(LocalDate(iso: horizon.knownUntil)!.daysSinceEpoch - today.daysSinceEpoch))
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
        async let serialsLeft = try? self.database.serialsLeft(series)
        let (database, oneStop, standings) = await (databaseUp, oneStopUp, serialsLeft)
        var checks = ["database": database ? "up" : "down", "oneStop": oneStop ? "up" : "unreachable"]
        // Reported, not a reason to be dropped: tracking, scans and results go on when a series has run out.
        for standing in standings ?? [] { checks["serials.\(standing.series.prefix)"] = standing.word }
        // Ready means the ledger can take dossiers in. The one-stop being down is reported, not a reason to be dropped by
        // a load balancer: the outbox exists to ride out its outages, and every instance would be dropped at once.
        let readiness = Readiness(status: database ? "ready" : "unavailable", checks: checks)
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
