import Foundation
import GRDB
import Testing

@testable import PostGateway

/// Contract v2 in the sandbox, over real sockets: orders placed on the portal (call 5's callback) or at a counter
/// (call 6), their progress (call 7) and their list (call 8), keyed by mã hồ sơ.
@Suite(.temporaryFolder, .serialized) struct SandboxResultOrderTests {
    static func portalOrder(_ maHoSo: String, address: String = "Số 12, tổ 5, phường Phan Đình Phùng") -> [String: Any] {
        [
            "MaHoSo": maHoSo, "MaTTHC": "1.001193", "MaCoQuan": "000.42.20.H55", "KenhNop": 2, "TrangThaiHoSo": 4,
            "NgayHenTra": "20261210", "ThoiDiem": "20261204160000", "NguoiNhan": "Nguyễn Văn An", "SoDienThoai": "0912345678",
            "DiaChiNhanKetQua": address, "MaDonViHanhChinh": "05443",
            "KetQua": ["SoLuongGiayTo": 2, "TienThuKhiPhat": 52000, "CuocDaThanhToan": false],
        ]
    }

    static func progress(_ number: String, _ state: String, attempt: Int = 1) -> [String: Any] {
        ["MaBuuGuiKetQua": number, "TrangThai": state, "ThoiDiem": "20261211101500", "LanPhat": attempt, "GhiChu": ""]
    }

    /// The callbacks the sandbox queued (it has no gateway to send them to here), oldest first.
    static func callbacks(_ sandbox: SandboxProcess, about key: String) throws -> [[String: Any]] {
        var readOnly = Configuration()
        readOnly.readonly = true
        let ledger = try DatabaseQueue(path: sandbox.dataDirectory.appending(path: "sandbox/onestop.sqlite").path, configuration: readOnly)
        let bodies = try ledger.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM callback WHERE dossierKey = ? ORDER BY createdAt, rowid", arguments: [key])
        }
        return try bodies.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func aPortalOrderQueuesItsCallbackAndChangesOnlyUntilPickup() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let maHoSo = "000.42.20.H55-261204-0007"
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", Self.portalOrder(maHoSo)).0 == 201)
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", Self.portalOrder(maHoSo)).0 == 200)
        let order = try #require(try await sandbox.orders()[maHoSo])
        #expect(order["MaBuuGui"] is NSNull && order["MaBuuGuiKetQua"] is NSNull && order["TienThuKhiPhat"] as? Int == 52000)
        var sent = try Self.callbacks(sandbox, about: maHoSo)
        #expect(sent.count == 1)  // the identical replay sends nothing
        #expect(sent[0]["Loai"] as? String == "ketqua.dathang" && sent[0]["MaDonViHanhChinh"] as? String == "05443")
        #expect((sent[0]["KetQua"] as? [String: Any])?["TienThuKhiPhat"] as? Int == 52000)

        // A new address before pickup: changed, and told again.
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", Self.portalOrder(maHoSo, address: "Xóm Núi, xã Đại Phúc")).0 == 200)
        sent = try Self.callbacks(sandbox, about: maHoSo)
        #expect(sent.count == 2 && sent[1]["DiaChiNhanKetQua"] as? String == "Xóm Núi, xã Đại Phúc")

