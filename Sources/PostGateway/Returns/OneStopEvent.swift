import Foundation

/// A verified status callback from the one-stop (ONESTOP_API.md, "Calls from the one-stop"), checked field by field.
struct OneStopEvent: Sendable, Equatable {
    /// What the result is, sent with status 9 (`KetQua`).
    struct Result: Sendable, Equatable {
        let documentCount: Int
        /// Cash on delivery, in đồng.
        let cashOnDelivery: Int64
    }

    /// `MaBuuGui`: the dossier item's S10 number; nil for a dossier the post never carried (a result-only order),
    /// which the callback names by its `dossierCode` alone.
    let trackingNumber: TrackingNumber?
    let status: OneStopStatus
    let occurredAt: Date
    /// `MaHoSo`, once the one-stop has received the dossier.
    let dossierCode: String?
    /// `NgayHenTra`.
    let appointmentDate: LocalDate?
    /// `NoiDung`: the desk's words (a rejection's reason, the documents a supplement needs).
    let content: String?
    let result: Result?

    /// The only `Loai` this contract defines.
    static let statusType = "hoso.trangthai"
}
