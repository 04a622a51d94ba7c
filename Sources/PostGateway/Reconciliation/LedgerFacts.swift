/// One postal dossier as one side's ledger holds it: the fields the nightly reconciliation compares, in the
/// one-stop contract's terms (ONESTOP_API.md §4). Small on purpose: a run holds those read on one side and not yet
/// on the other.
package struct LedgerFacts: Sendable, Equatable {
    var agencyCode: String
    /// The administrative fee collected on the agency's behalf (`LePhi`), in đồng.
    var fee: Int64
    /// `TrangThaiHoSo`; nil on the gateway's side until the one-stop has acknowledged the registration.
    var status: OneStopStatus?
    /// `MaHoSo`.
    var dossierCode: String?
    /// `NgayHenTra`, `yyyyMMdd`: not compared (the one-stop may move it), but taken with a missed status.
    var appointmentDate: String? = nil
    /// `ThoiDiemBanGiao`, `yyyyMMddHHmmss` local time: the legal filing time.
    var handoverAt: String?
    /// `MaBuuGuiKetQua`.
    var resultNumber: String?
    /// `TrangThaiKetQua`: the last return progress reported.
    var resultState: String?
}

/// The gateway's side of one dossier: its facts, and what the repairs need to know.
///
/// A class: a run moves a million of these through batches and the match's waiting table, and a reference moves
/// without copying (and retaining) the eight texts inside.
package final class GatewayDossier: Sendable {
    let trackingNumber: TrackingNumber
    let dossierId: Int64
    let facts: LedgerFacts
    /// Some outbox message of this dossier is not delivered yet: a difference it explains is on its way.
    let hasUndeliveredMessages: Bool
    /// The result goes back by post (a status 9 creates a result item with the cash to collect).
    let resultByPost: Bool
    /// The one-stop refused a message of this dossier (it died of a 400, 409 or 422): sent again, it would be refused again.
    let refusedByOneStop: Bool

    init(
        trackingNumber: TrackingNumber, dossierId: Int64, facts: LedgerFacts, hasUndeliveredMessages: Bool, resultByPost: Bool,
        refusedByOneStop: Bool = false
    ) {
        self.trackingNumber = trackingNumber
        self.dossierId = dossierId
        self.facts = facts
        self.hasUndeliveredMessages = hasUndeliveredMessages
        self.resultByPost = resultByPost
        self.refusedByOneStop = refusedByOneStop
    }
}
