import Foundation

/// The body of `POST /lgsp/bcci/hoso/{MaBuuGui}/ketqua` (ONESTOP_API.md §3): how the result's return is going; for a
/// result-only order the same body goes to `POST /lgsp/bcci/ketqua/{MaHoSo}` (§7). The one-stop deduplicates on the key,
/// `TrangThai` and `LanPhat`, so each scan that matters sends one.
struct ReturnProgress: Sendable, Equatable {
    enum State: String, Sendable {
        case pickedUp = "DA_NHAN_KET_QUA"
        case outForDelivery = "DANG_PHAT"
        case delivered = "DA_PHAT"
        case deliveryFailed = "PHAT_KHONG_THANH_CONG"
        case returnedToAgency = "DA_HOAN_TRA"
        /// A result-only order taken and its item number given (call 7 only): the one-stop shows the citizen the number.
        case orderTaken = "TIEP_NHAN_DON"

        /// The contract's word for a result item's event; transit scans (dispatched, arrived) and holding at
        /// the office are the post's own business.
        init?(_ event: ItemEventCode) {
            switch event {
            case .pickedUp: self = .pickedUp
            case .outForDelivery: self = .outForDelivery
            case .delivered: self = .delivered
            case .deliveryFailed: self = .deliveryFailed
            case .returnedToAgency: self = .returnedToAgency
            default: return nil
            }
        }
    }

    let resultNumber: String
    let state: State
    let at: Date
    /// `LanPhat`: the delivery attempt (1 for events outside a delivery round).
    let attempt: Int
    let note: String

    /// The frozen payload, canonical JSON like every outbox message.
    func json() -> String {
        JSONValue.object([
            "MaBuuGuiKetQua": .string(resultNumber), "TrangThai": .string(state.rawValue), "ThoiDiem": .string(LocalTime.compact(at)),
            "LanPhat": .integer(Int64(attempt)), "GhiChu": .string(note),
        ]).canonicalText
    }

    /// The attempt an event belongs to, from the item's earlier events: each `outForDelivery` opens the next
    /// round; a failure or a delivery belongs to the round it ends (a result collected at the office is round 1).
    static func attempt(of event: ItemEventCode, after earlier: [ItemEventCode]) -> Int {
        let rounds = earlier.filter { $0 == .outForDelivery }.count
        switch event {
        case .outForDelivery: return rounds + 1
        default: return max(rounds, 1)
        }
    }
}
