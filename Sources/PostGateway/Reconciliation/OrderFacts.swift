/// One result-only order (service 2) as one side's ledger holds it: the fields of call 8 the nightly reconciliation
/// compares (ONESTOP_API.md §8). Both sides key it by its mã hồ sơ.
struct OrderFacts: Sendable, Equatable {
    var agencyCode: String
    /// `TrangThaiHoSo`.
    var status: OneStopStatus?
    /// `MaBuuGuiKetQua`: the result item's number, which the order's `TIEP_NHAN_DON` (or the counter's call 6) gave.
    var resultNumber: String?
    /// `TienThuKhiPhat`: the cash the post collects on delivery, in đồng.
    var cashOnDelivery: Int64
    /// `TrangThaiKetQua`: the last progress reported, `TIEP_NHAN_DON` once the order is taken.
    var resultState: String?
}

/// One order of the one-stop's list, checked: its facts and the day it was placed.
struct OneStopOrder: Sendable, Equatable {
    let dossierCode: String
    let facts: OrderFacts
    /// `NgayDatHang`'s day, when the list gives it: an order placed before a run's days may have reached the gateway
    /// within them.
    let placedOn: LocalDate?
}

/// The gateway's side of one order: its facts, and what the repairs need to know.
///
/// A class, as `GatewayDossier` is: a run moves every order of a range through the match's waiting table.
final class GatewayOrder: Sendable {
    let dossierCode: String
    let dossierId: Int64
    let facts: OrderFacts
    /// Some outbox message of this order is not delivered yet: a difference it explains is on its way.
    let hasUndeliveredMessages: Bool
    /// The one-stop refused a message of this order (it died of a 400, 404, 409 or 422): sent again, it would be refused again.
    let refusedByOneStop: Bool
    /// The outbox holds progress reports of this order to send again: a portal order's `TIEP_NHAN_DON` and every scan
    /// since. A counter's order has none until its first scan: call 6 gave the one-stop its number, while the clerk waited.
    let hasProgressReports: Bool

    init(
        dossierCode: String, dossierId: Int64, facts: OrderFacts, hasUndeliveredMessages: Bool, refusedByOneStop: Bool = false,
        hasProgressReports: Bool = true
    ) {
        self.dossierCode = dossierCode
        self.dossierId = dossierId
        self.facts = facts
        self.hasUndeliveredMessages = hasUndeliveredMessages
        self.refusedByOneStop = refusedByOneStop
        self.hasProgressReports = hasProgressReports
    }

    /// What its findings are keyed by in the ledger: the result item's number, which staff scan and search by.
    var trackingNumber: String { facts.resultNumber ?? dossierCode }
}
