import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Contract v2's `ketqua.dathang` callbacks through the router: the result-only order, its item at the serving
/// office, its changes until pickup, and everything the gateway refuses.
@Suite(.temporaryFolder) struct ResultOrderCallbackTests {
    static let dossierCode = "000.42.20.H55-261120-0007"

    /// An order as the one-stop sends it, for phường Tích Lương's desk (served by office 251750).
    static func order(
        status: Int = 4, address: String = "Số 12, tổ 5, phường Tích Lương", unit: String = "05443", cash: Any = 52_000,
        code: String = dossierCode, agency: String = "000.42.20.H55"
    ) -> [String: Any] {
        [
            "Loai": "ketqua.dathang", "MaHoSo": code, "MaTTHC": "1.001193", "MaCoQuan": agency, "KenhNop": 2, "TrangThaiHoSo": status,
            "NgayHenTra": "20261127", "ThoiDiem": "20261120160000", "NguoiNhan": "Nguyễn Văn An", "SoDienThoai": "0912 345 678",
            "DiaChiNhanKetQua": address, "MaDonViHanhChinh": unit,
            "KetQua": ["SoLuongGiayTo": 2, "TienThuKhiPhat": cash, "CuocDaThanhToan": false],
        ]
    }

    /// A desk's status callback for a dossier the post never carried: its mã hồ sơ and no MaBuuGui.
    static func status(_ status: Int, at time: String, code: String = dossierCode, result: [String: Any]? = nil) -> Data {
        let body: [String: Any] = [
            "Loai": "hoso.trangthai", "MaHoSo": code, "TrangThaiHoSo": status, "ThoiDiem": time, "NgayHenTra": "20261127",
            "NoiDung": "", "KetQua": result ?? NSNull(),
        ]
        return try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    static func data(_ body: [String: Any]) -> Data { try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) }

    static func orderDossier(_ database: AppDatabase, code: String = dossierCode) async throws -> (DossierRecord, ItemRecord)? {
        try await database.read { db in
            guard let dossier = try DossierRecord.filter(Column("oneStopCode") == code).fetchOne(db) else { return nil }
            let item = try ItemRecord.filter(Column("dossierId") == dossier.id!).fetchOne(db)!
            return (dossier, item)
        }
    }

    @Test func anOrderMakesAResultItemAtTheServingOfficeAndReportsItsNumberToTheOneStop() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let answer = try await OneStopEventsTests.send(client, Self.data(Self.order()), secret: dependencies.webhookSecret)
            #expect(answer.status == .ok)
            let receipt = try answer.decoded(as: Answer.CallbackReceipt.self)
            #expect(receipt.outcome == "applied")
            let number = try #require(receipt.resultTrackingNumber)
            #expect(number.hasPrefix("PK") && number.hasSuffix("VN"))

            let (dossier, item) = try #require(try await Self.orderDossier(database))
            #expect(dossier.service == .resultOnly && dossier.orderedVia == .portal && dossier.applicantIdSealed == nil)
            #expect(dossier.officeCode == "251750" && dossier.resultUnitCode == "05443" && dossier.applicantPhone == "0912345678")
            #expect(dossier.oneStopStatus == 4 && dossier.appointmentDate == "2026-11-27")
            #expect(item.trackingNumber == number && item.kind == .result && item.status == .created && item.officeCode == "251750")
            #expect(item.cashOnDelivery == 52_000 && item.documentCount == 2 && item.dueDate == nil)

            // The one-stop learns the item number (call 7, keyed by the mã hồ sơ); the callback is kept without the
            // receiver, phone or address.
            let messages = try await database.read { db in try OutboxMessageRecord.filter(Column("dossierId") == dossier.id!).fetchAll(db) }
            #expect(messages.map(\.kind) == [.reportOrderProgress])
            let payload = try JSONSerialization.jsonObject(with: Data(messages[0].payload.utf8)) as! [String: Any]
            #expect(payload["TrangThai"] as? String == "TIEP_NHAN_DON" && payload["MaBuuGuiKetQua"] as? String == number)
            let kept = try await database.read { db in try String.fetchOne(db, sql: "SELECT body FROM oneStopCallback")! }
            #expect(!kept.contains("0912") && !kept.contains("Nguyễn") && !kept.contains("Số 12") && kept.contains(Self.dossierCode))

            // Not for pickup until the result is ready; then at its office, with what the result says to collect.
            func pickups() async throws -> [Answer.PickupList.Entry] {
                try await client.execute(uri: "/api/v1/pickups?officeCode=251750", method: .get, headers: TestSupport.headers(key: nil))
                    .decoded(as: Answer.PickupList.self).items
            }
            #expect(try await pickups().isEmpty)
            let ready = try await OneStopEventsTests.send(
                client, Self.status(9, at: "20261123090000", result: ["SoLuongGiayTo": 3, "TienThuKhiPhat": 60_000]),
                secret: dependencies.webhookSecret)
            #expect(try ready.decoded(as: Answer.CallbackReceipt.self).outcome == "applied")
            let listed = try await pickups()
            #expect(listed.map(\.trackingNumber) == [number])
            #expect(listed.first?.dossierTrackingNumber == nil && listed.first?.oneStopCode == Self.dossierCode)
            #expect(listed.first?.cashOnDelivery == 60_000 && listed.first?.dueDate != nil)

