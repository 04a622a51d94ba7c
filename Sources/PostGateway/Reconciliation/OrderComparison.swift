/// Compares one result-only order as the two ledgers hold it, as `LedgerComparison` compares a postal dossier. Pure:
/// the run decides what to do with the answer.
enum OrderComparison {
    /// Every disagreement about an order both ledgers hold, each with its class and the repair it calls for.
    static func findings(gateway order: GatewayOrder, oneStop theirs: OrderFacts) -> [ReconciliationFinding] {
        let ours = order.facts
        var findings: [ReconciliationFinding] = []
        let resend = resendRepair(order)
        /// `resendable`: sending the one-stop what it lacks would mend this, but for a message the one-stop refused.
        func add(
            _ kind: ReconciliationFinding.Kind, _ gatewayValue: String?, _ oneStopValue: String?, ahead: ReconciliationFinding.Side? = nil,
            _ repair: ReconciliationFinding.Repair, resendable: Bool = false
        ) {
            findings.append(
                .init(
                    trackingNumber: order.trackingNumber, kind: kind, agencyCode: ours.agencyCode, gatewayValue: gatewayValue,
                    oneStopValue: oneStopValue, ahead: ahead, repair: repair, refusedByOneStop: resendable && order.refusedByOneStop))
        }

        // The one-stop owns its statuses, as for a postal dossier. A result ready (9) is the one status whose callback
        // carries what the post needs (the cash to collect, the documents) and starts the item's days: taken from the
        // list, the item would go out without them.
        if ours.status != theirs.status, let status = theirs.status {
            let oneStopAhead = ours.status.map { status.rank >= $0.rank } ?? true
            let repair: ReconciliationFinding.Repair = oneStopAhead && status != .resultReady ? .takeStatus : .forAPerson
            add(
                .statusDisagreement, ours.status.map { String($0.rawValue) }, String(status.rawValue), ahead: oneStopAhead ? .oneStop : .gateway,
                repair)
        }
        if ours.resultNumber != theirs.resultNumber {
            // The one-stop never got the TIEP_NHAN_DON that gives it the number, or lost it: sent again, with the progress
            // after it. Another number, or one the gateway does not know, needs a person.
            let lacksNumber = theirs.resultNumber == nil && ours.resultNumber != nil && order.hasProgressReports
            add(.resultItemDisagreement, ours.resultNumber, theirs.resultNumber, lacksNumber ? resend : .forAPerson, resendable: lacksNumber)
        } else if ours.resultState != theirs.resultState {
            // Only the gateway reports an order's progress: a one-stop behind it missed (or lost) the later reports, and the
            // latest is sent again. One that shows progress the gateway has not reported needs a person.
            let behind = order.hasProgressReports && isBehind(theirs.resultState, ours.resultState)
            add(
                .resultProgressDisagreement, ours.resultState, theirs.resultState, ahead: behind ? .gateway : nil, behind ? resend : .forAPerson,
                resendable: behind)
        }
        if ours.cashOnDelivery != theirs.cashOnDelivery {
            // Money the courier collects at the door: never settled by a run, đồng by đồng, only by the desk and the post.
            add(.cashOnDeliveryDisagreement, String(ours.cashOnDelivery), String(theirs.cashOnDelivery), .forAPerson)
        }
        return findings
    }

    /// An order the gateway holds and the one-stop does not list: its progress reports (the `TIEP_NHAN_DON` first) sent
    /// again, unless one is on its way or the one-stop refused one. A counter's order with no report yet was given to the
    /// one-stop by call 6, which only the clerk sends: a person.
    static func missingAtOneStop(_ order: GatewayOrder) -> ReconciliationFinding {
        let repair = order.hasProgressReports ? resendRepair(order) : .forAPerson
        return .init(
            trackingNumber: order.trackingNumber, kind: .missingAtOneStop, agencyCode: order.facts.agencyCode,
            gatewayValue: order.facts.status.map { String($0.rawValue) } ?? "0", oneStopValue: nil,
            repair: repair, refusedByOneStop: order.hasProgressReports && order.refusedByOneStop)
    }

    /// An order the one-stop lists and the gateway never got (a callback lost, or refused): only the desk can send it
    /// again, or the citizen place it at a counter. Keyed by the mã hồ sơ, as the gateway has no item for it.
    static func missingInGateway(_ dossierCode: String, _ facts: OrderFacts) -> ReconciliationFinding {
        .init(
            trackingNumber: dossierCode, kind: .orderMissingInGateway, agencyCode: facts.agencyCode, gatewayValue: nil,
            oneStopValue: [facts.status.map { String($0.rawValue) }, facts.resultNumber].compactMap { $0 }.joined(separator: " "),
            repair: .forAPerson)
    }

    /// Whether the one-stop's last progress is behind the gateway's: none at all, an earlier stage, or the other half
    /// of a delivery round (out for delivery, failed), which follow each other round after round. Two different ends
    /// (delivered, returned to the agency), or a word the contract does not have, are not.
    static func isBehind(_ theirs: String?, _ ours: String?) -> Bool {
        guard let ours, let ourStage = stage(ours) else { return false }
        guard let theirs else { return true }
        guard let theirStage = stage(theirs) else { return false }
        return theirStage < ourStage || (theirStage == ourStage && ourStage == deliveryRound)
    }

    private static let deliveryRound = 2

    /// How far along an order's progress word is.
    private static func stage(_ word: String) -> Int? {
        guard let state = ReturnProgress.State(rawValue: word) else { return nil }
        switch state {
        case .orderTaken: return 0
        case .pickedUp: return 1
        case .outForDelivery, .deliveryFailed: return deliveryRound
        case .delivered, .returnedToAgency: return 3
        }
    }

    /// As for a postal dossier: sending again; waiting, when a message is on its way; a person, when the one-stop
    /// refused one, since the same bytes would be refused again.
    private static func resendRepair(_ order: GatewayOrder) -> ReconciliationFinding.Repair {
        order.refusedByOneStop ? .forAPerson : order.hasUndeliveredMessages ? .awaitForwarding : .resend
    }
}