        // The gateway takes the order, then picks the result up: the address can no longer change.
        let number = TrackingNumber(prefix: "PK", serial: 7).description
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua/\(maHoSo)", Self.progress(number, "TIEP_NHAN_DON", attempt: 0)).0 == 200)
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", Self.portalOrder(maHoSo, address: "Số 3")).0 == 200)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua/\(maHoSo)", Self.progress(number, "DA_NHAN_KET_QUA")).0 == 200)
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", Self.portalOrder(maHoSo, address: "Số 4")).0 == 409)
        #expect(try await sandbox.orders()[maHoSo]?["MaBuuGuiKetQua"] as? String == number)

        // Bad orders name every bad field and change nothing.
        var bad = Self.portalOrder(String(repeating: "9", count: 51))
        bad["MaDonViHanhChinh"] = "123"
        bad["KetQua"] = ["SoLuongGiayTo": 1, "TienThuKhiPhat": 1.5]
        let refused = try await sandbox.lgsp("POST", "/_sandbox/ketqua", bad)
        #expect(refused.0 == 400)
        #expect(Set((refused.1["Loi"] as! [[String: String]]).map { $0["Truong"]! }) == ["MaHoSo", "MaDonViHanhChinh", "KetQua.TienThuKhiPhat"])
        var negative = Self.portalOrder("000.42.20.H55-261204-0008")
        negative["KetQua"] = ["SoLuongGiayTo": 1, "TienThuKhiPhat": -1]
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", negative).0 == 400)
        #expect(try await sandbox.orders().keys.sorted() == [maHoSo])
    }

    @Test func progressIsKeyedByMaHoSoAndDeliveredMovesTheDossierToTen() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let maHoSo = "000.42.20.H55-261204-0009"
        let number = TrackingNumber(prefix: "PK", serial: 9).description
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua/\(maHoSo)", Self.progress(number, "TIEP_NHAN_DON")).0 == 404)
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", Self.portalOrder(maHoSo)).0 == 201)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua/\(maHoSo)", Self.progress(number, "TIEP_NHAN_DON", attempt: 0)).0 == 200)
        let other = TrackingNumber(prefix: "PK", serial: 10).description
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua/\(maHoSo)", Self.progress(other, "DA_NHAN_KET_QUA")).0 == 409)
        var invalid = Self.progress(number, "LOST")
        invalid["LanPhat"] = -1
        let refused = try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua/\(maHoSo)", invalid)
        #expect(refused.0 == 400 && Set((refused.1["Loi"] as! [[String: String]]).map { $0["Truong"]! }) == ["TrangThai", "LanPhat"])

        // The desk finishes the result: the status callback names the mã hồ sơ, no MaBuuGui, and the order's figures.
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua/\(maHoSo)/trangthai", ["TrangThaiHoSo": 9, "NoiDung": "Xong"]).0 == 200)
        let ready = try #require(try Self.callbacks(sandbox, about: maHoSo).last)
        #expect(ready["Loai"] as? String == "hoso.trangthai" && ready["MaBuuGui"] == nil && ready["TrangThaiHoSo"] as? Int == 9)
        #expect((ready["KetQua"] as? [String: Any])?["SoLuongGiayTo"] as? Int == 2)

        for state in ["DA_NHAN_KET_QUA", "DANG_PHAT", "DA_PHAT", "DA_PHAT"] {
            #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua/\(maHoSo)", Self.progress(number, state)).0 == 200, "\(state)")
        }
        let done = try #require(try await sandbox.orders()[maHoSo])
        #expect(done["TrangThaiHoSo"] as? Int == 10 && done["TrangThaiKetQua"] as? String == "DA_PHAT")
        // Delivered once: the replay of DA_PHAT queued no second "returned" callback.
        #expect(try Self.callbacks(sandbox, about: maHoSo).filter { $0["TrangThaiHoSo"] as? Int == 10 }.count == 1)
    }

    @Test func aCounterOrderNamesTheDossierTheSlipCarriesAndIsRefusedWhenOneExists() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let filed = try await sandbox.lgsp("POST", "/_sandbox/hosokhac", ["MaTTHC": "2.000635", "MaCoQuan": "000.42.20.H55", "LePhiConNo": 8000])
        #expect(filed.0 == 201)
        let maHoSo = try #require(filed.1["MaHoSo"] as? String)
        let number = TrackingNumber(prefix: "PK", serial: 44).description
        let order: [String: Any] = [
            "MaHoSo": maHoSo, "MaBuuGuiKetQua": number, "NguoiNhan": "Nguyễn Văn An", "SoDienThoai": "0912345678",
            "DiaChiNhanKetQua": "Số 12, tổ 5", "MaDonViHanhChinh": "05500", "NgayDangKy": "20261205093000",
        ]
        let registered = try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua", order)
        #expect(registered.0 == 201)
        #expect(registered.1["MaCoQuan"] as? String == "000.42.20.H55" && registered.1["MaTTHC"] as? String == "2.000635")
        #expect(registered.1["LePhiConNo"] as? Int == 8000 && (registered.1["NgayHenTra"] as? String)?.count == 8)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua", order).0 == 200)
        var another = order
        another["MaBuuGuiKetQua"] = TrackingNumber(prefix: "PK", serial: 45).description
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua", another).0 == 409)
        var unknown = order
        unknown["MaHoSo"] = "000.42.20.H55-261205-9999"
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua", unknown).0 == 404)
        // A result already returned at the desk cannot be ordered.
        let returned =
            try await sandbox.lgsp("POST", "/_sandbox/hosokhac", ["MaTTHC": "2.000635", "MaCoQuan": "000.42.20.H55"]).1["MaHoSo"] as! String
        #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua/\(returned)/trangthai", ["TrangThaiHoSo": 10]).0 == 200)
        var late = order
        late["MaHoSo"] = returned
        late["MaBuuGuiKetQua"] = TrackingNumber(prefix: "PK", serial: 46).description
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua", late).0 == 409)
        var invalid = order
        invalid["MaHoSo"] = String(repeating: "x", count: 51)
        invalid["MaDonViHanhChinh"] = "0550"
        let refused = try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua", invalid)
        #expect(refused.0 == 400 && Set((refused.1["Loi"] as! [[String: String]]).map { $0["Truong"]! }) == ["MaHoSo", "MaDonViHanhChinh"])
    }

    @Test func theOrderListPagesByTheDayOrdersWerePlaced() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        for index in 1...3 {
            var order = Self.portalOrder("000.42.20.H55-261204-010\(index)")
            order["ThoiDiem"] = "2026120\(index)160000"
            #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", order).0 == 201)
        }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let query = "TuNgay=20261202&DenNgay=20261203&SoBanGhi=1" + (cursor.map { "&TiepTheo=\($0)" } ?? "")
            let page = try await sandbox.lgsp("GET", "/lgsp/bcci/ketqua?\(query)")
            #expect(page.0 == 200)
            seen += (page.1["DuLieu"] as! [[String: Any]]).map { $0["MaHoSo"] as! String }
            cursor = page.1["TiepTheo"] as? String
        } while cursor != nil && seen.count < 10
        #expect(seen == ["000.42.20.H55-261204-0102", "000.42.20.H55-261204-0103"])
        let bad = try await sandbox.lgsp("GET", "/lgsp/bcci/ketqua?TuNgay=2026-12-02&DenNgay=20261203&SoBanGhi=0")
        #expect(bad.0 == 400 && Set((bad.1["Loi"] as! [[String: String]]).map { $0["Truong"]! }) == ["TuNgay", "SoBanGhi"])
    }
}
