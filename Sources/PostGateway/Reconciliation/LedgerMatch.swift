import Synchronization

/// The comparison of a run, filled from both ledgers at once as they are read: a dossier waits only until its
/// other side arrives. Both ledgers come roughly in the order dossiers were taken in, so what waits is the
/// distance between the two readers, not a whole province's month.
struct LedgerMatch: Sendable {
    /// Read on one side and not yet on the other, keyed by `TrackingNumber.packed`.
    private var waitingForOneStop: [UInt64: GatewayDossier] = [:]
    private var waitingForGateway: [UInt64: LedgerFacts] = [:]
    private(set) var findings: [ReconciliationFinding] = []
    /// The gateway's dossier id of every number with a finding, for the repairs.
    private(set) var dossierIds: [String: Int64] = [:]
    /// The one-stop's side of every dossier whose status the gateway is to take, for the repairs.
    private(set) var oneStopFactsToTake: [String: LedgerFacts] = [:]
    private(set) var gatewayCount = 0
    private(set) var oneStopCount = 0
    private(set) var matchedCount = 0
    private(set) var agencies: [String: ReconciliationSummary.AgencyTotals] = [:]

    mutating func visit(_ dossier: GatewayDossier) {
        gatewayCount += 1
        agencies[dossier.facts.agencyCode, default: .init(agencyCode: dossier.facts.agencyCode)].add(gateway: dossier.facts.fee)
        let key = dossier.trackingNumber.packed
        if let theirs = waitingForGateway.removeValue(forKey: key) {
            compare(dossier, theirs)
        } else {
            waitingForOneStop[key] = dossier
        }
    }

    /// A row of the one-stop's ledger; the reader has already refused a number listed twice.
    mutating func visit(oneStop number: TrackingNumber, _ facts: LedgerFacts) {
        oneStopCount += 1
        agencies[facts.agencyCode, default: .init(agencyCode: facts.agencyCode)].add(oneStop: facts.fee)
        let key = number.packed
        if let ours = waitingForOneStop.removeValue(forKey: key) {
            compare(ours, facts)
        } else {
            waitingForGateway[key] = facts
        }
    }

    private mutating func compare(_ dossier: GatewayDossier, _ theirs: LedgerFacts) {
        matchedCount += 1
        let found = LedgerComparison.findings(gateway: dossier, oneStop: theirs)
        guard !found.isEmpty else { return }
        record(found, of: dossier)
        if found.contains(where: { $0.repair == .takeStatus }) { oneStopFactsToTake[dossier.trackingNumber.description] = theirs }
    }

    private mutating func record(_ found: [ReconciliationFinding], of dossier: GatewayDossier) {
        findings += found
        dossierIds[dossier.trackingNumber.description] = dossier.dossierId
    }

    /// After both ledgers are read: what is left waiting is missing on the other side.
    mutating func finish() {
        for dossier in waitingForOneStop.values { record([LedgerComparison.missingAtOneStop(dossier)], of: dossier) }
        for (key, facts) in waitingForGateway {
            findings.append(LedgerComparison.missingInGateway(TrackingNumber(packed: key).description, facts))
        }
        waitingForOneStop = [:]
        waitingForGateway = [:]
        findings.sort { ($0.trackingNumber, $0.kind.rawValue) < ($1.trackingNumber, $1.kind.rawValue) }
    }

    /// One match filled by the two readers of a run, each a batch at a time.
    final class Shared: Sendable {
        private let state = Mutex(LedgerMatch())

        func withLock<Result>(_ body: (inout LedgerMatch) -> Result) -> Result {
            state.withLock { body(&$0) }
        }
    }
}

extension ReconciliationSummary.AgencyTotals {
    mutating func add(gateway fee: Int64) {
        gatewayDossiers += 1
        gatewayFees += fee
    }

    mutating func add(oneStop fee: Int64) {
        oneStopDossiers += 1
        oneStopFees += fee
    }
}
