import Foundation
import GRDB

/// Contract v2: dossiers filed online or at the desk (a `MaHoSo`, no `MaBuuGui`) and the orders to deliver their
/// results by post, placed on the portal (call 5, a `ketqua.dathang` callback) or at a post office (call 6).
extension SandboxDatabase {
    /// What the portal sends when a citizen asks for delivery by post (the body of call 5 without `Loai`).
    struct PortalOrder: Sendable {
        let maHoSo: String
        let maTTHC: String
        let maCoQuan: String
        let kenhNop: Int
        let trangThaiHoSo: Int
        let ngayHenTra: String
        let thoiDiem: String
        let nguoiNhan: String
        let soDienThoai: String
        let diaChi: String
        let maDonViHanhChinh: String
        let soLuongGiayTo: Int
        let tienThuKhiPhat: Int64
        let cuocDaThanhToan: Bool
    }

    enum PortalOrderOutcome: Equatable { case placed, changed, unchanged, pickedUp }

    /// An order placed (or its address or phone changed) on the portal: the signed callback is queued in the same
    /// transaction. Once the post has picked the result up, a change is refused: the desk must ask the post office.
    func placePortalOrder(_ order: PortalOrder, now: Date) async throws -> PortalOrderOutcome {
        try await writer.write { db in
            let existing = try Row.fetchOne(
                db, sql: "SELECT NguoiNhan, SoDienThoai, DiaChiNhanKetQua, MaDonViHanhChinh, TrangThaiKetQua FROM donKetQua WHERE MaHoSo = ?",
                arguments: [order.maHoSo])
            let outcome: PortalOrderOutcome
            if let existing {
                let same =
                    existing["NguoiNhan"] == order.nguoiNhan && existing["SoDienThoai"] == order.soDienThoai
                    && existing["DiaChiNhanKetQua"] == order.diaChi && existing["MaDonViHanhChinh"] == order.maDonViHanhChinh
                if same { return .unchanged }
                if let state: String = existing["TrangThaiKetQua"], state != "TIEP_NHAN_DON" { return .pickedUp }
                try db.execute(
                    sql: "UPDATE donKetQua SET NguoiNhan = ?, SoDienThoai = ?, DiaChiNhanKetQua = ?, MaDonViHanhChinh = ? WHERE MaHoSo = ?",
                    arguments: [order.nguoiNhan, order.soDienThoai, order.diaChi, order.maDonViHanhChinh, order.maHoSo])
                outcome = .changed
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO donKetQua (MaHoSo, MaTTHC, MaCoQuan, KenhNop, TrangThaiHoSo, NgayHenTra, NguoiNhan, SoDienThoai,
                            DiaChiNhanKetQua, MaDonViHanhChinh, SoLuongGiayTo, TienThuKhiPhat, CuocDaThanhToan, nguonDon, NgayDatHang,
                            statusChangedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'portal', ?, ?)
                        """,
                    arguments: [
                        order.maHoSo, order.maTTHC, order.maCoQuan, order.kenhNop, order.trangThaiHoSo, order.ngayHenTra, order.nguoiNhan,
                        order.soDienThoai, order.diaChi, order.maDonViHanhChinh, order.soLuongGiayTo, order.tienThuKhiPhat,
                        order.cuocDaThanhToan, order.thoiDiem, Self.sqlDate(now),
                    ])
                outcome = .placed
            }
            let body: [String: Any] = [
                "Loai": "ketqua.dathang", "MaHoSo": order.maHoSo, "MaTTHC": order.maTTHC, "MaCoQuan": order.maCoQuan, "KenhNop": order.kenhNop,
                "TrangThaiHoSo": order.trangThaiHoSo, "NgayHenTra": order.ngayHenTra, "ThoiDiem": order.thoiDiem,
                "NguoiNhan": order.nguoiNhan, "SoDienThoai": order.soDienThoai, "DiaChiNhanKetQua": order.diaChi,
                "MaDonViHanhChinh": order.maDonViHanhChinh,
                "KetQua": [
                    "SoLuongGiayTo": order.soLuongGiayTo, "TienThuKhiPhat": order.tienThuKhiPhat, "CuocDaThanhToan": order.cuocDaThanhToan,
                ] as [String: Any],
            ]
            try Self.queueCallback(body, about: order.maHoSo, now: now, in: db)
            return outcome
        }
    }

    /// A dossier filed online or at the desk, without an order yet (a sandbox control): what a citizen's appointment slip
    /// names when they bring it to a post office. Answers its new MaHoSo.
    func fileDossier(maTTHC: String, maCoQuan: String, kenhNop: Int, lePhiConNo: Int64, now: Date) async throws -> String {
        try await writer.write { db in
            let maHoSo = try Self.nextMaHoSo(maCoQuan: maCoQuan, now: now, in: db)
            try db.execute(
                sql: """
                    INSERT INTO donKetQua (MaHoSo, MaTTHC, MaCoQuan, KenhNop, TrangThaiHoSo, NgayHenTra, LePhiConNo, statusChangedAt)
                    VALUES (?, ?, ?, ?, 4, ?, ?, ?)
                    """,
                arguments: [maHoSo, maTTHC, maCoQuan, kenhNop, Self.appointment(after: now, workingDays: 5), lePhiConNo, Self.sqlDate(now)])
            return maHoSo
        }
    }

    /// The desk's next mã hồ sơ of the day: `<MaCoQuan>-<yyMMdd>-<sequence>`.
    static func nextMaHoSo(maCoQuan: String, now: Date, in db: Database) throws -> String {
        let day = String(LGSPResponse.timestamp(now).prefix(8))
        let sequence = try Int.fetchOne(
            db,
            sql: "INSERT INTO daySequence (MaCoQuan, day, last) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last",
            arguments: [maCoQuan, day])!
        let digits = String(sequence)
        return "\(maCoQuan)-\(day.dropFirst(2))-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Call 6's body.
    struct CounterOrder: Sendable {
        let maHoSo: String
        let maBuuGuiKetQua: String
        let nguoiNhan: String
        let soDienThoai: String
        let diaChi: String
        let maDonViHanhChinh: String
        let ngayDangKy: String
        /// The body as received: a replay is compared by content.
        let payload: String
    }

    enum CounterOrderOutcome: Equatable {
        case registered([String: String])
        case replayed([String: String])
        case notFound, alreadyOrdered, alreadyReturned
    }

    /// Call 6: an order taken at a post office's counter, answered with what the one-stop knows of the dossier.
    func registerCounterOrder(_ order: CounterOrder, now: Date) async throws -> CounterOrderOutcome {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM donKetQua WHERE MaHoSo = ?", arguments: [order.maHoSo]) else {
                return .notFound
            }
            let answer: [String: String] = [
                "MaHoSo": row["MaHoSo"], "MaCoQuan": row["MaCoQuan"], "MaTTHC": row["MaTTHC"],
                "NgayHenTra": row["NgayHenTra"] ?? "", "TrangThaiHoSo": String(row["TrangThaiHoSo"] as Int),
                "LePhiConNo": String(row["LePhiConNo"] as Int64),
            ]
            if let payload: String = row["payloadDon"] {
                return Self.sameContent(payload, order.payload) ? .replayed(answer) : .alreadyOrdered
            }
            if row["NguoiNhan"] as String? != nil { return .alreadyOrdered }
            if (row["TrangThaiHoSo"] as Int) == 10 { return .alreadyReturned }
            try db.execute(
                sql: """
                    UPDATE donKetQua SET NguoiNhan = ?, SoDienThoai = ?, DiaChiNhanKetQua = ?, MaDonViHanhChinh = ?, MaBuuGuiKetQua = ?,
                        TrangThaiKetQua = 'TIEP_NHAN_DON', nguonDon = 'counter', NgayDatHang = ?, payloadDon = ?,
                        TienThuKhiPhat = LePhiConNo
                    WHERE MaHoSo = ?
                    """,
                arguments: [
                    order.nguoiNhan, order.soDienThoai, order.diaChi, order.maDonViHanhChinh, order.maBuuGuiKetQua, order.ngayDangKy,
                    order.payload, order.maHoSo,
                ])
            return .registered(answer)
        }
    }

    /// Call 7: progress of a result-only item, idempotent on (MaHoSo, TrangThai, LanPhat); `TIEP_NHAN_DON` gives the
    /// one-stop the item number, `DA_PHAT` moves the dossier to 10 (with its callback).
    func recordOrderProgress(
        maHoSo: String, resultNumber: String, state: String, attempt: Int, time: String, note: String, now: Date
    ) async throws -> WriteOutcome {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT NguoiNhan, MaBuuGuiKetQua FROM donKetQua WHERE MaHoSo = ?", arguments: [maHoSo]),
                row["NguoiNhan"] as String? != nil
            else { return .notFound }
            if let known: String = row["MaBuuGuiKetQua"], known != resultNumber { return .conflict }
            try db.execute(
                sql: """
                    INSERT INTO tienDoDon (MaHoSo, TrangThai, LanPhat, MaBuuGuiKetQua, ThoiDiem, GhiChu) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """, arguments: [maHoSo, state, attempt, resultNumber, time, note])
            guard db.changesCount > 0 else { return .replayed }
            try db.execute(
                sql: "UPDATE donKetQua SET MaBuuGuiKetQua = ?, TrangThaiKetQua = ? WHERE MaHoSo = ?", arguments: [resultNumber, state, maHoSo])
            if state == "DA_PHAT" {
                _ = try Self.changeOrderStatus(maHoSo: maHoSo, to: 10, content: "Đã trả kết quả qua bưu chính", now: now, in: db)
            }
            return .recorded
        }
    }

    /// A desk's move of such a dossier: the `hoso.trangthai` callback names the MaHoSo and no MaBuuGui, and status 9
    /// carries the order's documents count and cash to collect.
    func changeOrderStatus(maHoSo: String, to status: Int, content: String, now: Date) async throws -> Bool {
        try await writer.write { db in try Self.changeOrderStatus(maHoSo: maHoSo, to: status, content: content, now: now, in: db) }
    }

    static func changeOrderStatus(maHoSo: String, to status: Int, content: String, now: Date, in db: Database) throws -> Bool {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT NgayHenTra, SoLuongGiayTo, TienThuKhiPhat FROM donKetQua WHERE MaHoSo = ?", arguments: [maHoSo])
        else { return false }
        try db.execute(
            sql: "UPDATE donKetQua SET TrangThaiHoSo = ?, statusChangedAt = ? WHERE MaHoSo = ?", arguments: [status, sqlDate(now), maHoSo])
        var body: [String: Any] = [
            "Loai": "hoso.trangthai", "MaHoSo": maHoSo, "TrangThaiHoSo": status, "ThoiDiem": LGSPResponse.timestamp(now),
            "NgayHenTra": (row["NgayHenTra"] as String?) ?? NSNull(), "NoiDung": content, "KetQua": NSNull(),
        ]
        if status == 9 {
            body["KetQua"] = ["SoLuongGiayTo": row["SoLuongGiayTo"] as Int, "TienThuKhiPhat": row["TienThuKhiPhat"] as Int64]
        }
        try queueCallback(body, about: maHoSo, now: now, in: db)
        return true
    }

    /// One row of call 8: an order with its item number, status and cash to collect.
    struct OrderRow: Sendable, Encodable, Equatable {
        let MaHoSo: String
        let MaBuuGuiKetQua: String?
        let MaTTHC: String
        let MaCoQuan: String
        let TrangThaiHoSo: Int
        let NgayHenTra: String?
        let NgayDatHang: String
        let TienThuKhiPhat: Int64
        let TrangThaiKetQua: String?

        enum CodingKeys: String, CodingKey {
            case MaHoSo, MaBuuGuiKetQua, MaTTHC, MaCoQuan, TrangThaiHoSo, NgayHenTra, NgayDatHang, TienThuKhiPhat, TrangThaiKetQua
        }

        // Nulls written, not left out, as the contract's lists show them.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(MaHoSo, forKey: .MaHoSo)
            try container.encode(MaBuuGuiKetQua, forKey: .MaBuuGuiKetQua)
            try container.encode(MaTTHC, forKey: .MaTTHC)
            try container.encode(MaCoQuan, forKey: .MaCoQuan)
            try container.encode(TrangThaiHoSo, forKey: .TrangThaiHoSo)
            try container.encode(NgayHenTra, forKey: .NgayHenTra)
            try container.encode(NgayDatHang, forKey: .NgayDatHang)
            try container.encode(TienThuKhiPhat, forKey: .TienThuKhiPhat)
            try container.encode(TrangThaiKetQua, forKey: .TrangThaiKetQua)
        }
    }

    struct OrderPage: Sendable {
        var rows: [OrderRow] = []
        var next: ListPosition?
    }

    /// Call 8: orders by the moment they were placed (`NgayDatHang`), in (NgayDatHang, id) order; nil bounds and
    /// limit read every order.
    func orderPage(fromDay: String?, toDay: String?, after: ListPosition?, limit: Int?) async throws -> OrderPage {
        try await writer.read { db in
            var conditions = ["NgayDatHang IS NOT NULL"]
            var arguments: StatementArguments = []
            if let start = [fromDay, after?.ngayGui].compactMap({ $0 }).max() {
                conditions.append("NgayDatHang >= ?")
                arguments += [start]
            }
            if let toDay {
                conditions.append("NgayDatHang < ?")
                arguments += [toDay + "999999"]
            }
            if let after {
                conditions.append("(NgayDatHang > ? OR id > ?)")
                arguments += [after.ngayGui, after.id]
            }
            arguments += [limit.map { $0 + 1 } ?? -1]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, MaHoSo, MaBuuGuiKetQua, MaTTHC, MaCoQuan, TrangThaiHoSo, NgayHenTra, NgayDatHang, TienThuKhiPhat, TrangThaiKetQua
                    FROM donKetQua WHERE \(conditions.joined(separator: " AND ")) ORDER BY NgayDatHang, id LIMIT ?
                    """, arguments: arguments)
            let shown = rows.prefix(limit ?? rows.count)
            var page = OrderPage()
            page.rows = shown.map {
                OrderRow(
                    MaHoSo: $0["MaHoSo"], MaBuuGuiKetQua: $0["MaBuuGuiKetQua"], MaTTHC: $0["MaTTHC"], MaCoQuan: $0["MaCoQuan"],
                    TrangThaiHoSo: $0["TrangThaiHoSo"], NgayHenTra: $0["NgayHenTra"], NgayDatHang: $0["NgayDatHang"],
                    TienThuKhiPhat: $0["TienThuKhiPhat"], TrangThaiKetQua: $0["TrangThaiKetQua"])
            }
            if let limit, rows.count > limit, let last = shown.last { page.next = ListPosition(ngayGui: last["NgayDatHang"], id: last["id"]) }
            return page
        }
    }

    /// Call 8's envelope.
    static func orderJSON(_ page: OrderPage) -> Data {
        struct Envelope: Encodable {
            let MaLoi = "0"
            let MoTa = "Thành công"
            let TiepTheo: String?
            let DuLieu: [OrderRow]

            enum CodingKeys: CodingKey { case MaLoi, MoTa, TiepTheo, DuLieu }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(MaLoi, forKey: .MaLoi)
                try container.encode(MoTa, forKey: .MoTa)
                try container.encode(TiepTheo, forKey: .TiepTheo)
                try container.encode(DuLieu, forKey: .DuLieu)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Strings, whole numbers and nulls: nothing the encoder can refuse.
        return try! encoder.encode(Envelope(TiepTheo: page.next?.cursor, DuLieu: page.rows))
    }
}
