import Foundation
import Hummingbird

/// The contract's routes (ONESTOP_API.md, calls from the gateway), as a one-stop system would answer them.
struct LGSPController: Sendable {
    let database: SandboxDatabase
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("hoso", use: register)
        group.get("hoso", use: list)
        group.post("hoso/{MaBuuGui}/bangiao", use: handover)
        group.post("hoso/{MaBuuGui}/ketqua", use: returnProgress)
        addResultOrderRoutes(to: group)
    }

    /// Every bad field at once, in the contract's `Loi` list.
    static func validateRegistration(_ body: [String: Any]) -> [(String, String)] {
        var fields = BodyFields(body)
        fields.text("MaBuuGui", isItemNumber, "Số hiệu bưu gửi không đúng định dạng S10")
        fields.text("MaTTHC", { !$0.isEmpty && $0.count <= 50 }, "Thiếu mã thủ tục hành chính")
        fields.text("MaCoQuan", { !$0.isEmpty && $0.count <= 50 }, "Thiếu mã cơ quan")
        fields.integer("KenhThucHien", { $0 == 3 }, "Kênh thực hiện phải là 3 (bưu chính công ích)")
        fields.integer("LoaiDichVu", { $0 == 1 || $0 == 3 }, "Loại dịch vụ phải là 1 hoặc 3")
        fields.text("ChuHoSo", { !$0.isEmpty && $0.count <= 200 }, "Thiếu tên chủ hồ sơ")
        fields.text("SoGiayTo", { $0.count == 12 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }, "Số giấy tờ phải gồm 12 chữ số")
        fields.text("SoDienThoai", { !$0.isEmpty }, "Thiếu số điện thoại")
        fields.text("DiaChi", { !$0.isEmpty }, "Thiếu địa chỉ")
        fields.integer("HinhThucTraKetQua", { $0 == 0 || $0 == 1 }, "Hình thức trả kết quả phải là 0 hoặc 1")
        fields.integer("LePhi", { $0 >= 0 }, "Lệ phí phải là số nguyên không âm")
        fields.text("NgayGui", { $0.count == 14 && $0.allSatisfy(\.isNumber) }, "Ngày gửi phải có dạng yyyyMMddHHmmss")
        if let documents = body["DanhSachGiayTo"] as? [[String: Any]], !documents.isEmpty {
            for (index, document) in documents.enumerated()
            where (document["TenGiayTo"] as? String)?.isEmpty != false
                || ![1, 2, 3].contains(LGSPResponse.integer(document["LoaiBan"]) ?? 0)
            {
                fields.note("DanhSachGiayTo[\(index)]", "Giấy tờ thiếu tên hoặc sai loại bản")
            }
        } else {
            fields.note("DanhSachGiayTo", "Danh sách giấy tờ không được rỗng")
        }
        return fields.errors
    }

    static func isItemNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 13, bytes[0...1].allSatisfy({ (65...90).contains($0) }), bytes[2...10].allSatisfy({ (48...57).contains($0) }),
            bytes[11] == UInt8(ascii: "V"), bytes[12] == UInt8(ascii: "N")
        else { return false }
        let weights = [8, 6, 4, 2, 3, 5, 9, 7]
        let sum = zip(bytes[2...9], weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        let check = 11 - sum % 11
        return Int(bytes[10] - 48) == (check == 10 ? 0 : check == 11 ? 5 : check)
    }

    @Sendable func register(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let raw = try await request.body.collect(upTo: 1 << 20)
        guard let body = try? JSONSerialization.jsonObject(with: Data(raw.readableBytesView)) as? [String: Any] else {
            return LGSPResponse.error(.badRequest, "Nội dung không phải JSON")
        }
        let errors = Self.validateRegistration(body)
        guard errors.isEmpty else { return LGSPResponse.error(.badRequest, "Hồ sơ không hợp lệ", fields: errors) }
        let maBuuGui = body["MaBuuGui"] as! String
        let registration = SandboxDatabase.Registration(
            maBuuGui: maBuuGui, maTTHC: body["MaTTHC"] as! String, maCoQuan: body["MaCoQuan"] as! String,
            lePhi: (body["LePhi"] as! NSNumber).int64Value, ngayGui: body["NgayGui"] as! String,
            payload: String(decoding: raw.readableBytesView, as: UTF8.self))
        let answer: [String: Any] = ["MaLoi": "0", "MoTa": "Đã đăng ký", "MaBuuGui": maBuuGui, "TrangThaiHoSo": 1]
        switch try await database.register(registration, now: clock()) {
        case .registered: return LGSPResponse.json(.created, answer)
        case .replayed: return LGSPResponse.json(.ok, answer)
        case .conflict: return LGSPResponse.error(.conflict, "Số hiệu bưu gửi đã được đăng ký với nội dung khác")
        }
    }

    @Sendable func handover(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let maBuuGui = try context.parameters.require("MaBuuGui")
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        var errors: [(String, String)] = []
        let soBienBan = body["SoBienBan"] as? String ?? ""
        let thoiDiem = body["ThoiDiemBanGiao"] as? String ?? ""
        let nguoiNhan = body["NguoiNhan"] as? String ?? ""
        if soBienBan.isEmpty { errors.append(("SoBienBan", "Thiếu số biên bản")) }
        if thoiDiem.count != 14 || !thoiDiem.allSatisfy(\.isNumber) { errors.append(("ThoiDiemBanGiao", "Thời điểm phải có dạng yyyyMMddHHmmss")) }
        if nguoiNhan.isEmpty { errors.append(("NguoiNhan", "Thiếu người nhận")) }
        guard errors.isEmpty else { return LGSPResponse.error(.badRequest, "Biên bản không hợp lệ", fields: errors) }
        switch try await database.recordHandover(maBuuGui: maBuuGui, soBienBan: soBienBan, thoiDiem: thoiDiem, nguoiNhan: nguoiNhan, now: clock()) {
        case .recorded, .replayed: return LGSPResponse.json(.ok, ["MaLoi": "0", "MoTa": "Đã ghi nhận bàn giao", "MaBuuGui": maBuuGui])
        case .notFound: return LGSPResponse.error(.notFound, "Chưa đăng ký hồ sơ này")
        case .conflict: return LGSPResponse.error(.conflict, "Đã ghi nhận một biên bản bàn giao khác")
        }
    }

    static let returnStates: Set<String> = ["DA_NHAN_KET_QUA", "DANG_PHAT", "DA_PHAT", "PHAT_KHONG_THANH_CONG", "DA_HOAN_TRA"]

    @Sendable func returnProgress(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let maBuuGui = try context.parameters.require("MaBuuGui")
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        var errors: [(String, String)] = []
        let resultNumber = body["MaBuuGuiKetQua"] as? String ?? ""
        let state = body["TrangThai"] as? String ?? ""
        let time = body["ThoiDiem"] as? String ?? ""
        let attempt = (body["LanPhat"] as? NSNumber)?.intValue ?? -1
        if !Self.isItemNumber(resultNumber) { errors.append(("MaBuuGuiKetQua", "Số hiệu bưu gửi kết quả không đúng định dạng")) }
        if !Self.returnStates.contains(state) { errors.append(("TrangThai", "Trạng thái không hợp lệ")) }
        if time.count != 14 || !time.allSatisfy(\.isNumber) { errors.append(("ThoiDiem", "Thời điểm phải có dạng yyyyMMddHHmmss")) }
        if attempt < 0 { errors.append(("LanPhat", "Lần phát phải là số nguyên không âm")) }
        guard errors.isEmpty else { return LGSPResponse.error(.badRequest, "Tiến độ không hợp lệ", fields: errors) }
        switch try await database.recordReturnProgress(
            maBuuGui: maBuuGui, resultNumber: resultNumber, state: state, attempt: attempt,
            time: time, note: body["GhiChu"] as? String ?? "", now: clock())
        {
        case .recorded, .replayed, .conflict: return LGSPResponse.json(.ok, ["MaLoi": "0", "MoTa": "Đã ghi nhận", "MaBuuGui": maBuuGui])
        case .notFound: return LGSPResponse.error(.notFound, "Chưa đăng ký hồ sơ này")
        }
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query: ListQuery
        switch ListQuery.parse(request) {
        case .failure(let errors): return LGSPResponse.error(.badRequest, "Tham số không hợp lệ", fields: errors.fields)
        case .success(let parsed): query = parsed
        }
        let page = try await database.listPage(fromDay: query.fromDay, toDay: query.toDay, after: query.after, limit: query.pageSize)
        return LGSPResponse.json(.ok, ListJSON.page(page))
    }
}

