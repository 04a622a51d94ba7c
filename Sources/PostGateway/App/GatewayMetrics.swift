import Prometheus

/// The gateway's own metrics, registered on the same Prometheus registry that `/metrics` emits.
/// Passed to whoever records, rather than looked up globally, so each test has its own.
struct GatewayMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let intakesAccepted: Counter
    let intakesReplayed: Counter
    let intakesRefused: Counter
    let intakeBatchSize: ValueHistogram

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        intakesAccepted = registry.makeCounter(name: "postgateway_intakes_total", labels: [("outcome", "accepted")],
                                               help: "Counter intakes, by what the ledger did with them.")
        intakesReplayed = registry.makeCounter(name: "postgateway_intakes_total", labels: [("outcome", "replayed")],
                                               help: "Counter intakes, by what the ledger did with them.")
        intakesRefused = registry.makeCounter(name: "postgateway_intakes_total", labels: [("outcome", "refused")],
                                              help: "Counter intakes, by what the ledger did with them.")
        intakeBatchSize = registry.makeValueHistogram(name: "postgateway_intake_batch_size", buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
                                                      help: "Intakes written per transaction (group commit).")
    }
}
