/// One way the two ledgers disagree about one dossier or result-only order, and what was (or would be) done about it.
struct ReconciliationFinding: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable, Codable {
        case missingAtOneStop, missingInGateway, statusDisagreement, dossierCodeDisagreement, feeDisagreement,
            resultItemDisagreement, handoverTimeDisagreement
        /// A result-only order the one-stop lists and the gateway never got (keyed by its mã hồ sơ).
        case orderMissingInGateway
        /// A result-only order's cash to collect on delivery (`TienThuKhiPhat`).
        case cashOnDeliveryDisagreement
        /// A result-only order's last progress (`TrangThaiKetQua`), its item number agreeing.
        case resultProgressDisagreement
    }

    enum Side: String, Sendable, Codable { case gateway, oneStop }

    /// What a run does about a finding. Only the first three are safe to do without a person.
    enum Repair: String, Sendable, CaseIterable, Codable {
        /// Send the one-stop again, through the outbox, what it lacks (registration, handover, return progress, an
        /// order's TIEP_NHAN_DON and progress).
        case resend
        /// Take the status (and the mã hồ sơ, the appointment) the gateway missed from the one-stop's ledger.
        case takeStatus
        /// An outbox message of this dossier is still on its way: it will bring the one-stop up to date.
        case awaitForwarding
        /// Nothing safe to do automatically: a person decides (see `action`).
        case forAPerson
    }

    /// The dossier's item number, a result-only order's result item number, or the order's mã hồ sơ when the gateway
    /// has no item for it.
    let trackingNumber: String
    let kind: Kind
    let agencyCode: String?
    /// Each side's value, as text for the report (nil: the side has none).
    let gatewayValue: String?
    let oneStopValue: String?
    /// For status and progress disagreements: the side further along.
    var ahead: Side? = nil
    let repair: Repair
    /// Whether the repair was carried out by this run (never in a dry run).
    var repaired = false
    /// Left to a person because the one-stop refused a message of the dossier, which sending again cannot mend.
    var refusedByOneStop = false

    /// Whether the ledgers still disagree here after the run, so that a person (or the next run) must look.
    var remains: Bool { repair == .forAPerson || !repaired && repair != .awaitForwarding }
}
