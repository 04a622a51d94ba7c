/// Compares one dossier as the two ledgers hold it. Pure: the run decides what to do with the answer.
enum LedgerComparison {
    /// Every disagreement about a dossier both ledgers hold, each with its class and the repair it calls for.
    static func findings(gateway dossier: GatewayDossier, oneStop: LedgerFacts) -> [ReconciliationFinding] {
        let ours = dossier.facts
        var findings: [ReconciliationFinding] = []
        /// A difference that re-sending fixes, unless a message is already on its way or the one-stop refused one.
        let resend = resendRepair(dossier)
        /// `resendable`: sending the one-stop what it lacks would mend this, but for a message the one-stop refused.
        func add(
            _ kind: ReconciliationFinding.Kind, _ gatewayValue: String?, _ oneStopValue: String?, ahead: ReconciliationFinding.Side? = nil,
            _ repair: ReconciliationFinding.Repair, resendable: Bool = false
        ) {
            // The number is spelt out only for a finding: most of a million dossiers agree.
            findings.append(
                .init(
                    trackingNumber: dossier.trackingNumber.description, kind: kind, agencyCode: ours.agencyCode, gatewayValue: gatewayValue,
                    oneStopValue: oneStopValue, ahead: ahead, repair: repair,
                    refusedByOneStop: resendable && dossier.refusedByOneStop))
        }

        // The one-stop owns its statuses: where it is further along (or at another status of the same stage), the
        // gateway missed a callback and takes the status; where the gateway is further along, the one-stop lost
        // something the gateway was told, and a person must find out what.
        if ours.status != oneStop.status, let theirs = oneStop.status {
            let oneStopAhead = ours.status.map { theirs.rank >= $0.rank } ?? true
            if oneStopAhead {
                // A result ready for post brings the cash to collect on delivery, which only the callback carries.
                let needsCallback = theirs == .resultReady && dossier.resultByPost && ours.resultNumber == nil
                add(
                    .statusDisagreement, ours.status.map { String($0.rawValue) }, String(theirs.rawValue), ahead: .oneStop,
                    needsCallback ? .forAPerson : .takeStatus)
            } else {
                add(.statusDisagreement, ours.status.map { String($0.rawValue) }, String(theirs.rawValue), ahead: .gateway, .forAPerson)
            }
        }
        if ours.dossierCode != oneStop.dossierCode {
            // A code the gateway lacks comes with the status; two different codes, or a code the one-stop lost, need a person.
            let missingHere = ours.dossierCode == nil
            add(.dossierCodeDisagreement, ours.dossierCode, oneStop.dossierCode, missingHere ? .takeStatus : .forAPerson)
        }
        if ours.fee != oneStop.fee {
            add(.feeDisagreement, String(ours.fee), String(oneStop.fee), .forAPerson)
        }
        if ours.handoverAt != oneStop.handoverAt {
            let lacksHandover = ours.handoverAt != nil && oneStop.handoverAt == nil
            add(.handoverTimeDisagreement, ours.handoverAt, oneStop.handoverAt, lacksHandover ? resend : .forAPerson, resendable: lacksHandover)
        }
        if ours.resultNumber != oneStop.resultNumber || ours.resultState != oneStop.resultState {
            // Return progress the one-stop lacks is sent again; a result number it has that the gateway does not
            // know, or another one, needs a person.
            let lacksProgress =
                ours.resultNumber != nil && ours.resultState != nil
                && (oneStop.resultNumber == nil || oneStop.resultNumber == ours.resultNumber)
            add(
                .resultItemDisagreement, describe(ours.resultNumber, ours.resultState), describe(oneStop.resultNumber, oneStop.resultState),
                lacksProgress ? resend : .forAPerson, resendable: lacksProgress)
        }
        return findings
    }

    /// A dossier the gateway holds and the one-stop does not: registered again, unless its registration is on its way
    /// or the one-stop refused it.
    static func missingAtOneStop(_ dossier: GatewayDossier) -> ReconciliationFinding {
        let repair = resendRepair(dossier)
        return .init(
            trackingNumber: dossier.trackingNumber.description, kind: .missingAtOneStop, agencyCode: dossier.facts.agencyCode,
            gatewayValue: dossier.facts.status.map { String($0.rawValue) } ?? "0", oneStopValue: nil,
            repair: repair, refusedByOneStop: repair == .forAPerson)
    }

    /// What mends a difference that the one-stop lacking a message explains: sending it again; waiting, when a message
    /// is on its way; a person, when the one-stop refused one, since the same bytes would be refused again (and a run
    /// would report them mended every night).
    private static func resendRepair(_ dossier: GatewayDossier) -> ReconciliationFinding.Repair {
        dossier.refusedByOneStop ? .forAPerson : dossier.hasUndeliveredMessages ? .awaitForwarding : .resend
    }

    /// A postal dossier the one-stop holds and the gateway never took in: only a person can tell where it came from.
    static func missingInGateway(_ trackingNumber: String, _ facts: LedgerFacts) -> ReconciliationFinding {
        .init(
            trackingNumber: trackingNumber, kind: .missingInGateway, agencyCode: facts.agencyCode, gatewayValue: nil,
            oneStopValue: facts.status.map { String($0.rawValue) }, repair: .forAPerson)
    }

    private static func describe(_ number: String?, _ state: String?) -> String? {
        switch (number, state) {
        case (nil, nil): nil
        case (let number?, let state?): "\(number) \(state)"
        case (let number?, nil): number
        case (nil, let state?): state
        }
    }
}
