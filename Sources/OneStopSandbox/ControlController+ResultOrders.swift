import Foundation
import Hummingbird

/// The sandbox's controls for contract v2: place an order as the portal would (call 5's callback follows), file a
/// dossier online or at the desk with no order yet (what a counter order names), and move such a dossier as its desk.
extension ControlController {
    func addResultOrderRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("ketqua", use: placeOrder)
        group.post("hosokhac", use: fileDossier)
        group.post("ketqua/{MaHoSo}/trangthai", use: moveOrder)
    }

    /// Every bad field of a portal order at once.
    static func portalOrder(_ body: [String: Any]) -> Result<SandboxDatabase.PortalOrder, LGSPFieldErrors> {
        var errors: [(String, String)] = []
        func text(_ key: String, _ check: (String) -> Bool, _ message: String) -> String {
            guard let value = body[key] as? String, check(value) else {
                errors.append((key, message))
                return ""
            }
            return value
        }
        func integer(_ value: Any?, _ key: String, _ allowed: (Int64) -> Bool, _ message: String) -> Int64 {
            guard let number = LGSPResponse.integer(value), allowed(number) else {
                errors.append((key, message))
                return 0
            }
            return number
        }
        let maHoSo = text("MaHoSo", { !$0.isEmpty && $0.count <= 50 }, "Mã hồ sơ từ 1 đến 50 ký tự")
        let maTTHC = text("MaTTHC", { !$0.isEmpty && $0.count <= 50 }, "Thiếu mã thủ tục hành chính")
        let maCoQuan = text("MaCoQuan", { !$0.isEmpty && $0.count <= 50 }, "Thiếu mã cơ quan")
        let kenhNop = integer(body["KenhNop"], "KenhNop", { $0 == 1 || $0 == 2 }, "Kênh nộp phải là 1 (tại bộ phận một cửa) hoặc 2 (trực tuyến)")
        let status = integer(body["TrangThaiHoSo"], "TrangThaiHoSo", { (1...9).contains($0) }, "Trạng thái hồ sơ từ 1 đến 9")
        let appointment = text("NgayHenTra", { $0.utf8.count == 8 && $0.allSatisfy(\.isNumber) }, "Ngày hẹn trả phải có dạng yyyyMMdd")
        let time = text("ThoiDiem", LGSPController.isTimestamp, "Thời điểm phải có dạng yyyyMMddHHmmss")
        let name = text("NguoiNhan", { !$0.isEmpty && $0.count <= 200 }, "Thiếu người nhận")
        let phone = text("SoDienThoai", { !$0.isEmpty }, "Thiếu số điện thoại")
        let address = text("DiaChiNhanKetQua", { !$0.isEmpty && $0.count <= 300 }, "Thiếu địa chỉ nhận kết quả")
        let unit = text("MaDonViHanhChinh", LGSPController.isUnitCode, "Mã đơn vị hành chính cấp xã gồm 5 chữ số")
        let result = body["KetQua"] as? [String: Any]
        if result == nil { errors.append(("KetQua", "Thiếu thông tin kết quả")) }
        let documents = integer(result?["SoLuongGiayTo"] ?? 1, "KetQua.SoLuongGiayTo", { $0 >= 1 }, "Số lượng giấy tờ là số nguyên dương")
        let cash = integer(result?["TienThuKhiPhat"] ?? 0, "KetQua.TienThuKhiPhat", { $0 >= 0 }, "Tiền thu khi phát là số nguyên không âm")
        let postagePaid = result?["CuocDaThanhToan"] as? Bool ?? false
        guard errors.isEmpty else { return .failure(LGSPFieldErrors(fields: errors)) }
        return .success(
            .init(
                maHoSo: maHoSo, maTTHC: maTTHC, maCoQuan: maCoQuan, kenhNop: Int(kenhNop), trangThaiHoSo: Int(status), ngayHenTra: appointment,
                thoiDiem: time, nguoiNhan: name, soDienThoai: phone, diaChi: address, maDonViHanhChinh: unit, soLuongGiayTo: Int(documents),
                tienThuKhiPhat: cash, cuocDaThanhToan: postagePaid))
    }

    @Sendable func placeOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        switch Self.portalOrder(body) {
        case .failure(let errors): return LGSPResponse.error(.badRequest, "Đơn không hợp lệ", fields: errors.fields)
        case .success(let order):
            let answer: [String: Any] = ["MaLoi": "0", "MoTa": "Đã đặt trả kết quả qua bưu chính", "MaHoSo": order.maHoSo]
            switch try await database.placePortalOrder(order, now: clock()) {
            case .placed: return LGSPResponse.json(.created, answer)
            case .changed, .unchanged: return LGSPResponse.json(.ok, answer)
            case .pickedUp: return LGSPResponse.error(.conflict, "Bưu điện đã nhận kết quả: không đổi được địa chỉ, hãy liên hệ bưu cục")
            }
        }
    }

    @Sendable func fileDossier(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        let maTTHC = body["MaTTHC"] as? String ?? ""
        let maCoQuan = body["MaCoQuan"] as? String ?? ""
        let kenhNop = LGSPResponse.integer(body["KenhNop"] ?? 2) ?? 0
        let owed = LGSPResponse.integer(body["LePhiConNo"] ?? 0) ?? -1
        var errors: [(String, String)] = []
        if maTTHC.isEmpty || maTTHC.count > 50 { errors.append(("MaTTHC", "Thiếu mã thủ tục hành chính")) }
        if maCoQuan.isEmpty || maCoQuan.count > 30 { errors.append(("MaCoQuan", "Thiếu mã cơ quan")) }
        if kenhNop != 1 && kenhNop != 2 { errors.append(("KenhNop", "Kênh nộp phải là 1 hoặc 2")) }
        if owed < 0 { errors.append(("LePhiConNo", "Lệ phí còn nợ là số nguyên không âm")) }
        guard errors.isEmpty else { return LGSPResponse.error(.badRequest, "Hồ sơ không hợp lệ", fields: errors) }
        let maHoSo = try await database.fileDossier(maTTHC: maTTHC, maCoQuan: maCoQuan, kenhNop: Int(kenhNop), lePhiConNo: owed, now: clock())
        return LGSPResponse.json(.created, ["MaLoi": "0", "MoTa": "Đã tiếp nhận hồ sơ", "MaHoSo": maHoSo])
    }

    @Sendable func moveOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let maHoSo = try context.parameters.require("MaHoSo")
        guard let body = try await LGSPResponse.object(request), let status = LGSPResponse.integer(body["TrangThaiHoSo"]), (1...10).contains(status)
        else { return LGSPResponse.error(.badRequest, "TrangThaiHoSo phải từ 1 đến 10", fields: [("TrangThaiHoSo", "1–10")]) }
        let moved = try await database.changeOrderStatus(maHoSo: maHoSo, to: Int(status), content: body["NoiDung"] as? String ?? "", now: clock())
        return moved
            ? LGSPResponse.json(.ok, ["MaLoi": "0", "MoTa": "Đã chuyển trạng thái", "MaHoSo": maHoSo, "TrangThaiHoSo": status])
            : LGSPResponse.error(.notFound, "Không có hồ sơ này")
    }
}

/// The fields a body got wrong, in the contract's `Loi` list.
struct LGSPFieldErrors: Error {
    let fields: [(String, String)]
}
