import Foundation
import GRDB
import Hummingbird

/// The sandbox's controls for contract v2: place an order as the portal would (call 5's callback follows), file a
/// dossier online or at the desk with no order yet (what a counter order names), move such a dossier as its desk, and
/// lose or change an order without a callback, to exercise reconciliation.
extension ControlController {
    func addResultOrderRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("ketqua", use: placeOrder)
        group.post("hosokhac", use: fileDossier)
        group.post("ketqua/{MaHoSo}/trangthai", use: moveOrder)
        group.delete("ketqua/{MaHoSo}", use: deleteOrder)
        group.patch("ketqua/{MaHoSo}", use: patchOrder)
    }

    /// Every bad field of a portal order at once.
    static func portalOrder(_ body: [String: Any]) -> Result<SandboxDatabase.PortalOrder, LGSPFieldErrors> {
        var fields = BodyFields(body)
        let maHoSo = fields.text("MaHoSo", { !$0.isEmpty && $0.count <= 50 }, "Mã hồ sơ từ 1 đến 50 ký tự")
        let maTTHC = fields.text("MaTTHC", { !$0.isEmpty && $0.count <= 50 }, "Thiếu mã thủ tục hành chính")
        let maCoQuan = fields.text("MaCoQuan", { !$0.isEmpty && $0.count <= 50 }, "Thiếu mã cơ quan")
        let kenhNop = fields.integer("KenhNop", { $0 == 1 || $0 == 2 }, "Kênh nộp phải là 1 (tại bộ phận một cửa) hoặc 2 (trực tuyến)")
        let status = fields.integer("TrangThaiHoSo", { (1...9).contains($0) }, "Trạng thái hồ sơ từ 1 đến 9")
        let appointment = fields.text("NgayHenTra", { $0.utf8.count == 8 && $0.allSatisfy(\.isNumber) }, "Ngày hẹn trả phải có dạng yyyyMMdd")
        let time = fields.text("ThoiDiem", LGSPController.isTimestamp, "Thời điểm phải có dạng yyyyMMddHHmmss")
        let name = fields.text("NguoiNhan", { !$0.isEmpty && $0.count <= 200 }, "Thiếu người nhận")
        let phone = fields.text("SoDienThoai", { !$0.isEmpty }, "Thiếu số điện thoại")
        let address = fields.text("DiaChiNhanKetQua", { !$0.isEmpty && $0.count <= 300 }, "Thiếu địa chỉ nhận kết quả")
        let unit = fields.text("MaDonViHanhChinh", LGSPController.isUnitCode, "Mã đơn vị hành chính cấp xã gồm 5 chữ số")
        let result = body["KetQua"] as? [String: Any]
        if result == nil { fields.note("KetQua", "Thiếu thông tin kết quả") }
        let documents = fields.integer(
            "KetQua.SoLuongGiayTo", value: result?["SoLuongGiayTo"] ?? 1, { $0 >= 1 }, "Số lượng giấy tờ là số nguyên dương")
        let cash = fields.integer(
            "KetQua.TienThuKhiPhat", value: result?["TienThuKhiPhat"] ?? 0, { $0 >= 0 }, "Tiền thu khi phát là số nguyên không âm")
        let postagePaid = result?["CuocDaThanhToan"] as? Bool ?? false
        guard fields.errors.isEmpty else { return .failure(LGSPFieldErrors(fields: fields.errors)) }
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

extension ControlController {
    /// Loses an order, with the dossier it is of and its progress, as a one-stop that never recorded it would.
    @Sendable func deleteOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try await deleteRow(from: "donKetQua", key: "MaHoSo", try context.parameters.require("MaHoSo"))
    }

    /// Overwrites columns of call 8's list (`TrangThaiHoSo`, `MaBuuGuiKetQua`, `TienThuKhiPhat`, `TrangThaiKetQua`,
    /// `MaCoQuan`, `NgayHenTra`, `NgayDatHang`) without callbacks: a ledger of orders that disagrees. The progress log is
    /// what makes a report sent again a replay, so it goes with what it recorded: `MaBuuGuiKetQua: null` or
    /// `TrangThaiKetQua: null` loses every report, as a one-stop that never got the TIEP_NHAN_DON; another
    /// `TrangThaiKetQua` loses the reports of every other state, as one that missed the later reports.
    @Sendable func patchOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let maHoSo = try context.parameters.require("MaHoSo")
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        let losesProgress = body["MaBuuGuiKetQua"] is NSNull || body["TrangThaiKetQua"] is NSNull
        let shownState = body["TrangThaiKetQua"] as? String
        return try await patchRow(
            body, of: "donKetQua", key: "MaHoSo", maHoSo,
            columns: ["TrangThaiHoSo", "MaBuuGuiKetQua", "TienThuKhiPhat", "TrangThaiKetQua", "MaCoQuan", "NgayHenTra", "NgayDatHang"]
        ) { db in
            if losesProgress {
                try db.execute(sql: "DELETE FROM tienDoDon WHERE MaHoSo = ?", arguments: [maHoSo])
            } else if let shownState {
                try db.execute(sql: "DELETE FROM tienDoDon WHERE MaHoSo = ? AND TrangThai != ?", arguments: [maHoSo, shownState])
            }
        }
    }
}

/// The fields a body got wrong, in the contract's `Loi` list.
struct LGSPFieldErrors: Error {
    let fields: [(String, String)]
}
