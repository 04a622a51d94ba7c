import Prometheus

/// The gateway's own metrics, registered on the same Prometheus registry that `/metrics` emits.
/// Passed to whoever records, rather than looked up globally, so each test has its own.
package struct GatewayMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let intakesAccepted: Counter
    let intakesReplayed: Counter
    let intakesRefused: Counter
    let intakeBatchSize: ValueHistogram
    let forwardDelivered: Counter
    let forwardRetried: Counter
    let forwardDead: Counter
    let noticesSent: Counter
    let noticesRetried: Counter
    let noticesDead: Counter
    let noticesWaiting: Gauge
    let noticesDeadNow: Gauge
    let outboxPending: Gauge
    let outboxInFlight: Gauge
    let outboxDead: Gauge
    let outboxOldestAgeSeconds: Gauge
    let callbacksApplied: Counter
    let callbacksSuperseded: Counter
    let callbacksUnknownDossier: Counter
    let callbacksUnsupportedType: Counter
    let callbacksRefusedOrderChange: Counter
    let callbacksReplayed: Counter
    let callbacksRefused: Counter
    let pinViewsClosed: Counter
    let loginRefusals: Counter
    let reconciliationLastCompletedAt: Gauge
    let reconciliationFindingsRemaining: Gauge
    let reconciliationFailedSinceCompleted: Gauge

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let intakes = "Counter intakes, by what the ledger did with them."
        intakesAccepted = registry.makeCounter(descriptor: Self.named("postgateway_intakes_total", help: intakes), labels: [("outcome", "accepted")])
        intakesReplayed = registry.makeCounter(descriptor: Self.named("postgateway_intakes_total", help: intakes), labels: [("outcome", "replayed")])
        intakesRefused = registry.makeCounter(descriptor: Self.named("postgateway_intakes_total", help: intakes), labels: [("outcome", "refused")])
        intakeBatchSize = registry.makeValueHistogram(
            descriptor: Self.named("postgateway_intake_batch_size", help: "Intakes written per transaction (group commit)."),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        let attempts = "Attempts to deliver outbox messages to the one-stop, by what came of them."
        forwardDelivered = registry.makeCounter(
            descriptor: Self.named("postgateway_forward_attempts_total", help: attempts), labels: [("outcome", "delivered")])
        forwardRetried = registry.makeCounter(
            descriptor: Self.named("postgateway_forward_attempts_total", help: attempts), labels: [("outcome", "retry")])
        forwardDead = registry.makeCounter(
            descriptor: Self.named("postgateway_forward_attempts_total", help: attempts), labels: [("outcome", "dead")])
        let notices = "Attempts to send notices to citizens (Zalo, SMS), by what came of them."
        noticesSent = registry.makeCounter(descriptor: Self.named("postgateway_notice_attempts_total", help: notices), labels: [("outcome", "sent")])
        noticesRetried = registry.makeCounter(
            descriptor: Self.named("postgateway_notice_attempts_total", help: notices), labels: [("outcome", "retry")])
        noticesDead = registry.makeCounter(descriptor: Self.named("postgateway_notice_attempts_total", help: notices), labels: [("outcome", "dead")])
        let noticeBacklog = "Notices to citizens not sent, by state (waiting: pending or in flight, quiet hours included)."
        noticesWaiting = registry.makeGauge(descriptor: Self.named("postgateway_notices", help: noticeBacklog), labels: [("state", "waiting")])
        noticesDeadNow = registry.makeGauge(descriptor: Self.named("postgateway_notices", help: noticeBacklog), labels: [("state", "dead")])
        let backlog = "Outbox messages not yet delivered, by state."
        outboxPending = registry.makeGauge(descriptor: Self.named("postgateway_outbox_messages", help: backlog), labels: [("state", "pending")])
        outboxInFlight = registry.makeGauge(descriptor: Self.named("postgateway_outbox_messages", help: backlog), labels: [("state", "inFlight")])
        outboxDead = registry.makeGauge(descriptor: Self.named("postgateway_outbox_messages", help: backlog), labels: [("state", "dead")])
        outboxOldestAgeSeconds = registry.makeGauge(
            descriptor: Self.named(
                "postgateway_outbox_oldest_pending_age_seconds",
                help: "Age of the oldest message still waiting to reach the one-stop."))
        let callbacks = "One-stop callbacks received, by what came of them."
        func callbackCounter(_ outcome: String) -> Counter {
            registry.makeCounter(descriptor: Self.named("postgateway_onestop_callbacks_total", help: callbacks), labels: [("outcome", outcome)])
        }
        callbacksApplied = callbackCounter("applied")
        callbacksSuperseded = callbackCounter("superseded")
        callbacksUnknownDossier = callbackCounter("unknownDossier")
        callbacksUnsupportedType = callbackCounter("unsupportedType")
        callbacksRefusedOrderChange = callbackCounter("orderChangeRefused")
        callbacksReplayed = callbackCounter("replayed")
        callbacksRefused = callbackCounter("refused")
        pinViewsClosed = registry.makeCounter(
            descriptor: Self.named(
                "postgateway_tracking_pin_views_closed_total",
                help: "Dossiers whose PIN view was closed for a day after too many wrong PINs (guessing)."))
        loginRefusals = registry.makeCounter(
            descriptor: Self.named(
                "postgateway_login_slowed_total", help: "Staff login attempts answered 'wait' because of earlier failures (account or address)."))
        reconciliationLastCompletedAt = registry.makeGauge(
            descriptor: Self.named(
                "postgateway_reconciliation_last_completed_timestamp_seconds",
                help: "When the last reconciliation that was not a dry run ended with the ledgers compared (Unix time; 0: never)."))
        reconciliationFindingsRemaining = registry.makeGauge(
            descriptor: Self.named(
                "postgateway_reconciliation_findings_remaining", help: "Findings left for a person by the last completed reconciliation."))
        reconciliationFailedSinceCompleted = registry.makeGauge(
            descriptor: Self.named(
                "postgateway_reconciliation_failed_runs_since_completed", help: "Reconciliation runs that failed since the last completed one."))
    }
}

extension GatewayMetrics {
    /// A metric named in full: the descriptor's unit, left empty, adds nothing to the name `/metrics` shows.
    /// Days until a reference file stops being known to be right (`horizons.csv`), set at each scrape.
    func referenceDaysLeft(_ file: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.named(
                "postgateway_reference_known_days_left", help: "Days until a reference file (holidays, units) is no longer known to be right."),
            labels: [("file", file)])
    }

    /// S10 serials a series still has to issue, set at each scrape: an alert on it leaves time to ask the post for the
    /// next range before intake is refused.
    func serialsLeft(_ prefix: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.named("postgateway_serials_left", help: "S10 serials still to issue in the ranges allocated to a prefix."),
            labels: [("prefix", prefix)])
    }

    private static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func callbacks(_ outcome: CallbackOutcome) -> Counter {
        switch outcome {
        case .applied: callbacksApplied
        case .superseded: callbacksSuperseded
        case .unknownDossier: callbacksUnknownDossier
        case .unsupportedType: callbacksUnsupportedType
        case .refused: callbacksRefusedOrderChange
        }
    }
}
