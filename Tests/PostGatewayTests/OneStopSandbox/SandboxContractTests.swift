import Foundation
import Testing

@testable import PostGateway

/// The sandbox one-stop answers as ONESTOP_API.md says, over real sockets.
@Suite(.temporaryFolder, .serialized) struct SandboxContractTests {
    static func registration(_ number: String, name: String = "Nguyễn Văn An") -> [String: Any] {
        [
            "MaBuuGui": number, "MaTTHC": "2.000635", "MaCoQuan": "000.42.20.H55", "KenhThucHien": 3, "LoaiDichVu": 3, "ChuHoSo": name,
            "SoGiayTo": "019090001234", "SoDienThoai": "0912345678", "Email": "", "DiaChi": "Số 12", "HinhThucTraKetQua": 1,
            "DiaChiNhanKetQua": "Số 12", "DanhSachGiayTo": [["TenGiayTo": "Tờ khai", "SoLuong": 1, "LoaiBan": 1]], "LePhi": 8000,
            "NgayGui": "20261123093000",
        ]
    }

    @Test func registrationIsIdempotentOnTheItemNumberAndRefusesAnotherPayload() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let number = TrackingNumber(prefix: "PH", serial: 1).description
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", Self.registration(number)).0 == 201)
        let replay = try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", Self.registration(number))
        #expect(replay.0 == 200 && replay.1["MaLoi"] as? String == "0" && replay.1["TrangThaiHoSo"] as? Int == 1)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", Self.registration(number, name: "Người khác")).0 == 409)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", Self.registration(number), token: nil).0 == 401)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", Self.registration(number), token: "wrong").0 == 401)
        var bad = Self.registration("PH000000016VN")
        bad["SoGiayTo"] = "123"
        bad["KenhThucHien"] = 1
        let invalid = try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", bad)
        #expect(invalid.0 == 400)
        #expect(Set((invalid.1["Loi"] as! [[String: String]]).map { $0["Truong"]! }) == ["MaBuuGui", "SoGiayTo", "KenhThucHien"])
        #expect(try await sandbox.ledger().keys.sorted() == [number])
    }

    @Test func handoverAndResultProgressFollowTheContract() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let number = TrackingNumber(prefix: "PH", serial: 2).description
        let handover: [String: Any] = ["SoBienBan": "BB-250000-20261123-0001", "ThoiDiemBanGiao": "20261123143000", "NguoiNhan": "Trần Thị Bình"]
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso/\(number)/bangiao", handover).0 == 404)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", Self.registration(number)).0 == 201)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso/\(number)/bangiao", handover).0 == 200)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso/\(number)/bangiao", handover).0 == 200)
        var other = handover
        other["SoBienBan"] = "BB-250000-20261123-0002"
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso/\(number)/bangiao", other).0 == 409)

        let (moved, _) = try await sandbox.http.send(
            "POST", "/_sandbox/hoso/\(number)/trangthai", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: ["TrangThaiHoSo": 2, "NoiDung": "Đã tiếp nhận"]))
        #expect(moved == 200)
        let received = try await sandbox.ledger()[number]!
        #expect((received["MaHoSo"] as? String)?.hasPrefix("000.42.20.H55-") == true)
        #expect(received["ThoiDiemBanGiao"] as? String == "20261123143000")

        let result = TrackingNumber(prefix: "PK", serial: 1).description
        let delivered: [String: Any] = ["MaBuuGuiKetQua": result, "TrangThai": "DA_PHAT", "ThoiDiem": "20261128101500", "LanPhat": 1, "GhiChu": ""]
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso/\(number)/ketqua", delivered).0 == 200)
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso/\(number)/ketqua", delivered).0 == 200)
        let done = try await sandbox.ledger()[number]!
        #expect(done["TrangThaiHoSo"] as? Int == 10)
        #expect(done["MaBuuGuiKetQua"] as? String == result && done["TrangThaiKetQua"] as? String == "DA_PHAT")
        var invalid = delivered
        invalid["TrangThai"] = "LOST"
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso/\(number)/ketqua", invalid).0 == 400)
    }

    @Test func theListPagesThroughTheWholeLedgerInAStableOrder() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let numbers = (10..<17).map { TrackingNumber(prefix: "PH", serial: $0).description }
        for number in numbers { #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", Self.registration(number)).0 == 201) }
        let client = try sandbox.client
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await client.listDossiers(LocalDate(iso: "2026-11-23")!, LocalDate(iso: "2026-11-23")!, cursor, 3)
            seen += page.rows.compactMap(\.maBuuGui)
            cursor = page.next
        } while cursor != nil
        #expect(seen == numbers)
        let elsewhere = try await client.listDossiers(LocalDate(iso: "2026-11-24")!, LocalDate(iso: "2026-11-30")!, nil, 10)
        #expect(elsewhere.rows.isEmpty && elsewhere.next == nil)
        #expect(try await sandbox.lgsp("GET", "/lgsp/bcci/hoso?TuNgay=2026&DenNgay=20261123&SoBanGhi=5000").0 == 400)
    }

    @Test func pagesFollowTheSendingTimeSoRegistrationsOutOfOrderAreEachListedOnce() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        // Registered in one order, sent at times in another, some at the same second: the list goes by sending
        // time, then registration, and each page starts where the last one stopped.
        let times = ["20261123150000", "20261123080000", "20261124090000", "20261123080000", "20261123120000", "20261124070000", "20261123080000"]
        var expected: [(String, Int, String)] = []
        for (index, time) in times.enumerated() {
            let number = TrackingNumber(prefix: "PH", serial: 20 + index).description
            var body = Self.registration(number)
            body["NgayGui"] = time
            #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", body).0 == 201)
            expected.append((time, index, number))
        }
        let client = try sandbox.client
        for pageSize in [1, 2, 3, 7] {
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.listDossiers(LocalDate(iso: "2026-11-23")!, LocalDate(iso: "2026-11-24")!, cursor, pageSize)
                #expect(page.rows.count <= pageSize)
                seen += page.rows.compactMap(\.maBuuGui)
                cursor = page.next
            } while cursor != nil
            #expect(seen == expected.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2), "page size \(pageSize)")
        }
        let oneDay = try await client.listDossiers(LocalDate(iso: "2026-11-24")!, LocalDate(iso: "2026-11-24")!, nil, 10)
        #expect(
            oneDay.rows.compactMap(\.maBuuGui) == [
                TrackingNumber(prefix: "PH", serial: 25).description, TrackingNumber(prefix: "PH", serial: 22).description,
            ])
        #expect(try await sandbox.lgsp("GET", "/lgsp/bcci/hoso?TuNgay=20261123&DenNgay=20261124&SoBanGhi=5&TiepTheo=bm90LWEtY3Vyc29y").0 == 400)
    }
}