/// The query of the contract's lists (calls 4 and 8): a day range, a page size and where the last page stopped.
struct ListQuery {
    let fromDay: String
    let toDay: String
    let pageSize: Int
    let after: SandboxDatabase.ListPosition?

    /// Every bad parameter at once.
    static func parse(_ request: Request) -> Result<ListQuery, LGSPFieldErrors> {
        let query = request.uri.queryParameters
        let isDay = { (text: Substring?) in text.map { $0.count == 8 && $0.allSatisfy(\.isNumber) } ?? false }
        var errors: [(String, String)] = []
        if !isDay(query["TuNgay"]) { errors.append(("TuNgay", "Ngày phải có dạng yyyyMMdd")) }
        if !isDay(query["DenNgay"]) { errors.append(("DenNgay", "Ngày phải có dạng yyyyMMdd")) }
        let pageSize = query["SoBanGhi"].map { Int($0) ?? -1 } ?? 500
        if !(1...1000).contains(pageSize) { errors.append(("SoBanGhi", "Số bản ghi từ 1 đến 1000")) }
        var after: SandboxDatabase.ListPosition?
        if let cursor = query["TiepTheo"], !cursor.isEmpty {
            after = SandboxDatabase.ListPosition(cursor: cursor)
            if after == nil { errors.append(("TiepTheo", "Con trỏ không hợp lệ")) }
        }
        guard errors.isEmpty, let from = query["TuNgay"], let to = query["DenNgay"] else { return .failure(LGSPFieldErrors(fields: errors)) }
        return .success(ListQuery(fromDay: String(from), toDay: String(to), pageSize: pageSize, after: after))
    }
}
