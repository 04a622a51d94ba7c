import Synchronization

/// The comparison of a run's result-only orders, filled from the gateway's ledger and the one-stop's call 8 at once as
/// they are read, by mã hồ sơ, as `LedgerMatch` fills the postal dossiers' by item number.
///
/// The two sides date an order apart: the one-stop lists it by when it was placed, the gateway takes it when the callback
/// comes, a moment later, or days later behind a callback the one-stop retried. So the one-stop's list is read from a few
/// days before the run's (`OneStopOrderReader.lookBehindDays`), and its orders placed before the run's first day count
/// only where they meet one the gateway took within it; and an order listed within the run's days that the gateway took
/// after them is looked up by its code before it is called missing.
struct OrderMatch: Sendable {
    /// The run's first day.
    let from: LocalDate
    private var waitingForOneStop: [String: GatewayOrder] = [:]
    private var waitingForGateway: [String: OneStopOrder] = [:]
    private(set) var findings: [ReconciliationFinding] = []
    /// The gateway's dossier id of every order with a finding, by the finding's key, for the repairs.
    private(set) var dossierIds: [String: Int64] = [:]
    /// The one-stop's side of every order whose status the gateway is to take, for the repairs.
    private(set) var oneStopFactsToTake: [String: LedgerFacts] = [:]
    private(set) var figures = ReconciliationOrderFigures()
    private var agencies: [String: ReconciliationOrderFigures.AgencyTotals] = [:]

    init(from: LocalDate) { self.from = from }

    mutating func visit(_ order: GatewayOrder) {
        count(gateway: order)
        if let theirs = waitingForGateway.removeValue(forKey: order.dossierCode) {
            // Counted when it was read if it was placed within the run's days; one placed before counts now it is met.
            if !isWithinRun(theirs) { count(oneStop: theirs) }
            compare(order, theirs)
        } else {
            waitingForOneStop[order.dossierCode] = order
        }
    }

    /// A row of the one-stop's list; the reader has already refused a code listed twice.
    mutating func visit(oneStop order: OneStopOrder) {
        if isWithinRun(order) { count(oneStop: order) }
        if let ours = waitingForOneStop.removeValue(forKey: order.dossierCode) {
            if !isWithinRun(order) { count(oneStop: order) }
            compare(ours, order)
        } else {
            waitingForGateway[order.dossierCode] = order
        }
    }

    /// The codes the one-stop lists within the run's days that the gateway's side of those days lacks, once both are read.
    var unmatchedCodes: [String] { waitingForGateway.values.filter { isWithinRun($0) }.map(\.dossierCode) }

    /// After both sides are read, with the gateway's orders of `unmatchedCodes` whatever day it took them: what is left
    /// waiting is missing on the other side, but for the one-stop's orders placed before the run, an earlier run's.
    mutating func finish(lookedUp: [GatewayOrder]) {
        for order in lookedUp {
            guard let theirs = waitingForGateway.removeValue(forKey: order.dossierCode) else { continue }
            count(gateway: order)
            if !isWithinRun(theirs) { count(oneStop: theirs) }
            compare(order, theirs)
        }
        for order in waitingForOneStop.values { record([OrderComparison.missingAtOneStop(order)], of: order) }
        for order in waitingForGateway.values where isWithinRun(order) {
            findings.append(OrderComparison.missingInGateway(order.dossierCode, order.facts))
        }
        waitingForOneStop = [:]
        waitingForGateway = [:]
        findings.sort { ($0.trackingNumber, $0.kind.rawValue) < ($1.trackingNumber, $1.kind.rawValue) }
        figures.agencies = agencies.values.sorted { $0.agencyCode < $1.agencyCode }
    }

    private func isWithinRun(_ order: OneStopOrder) -> Bool { order.placedOn.map { $0 >= from } ?? true }

    private mutating func compare(_ order: GatewayOrder, _ theirs: OneStopOrder) {
        figures.matched += 1
        let found = OrderComparison.findings(gateway: order, oneStop: theirs.facts)
        guard !found.isEmpty else { return }
        record(found, of: order)
        if found.contains(where: { $0.repair == .takeStatus }) {
            // What the postal repair takes: the status (its only finding that takes one) and the code, which the order has.
            oneStopFactsToTake[order.trackingNumber] = LedgerFacts(
                agencyCode: theirs.facts.agencyCode, fee: 0, status: theirs.facts.status, dossierCode: order.dossierCode, handoverAt: nil)
        }
    }

    private mutating func record(_ found: [ReconciliationFinding], of order: GatewayOrder) {
        findings += found
        dossierIds[order.trackingNumber] = order.dossierId
    }

    private mutating func count(gateway order: GatewayOrder) {
        figures.gatewayOrders += 1
        agencies[order.facts.agencyCode, default: .init(agencyCode: order.facts.agencyCode)].add(gateway: order.facts.cashOnDelivery)
    }

    private mutating func count(oneStop order: OneStopOrder) {
        figures.oneStopOrders += 1
        agencies[order.facts.agencyCode, default: .init(agencyCode: order.facts.agencyCode)].add(oneStop: order.facts.cashOnDelivery)
    }

    /// One match filled by the two readers of a run, each a batch at a time.
    final class Shared: Sendable {
        private let state: Mutex<OrderMatch>

        init(from: LocalDate) { state = Mutex(OrderMatch(from: from)) }

        func withLock<Result>(_ body: (inout OrderMatch) -> Result) -> Result {
            state.withLock { body(&$0) }
        }
    }
}
