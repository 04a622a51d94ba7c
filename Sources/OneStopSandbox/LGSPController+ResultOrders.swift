import Foundation
import Hummingbird

/// Contract v2's calls from the gateway about result-only orders: register a counter order (6), report progress (7),
/// list orders (8).
extension LGSPController {
    func addResultOrderRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("ketqua", use: registerCounterOrder)
        group.post("ketqua/{MaHoSo}", use: orderProgress)
        group.get("ketqua", use: listOrders)
    }

    /// The commune-level unit code of an address since 2025: five digits.
    static func isUnitCode(_ text: String) -> Bool { text.utf8.count == 5 && text.utf8.allSatisfy { (48...57).contains($0) } }

    static func isTimestamp(_ text: String) -> Bool { text.utf8.count == 14 && text.utf8.allSatisfy { (48...57).contains($0) } }

    @Sendable func registerCounterOrder(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let raw = try await request.body.collect(upTo: 1 << 20)
        guard let body = try? JSONSerialization.jsonObject(with: Data(raw.readableBytesView)) as? [String: Any] else {
            return LGSPResponse.error(.badRequest, "Nội dung không phải JSON")
        }
        var fields = BodyFields(body)
        let maHoSo = fields.text("MaHoSo", { !$0.isEmpty && $0.count <= 50 }, "Mã hồ sơ từ 1 đến 50 ký tự")
        let number = fields.text("MaBuuGuiKetQua", Self.isItemNumber, "Số hiệu bưu gửi kết quả không đúng định dạng S10")
        let name = fields.text("NguoiNhan", { !$0.isEmpty && $0.count <= 200 }, "Thiếu người nhận")
        let phone = fields.text("SoDienThoai", { !$0.isEmpty }, "Thiếu số điện thoại")
        let address = fields.text("DiaChiNhanKetQua", { !$0.isEmpty && $0.count <= 300 }, "Thiếu địa chỉ nhận kết quả")
        let unit = fields.text("MaDonViHanhChinh", Self.isUnitCode, "Mã đơn vị hành chính cấp xã gồm 5 chữ số")
        let day = fields.text("NgayDangKy", Self.isTimestamp, "Ngày đăng ký phải có dạng yyyyMMddHHmmss")
        guard fields.errors.isEmpty else { return LGSPResponse.error(.badRequest, "Đơn không hợp lệ", fields: fields.errors) }
        let order = SandboxDatabase.CounterOrder(
            maHoSo: maHoSo, maBuuGuiKetQua: number, nguoiNhan: name, soDienThoai: phone, diaChi: address, maDonViHanhChinh: unit,
            ngayDangKy: day, payload: String(decoding: raw.readableBytesView, as: UTF8.self))
        func answer(_ fields: [String: String]) -> [String: Any] {
            [
                "MaLoi": "0", "MoTa": "Đã đăng ký đơn trả kết quả", "MaHoSo": fields["MaHoSo"]!, "MaCoQuan": fields["MaCoQuan"]!,
                "MaTTHC": fields["MaTTHC"]!, "TrangThaiHoSo": Int(fields["TrangThaiHoSo"]!)!, "NgayHenTra": fields["NgayHenTra"]!,
                "LePhiConNo": Int64(fields["LePhiConNo"]!)!,
            ]
        }
        switch try await database.registerCounterOrder(order, now: clock()) {
        case .registered(let fields): return LGSPResponse.json(.created, answer(fields))
        case .replayed(let fields): return LGSPResponse.json(.ok, answer(fields))
        case .notFound: return LGSPResponse.error(.notFound, "Không có hồ sơ mã \(maHoSo)")
        case .alreadyOrdered: return LGSPResponse.error(.conflict, "Hồ sơ này đã có đơn trả kết quả qua bưu chính")
        case .alreadyReturned: return LGSPResponse.error(.conflict, "Kết quả của hồ sơ này đã được trả")
        }
    }

    static let orderStates = returnStates.union(["TIEP_NHAN_DON"])

    @Sendable func orderProgress(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let maHoSo = try context.parameters.require("MaHoSo")
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        var errors: [(String, String)] = []
        let resultNumber = body["MaBuuGuiKetQua"] as? String ?? ""
        let state = body["TrangThai"] as? String ?? ""
        let time = body["ThoiDiem"] as? String ?? ""
        let attempt = LGSPResponse.integer(body["LanPhat"]).map(Int.init) ?? -1
        if !Self.isItemNumber(resultNumber) { errors.append(("MaBuuGuiKetQua", "Số hiệu bưu gửi kết quả không đúng định dạng")) }
        if !Self.orderStates.contains(state) { errors.append(("TrangThai", "Trạng thái không hợp lệ")) }
        if !Self.isTimestamp(time) { errors.append(("ThoiDiem", "Thời điểm phải có dạng yyyyMMddHHmmss")) }
        if attempt < 0 { errors.append(("LanPhat", "Lần phát phải là số nguyên không âm")) }
        guard errors.isEmpty else { return LGSPResponse.error(.badRequest, "Tiến độ không hợp lệ", fields: errors) }
        switch try await database.recordOrderProgress(
            maHoSo: maHoSo, resultNumber: resultNumber, state: state, attempt: attempt, time: time, note: body["GhiChu"] as? String ?? "",
            now: clock())
        {
        case .recorded, .replayed: return LGSPResponse.json(.ok, ["MaLoi": "0", "MoTa": "Đã ghi nhận", "MaHoSo": maHoSo])
        case .conflict: return LGSPResponse.error(.conflict, "Đơn này đã có số hiệu bưu gửi kết quả khác")
        case .notFound: return LGSPResponse.error(.notFound, "Không có đơn trả kết quả cho hồ sơ này")
        }
    }

    @Sendable func listOrders(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query: ListQuery
        switch ListQuery.parse(request) {
        case .failure(let errors): return LGSPResponse.error(.badRequest, "Tham số không hợp lệ", fields: errors.fields)
        case .success(let parsed): query = parsed
        }
        let page = try await database.orderPage(fromDay: query.fromDay, toDay: query.toDay, after: query.after, limit: query.pageSize)
        return LGSPResponse.json(.ok, ByteBuffer(bytes: SandboxDatabase.orderJSON(page)))
    }
}