            // Tracking finds it by the item number and by the mã hồ sơ.
            for code in [number, Self.dossierCode] {
                let page = try await client.execute(uri: "/api/v1/track/\(code)", method: .get)
                #expect(page.status == .ok, "\(code)")
            }
        }
    }

    @Test func theSameOrderAgainChangesNothingAndANewAddressBeforePickupUpdatesIt() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let secret = dependencies.webhookSecret
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let first = try await OneStopEventsTests.send(client, Self.data(Self.order()), secret: secret, id: "msg_order_1")
            let number = try first.decoded(as: Answer.CallbackReceipt.self).resultTrackingNumber
            let replay = try await OneStopEventsTests.send(client, Self.data(Self.order()), secret: secret, id: "msg_order_1")
            #expect(try replay.decoded(as: Answer.CallbackReceipt.self).firstDelivery == false)
            let again = try await OneStopEventsTests.send(client, Self.data(Self.order()), secret: secret)
            let repeated = try again.decoded(as: Answer.CallbackReceipt.self)
            #expect(repeated.outcome == "superseded" && repeated.resultTrackingNumber == number)

            let moved = try await OneStopEventsTests.send(
                client, Self.data(Self.order(address: "Xóm Đồng, xã Vạn Phú", unit: "05443")), secret: secret)
            #expect(try moved.decoded(as: Answer.CallbackReceipt.self).outcome == "applied")
            let (dossier, item) = try #require(try await Self.orderDossier(database))
            #expect(dossier.resultAddress == "Xóm Đồng, xã Vạn Phú" && item.trackingNumber == number)
            let counts = try await TestSupport.counts(database)
            #expect(counts["dossier"] == 1 && counts["item"] == 1 && counts["outboxMessage"] == 1)
        }
    }

    @Test func aLaterOrderBringsTheResultsCashAndAnOrderForAFinishedDossierIsRefused() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let secret = dependencies.webhookSecret
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            // Before the result is ready the desk may not know what to collect yet.
            var early = Self.order()
            early["KetQua"] = NSNull()
            #expect(try await OneStopEventsTests.send(client, Self.data(early), secret: secret).status == .ok)
            #expect(try await Self.orderDossier(database)?.1.cashOnDelivery == 0)
            let ready = try await OneStopEventsTests.send(client, Self.data(Self.order(status: 9, cash: 60_000)), secret: secret)
            #expect(try ready.decoded(as: Answer.CallbackReceipt.self).outcome == "applied")
            let (dossier, item) = try #require(try await Self.orderDossier(database))
            #expect(dossier.oneStopStatus == 9 && item.cashOnDelivery == 60_000 && item.documentCount == 2 && item.dueDate != nil)

            for status in [3, 10] {
                let refused = try await OneStopEventsTests.send(
                    client, Self.data(Self.order(status: status, code: "000.42.20.H55-261120-0099")), secret: secret)
                #expect(try refused.decoded(as: Answer.Problem.self).codes == ["TrangThaiHoSo": "notOneOf"], "\(status)")
            }
            var ready9 = Self.order(status: 9, code: "000.42.20.H55-261120-0098")
            ready9["KetQua"] = NSNull()
            let noResult = try await OneStopEventsTests.send(client, Self.data(ready9), secret: secret)
            #expect(try noResult.decoded(as: Answer.Problem.self).codes == ["KetQua": "required"])
        }
    }

    @Test func aChangeAfterPickupIsRefusedWith409AndKeptOnceForStaff() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let secret = dependencies.webhookSecret
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let placed = try await OneStopEventsTests.send(client, Self.data(Self.order(status: 9)), secret: secret)
            let number = try #require(try placed.decoded(as: Answer.CallbackReceipt.self).resultTrackingNumber)
            #expect(try await ScanningTests.scan(client, number, "pickedUp", office: "251750").status == .created)

            for _ in 0..<2 {
                let refused = try await OneStopEventsTests.send(
                    client, Self.data(Self.order(status: 9, address: "Số 3, phường Phan Đình Phùng")), secret: secret, id: "msg_late_change")
                #expect(refused.status == .conflict)
                #expect(try refused.decoded(as: Answer.Problem.self).detail?.contains("bưu cục phục vụ") == true)
            }
            let (dossier, _) = try #require(try await Self.orderDossier(database))
            #expect(dossier.resultAddress == "Số 12, tổ 5, phường Tích Lương")
            let refusals = try await database.read { db in
                try Row.fetchAll(db, sql: "SELECT dossierId, reason FROM refusedOrderChange").map {
                    ($0["dossierId"] as Int64, $0["reason"] as String)
                }
            }
            #expect(refusals.count == 1 && refusals.first?.1 == "pickedUp" && refusals.first?.0 == dossier.id)

            // Staff of the serving office see it, to settle with the desk.
            let listed = try await client.execute(uri: "/api/v1/result-orders/refused-changes?officeCode=251750", method: .get)
            let changes = try #require(
                (try JSONSerialization.jsonObject(with: Data(listed.body.readableBytesView)) as? [String: Any])?["changes"] as? [[String: Any]])
            #expect(changes.count == 1 && changes.first?["trackingNumber"] as? String == number && changes.first?["reason"] as? String == "pickedUp")

            // The same order as it stands is still a no-op, not a refusal.
            let same = try await OneStopEventsTests.send(client, Self.data(Self.order(status: 9)), secret: secret)
            #expect(same.status == .ok)
        }
    }

    @Test func badOrdersNameEveryBadFieldAndChangeNothing() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let secret = dependencies.webhookSecret
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let before = try await TestSupport.counts(database)
            let cases: [([String: Any], [String: String])] = [
                (Self.order(agency: "000.99.99.H55"), ["MaCoQuan": "unknownAgency"]),
                (Self.order(agency: "000.00.12.H55"), ["MaCoQuan": "agencyClosed"]),
                (Self.order(unit: "01834"), ["MaDonViHanhChinh": "unitEnded"]),
                (Self.order(unit: "99999"), ["MaDonViHanhChinh": "unknownUnit"]),
                (Self.order(cash: -1), ["KetQua.TienThuKhiPhat": "invalidMoney"]),
                (Self.order(cash: 1.5), ["KetQua.TienThuKhiPhat": "invalidMoney"]),
                (Self.order(cash: "52000"), ["KetQua.TienThuKhiPhat": "invalidMoney"]),
                (Self.order(code: String(repeating: "9", count: 51)), ["MaHoSo": "tooLong"]),
                (
                    Self.order(unit: "99999", cash: -5, code: String(repeating: "9", count: 51), agency: "000.99.99.H55"),
                    ["MaCoQuan": "unknownAgency", "MaDonViHanhChinh": "unknownUnit", "KetQua.TienThuKhiPhat": "invalidMoney", "MaHoSo": "tooLong"]
                ),
            ]
            for (body, expected) in cases {
                let answer = try await OneStopEventsTests.send(client, Self.data(body), secret: secret)
                #expect(answer.status == .unprocessableContent, "\(expected)")
                #expect(try answer.decoded(as: Answer.Problem.self).codes == expected)
            }
            var phoneless = Self.order()
            phoneless["SoDienThoai"] = "12345"
            phoneless.removeValue(forKey: "NguoiNhan")
            let answer = try await OneStopEventsTests.send(client, Self.data(phoneless), secret: secret)
            #expect(try answer.decoded(as: Answer.Problem.self).codes == ["SoDienThoai": "invalidPhone", "NguoiNhan": "required"])
            #expect(try await TestSupport.counts(database) == before)
            #expect(try await OneStopEventsTests.callbackCount(database) == 0)
        }
    }

    @Test func aStatusByMaHoSoAloneForNoOrderIsKeptAsUnknown() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let answer = try await OneStopEventsTests.send(
                client, Self.status(9, at: "20261123090000", result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": 0]), secret: dependencies.webhookSecret)
            #expect(try answer.decoded(as: Answer.CallbackReceipt.self).outcome == "unknownDossier")
            var neither = try JSONSerialization.jsonObject(with: Self.status(4, at: "20261123090000")) as! [String: Any]
            neither.removeValue(forKey: "MaHoSo")
            let refused = try await OneStopEventsTests.send(client, Self.data(neither), secret: dependencies.webhookSecret)
            #expect(try refused.decoded(as: Answer.Problem.self).codes["MaBuuGui"] == "required")
        }
    }

    @Test func statusesThatCameBeforeTheirOrderAreTakenByItAndALateOneMovesNothingBack() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let secret = dependencies.webhookSecret
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            // The result is ready before the order's own callback arrives: kept, for the order to take.
            let early = try await OneStopEventsTests.send(
                client, Self.status(9, at: "20261122150000", result: ["SoLuongGiayTo": 3, "TienThuKhiPhat": 60_000]), secret: secret)
            #expect(try early.decoded(as: Answer.CallbackReceipt.self).outcome == "unknownDossier")
            let placed = try await OneStopEventsTests.send(client, Self.data(Self.order(status: 4)), secret: secret)
            #expect(try placed.decoded(as: Answer.CallbackReceipt.self).outcome == "applied")
            let (dossier, item) = try #require(try await Self.orderDossier(database))
            #expect(dossier.oneStopStatus == 9 && item.cashOnDelivery == 60_000 && item.documentCount == 3 && item.dueDate != nil)
            #expect(try await database.pendingPickups(officeCode: "251750").map(\.trackingNumber) == [item.trackingNumber])

            // A late "processing" moves nothing back.
            let late = try await OneStopEventsTests.send(client, Self.status(4, at: "20261121100000"), secret: secret)
            #expect(try late.decoded(as: Answer.CallbackReceipt.self).outcome == "superseded")
            #expect(try await Self.orderDossier(database)?.0.oneStopStatus == 9)
        }
    }
}
