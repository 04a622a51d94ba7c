import Foundation

/// One row of the one-stop's list of result orders (call 8): the other half of reconciling service 2.
struct OneStopOrderRow: Sendable, Equatable {
    var maHoSo: String
    var maBuuGuiKetQua: String?
    var maCoQuan: String?
    var trangThaiHoSo: Int64?
    var tienThuKhiPhat: Int64?
    var trangThaiKetQua: String?
    /// When the order was placed, `yyyyMMddHHmmss` local time: the list is by this day, and the gateway takes an order a
    /// moment (or, behind a retried callback, days) after it.
    var ngayDatHang: String?
}
