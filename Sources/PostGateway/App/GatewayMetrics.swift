import Prometheus

/// The gateway's own metrics, registered on the same Prometheus registry that `/metrics` emits.
/// Passed to whoever records, rather than looked up globally, so each test has its own.
struct GatewayMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let intakesAccepted: Counter
    let intakesReplayed: Counter
    let intakesRefused: Counter
    let intakeBatchSize: ValueHistogram
    let forwardDelivered: Counter
    let forwardRetried: Counter
    let forwardDead: Counter
    let outboxPending: Gauge
    let outboxInFlight: Gauge
    let outboxDead: Gauge
    let outboxOldestAgeSeconds: Gauge
    let callbacksApplied: Counter
    let callbacksSuperseded: Counter
    let callbacksUnknownDossier: Counter
    let callbacksUnsupportedType: Counter
    let callbacksReplayed: Counter
    let callbacksRefused: Counter
    let trackingFromCache: Counter
    let trackingFromLedger: Counter

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
        let attempts = "Attempts to deliver outbox messages to the one-stop, by what came of them."
        forwardDelivered = registry.makeCounter(name: "postgateway_forward_attempts_total", labels: [("outcome", "delivered")], help: attempts)
        forwardRetried = registry.makeCounter(name: "postgateway_forward_attempts_total", labels: [("outcome", "retry")], help: attempts)
        forwardDead = registry.makeCounter(name: "postgateway_forward_attempts_total", labels: [("outcome", "dead")], help: attempts)
        let backlog = "Outbox messages not yet delivered, by state."
        outboxPending = registry.makeGauge(name: "postgateway_outbox_messages", labels: [("state", "pending")], help: backlog)
        outboxInFlight = registry.makeGauge(name: "postgateway_outbox_messages", labels: [("state", "inFlight")], help: backlog)
        outboxDead = registry.makeGauge(name: "postgateway_outbox_messages", labels: [("state", "dead")], help: backlog)
        outboxOldestAgeSeconds = registry.makeGauge(name: "postgateway_outbox_oldest_pending_age_seconds",
                                                    help: "Age of the oldest message still waiting to reach the one-stop.")
        let callbacks = "One-stop callbacks received, by what came of them."
        func callbackCounter(_ outcome: String) -> Counter {
            registry.makeCounter(name: "postgateway_onestop_callbacks_total", labels: [("outcome", outcome)], help: callbacks)
        }
        callbacksApplied = callbackCounter("applied")
        callbacksSuperseded = callbackCounter("superseded")
        callbacksUnknownDossier = callbackCounter("unknownDossier")
        callbacksUnsupportedType = callbackCounter("unsupportedType")
        callbacksReplayed = callbackCounter("replayed")
        callbacksRefused = callbackCounter("refused")
        let lookups = "Public tracking lookups of known codes, by where the answer came from."
        trackingFromCache = registry.makeCounter(name: "postgateway_tracking_lookups_total", labels: [("source", "cache")], help: lookups)
        trackingFromLedger = registry.makeCounter(name: "postgateway_tracking_lookups_total", labels: [("source", "ledger")], help: lookups)
    }
}

extension GatewayMetrics {
    func callbacks(_ outcome: CallbackOutcome) -> Counter {
        switch outcome {
        case .applied: callbacksApplied
        case .superseded: callbacksSuperseded
        case .unknownDossier: callbacksUnknownDossier
        case .unsupportedType: callbacksUnsupportedType
        }
    }
}
