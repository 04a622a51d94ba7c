import Foundation

/// Where a result-only order was placed: on the public-service portal, at the desk (the one-stop's `KenhNop`), or at a
/// post office's counter with the appointment slip.
enum OrderChannel: String, Codable, Sendable, CaseIterable {
    case portal, desk, counter

    /// `KenhNop`: 1 at the desk, 2 online.
    init?(kenhNop: Int64) {
        switch kenhNop {
        case 1: self = .desk
        case 2: self = .portal
        default: return nil
        }
    }
}

/// An order to carry a result home, for a dossier the post never carried (ONESTOP_API.md v2, call 5's
/// `ketqua.dathang`): checked field by field, and against the desks and communes in force on the day it is read.
struct ResultOrder: Sendable, Equatable {
    struct Receiver: Sendable, Equatable {
        let name: String
        /// A mobile number in the ledger's one form (`ApplicantRules.normalisedMobile`).
        let phone: String
        let address: String
        /// The commune-level unit of the address, in force on the day of the order.
        let unitCode: String
    }

    /// `MaHoSo`: the key of every write about the order.
    let dossierCode: String
    let procedureCode: String
    let agencyCode: String
    let channel: OrderChannel
    /// `TrangThaiHoSo` when the order was sent: an order comes before the result (4) or with it (9).
    let status: OneStopStatus
    let appointmentDate: LocalDate?
    let occurredAt: Date
    let receiver: Receiver
    /// `KetQua`: what the result is and what to collect, once the desk knows; an order placed before the result is ready
    /// may come without it (its status 9 brings it).
    let result: OneStopEvent.Result?

    /// The `Loai` of an order and of each change to it.
    static let type = "ketqua.dathang"

    /// The callback's body as the ledger keeps it for ever: without the receiver, phone and address, which the order's
    /// dossier row holds (and erases with it when its time comes).
    static func keptBody(_ body: String) -> String {
        guard case .object(var fields)? = try? JSONValue(parsing: Data(body.utf8)) else { return body }
        for key in ["NguoiNhan", "SoDienThoai", "DiaChiNhanKetQua"] where fields[key] != nil { fields[key] = .string("(in the dossier row)") }
        return JSONValue.object(fields).canonicalText
    }

    /// Whether `other` asks for the same delivery: the fields a later order of the same `MaHoSo` may change.
    func sameDelivery(as other: ResultOrder) -> Bool { receiver == other.receiver }
}
