/// The comparison of a run, filled as the gateway's dossiers stream past the one-stop's (held in memory).
struct LedgerMatch: Sendable {
    /// The one-stop's side, keyed by `TrackingNumber.packed`; read only, so it is never copied.
    let oneStop: [UInt64: LedgerFacts]
    private(set) var matched: Set<UInt64> = []
    private(set) var findings: [ReconciliationFinding] = []
    /// The gateway's dossier id of every number with a finding, for the repairs.
    private(set) var dossierIds: [String: Int64] = [:]
    private(set) var gatewayCount = 0
    private(set) var agencies: [String: ReconciliationSummary.AgencyTotals] = [:]

    init(oneStop: [UInt64: LedgerFacts]) {
        self.oneStop = oneStop
        matched.reserveCapacity(oneStop.count)
    }

    mutating func visit(_ dossier: GatewayDossier) {
        gatewayCount += 1
        agencies[dossier.facts.agencyCode, default: .init(agencyCode: dossier.facts.agencyCode)].add(gateway: dossier.facts.fee)
        let key = dossier.trackingNumber.packed
        let found: [ReconciliationFinding]
        if let theirs = oneStop[key] {
            matched.insert(key)
            found = LedgerComparison.findings(gateway: dossier, oneStop: theirs)
        } else {
            found = [LedgerComparison.missingAtOneStop(dossier)]
        }
        if !found.isEmpty {
            findings += found
            dossierIds[dossier.trackingNumber.description] = dossier.dossierId
        }
    }

    /// After the scan: the one-stop's dossiers the gateway does not hold, and its side of the fee totals.
    mutating func finish() {
        for (key, facts) in oneStop {
            agencies[facts.agencyCode, default: .init(agencyCode: facts.agencyCode)].add(oneStop: facts.fee)
            if !matched.contains(key) {
                findings.append(LedgerComparison.missingInGateway(TrackingNumber(packed: key).description, facts))
            }
        }
        findings.sort { ($0.trackingNumber, $0.kind.rawValue) < ($1.trackingNumber, $1.kind.rawValue) }
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
