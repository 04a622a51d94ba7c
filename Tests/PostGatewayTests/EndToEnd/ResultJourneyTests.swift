import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// The whole journey over real sockets: the gateway serving, the real sandbox one-stop process forwarding
/// its signed callbacks back, from the counter to the citizen's door.
@Suite(.temporaryFolder, .serialized) struct ResultJourneyTests {
    /// Polls until `condition` holds or `seconds` pass; answers whether it held.
    static func eventually(within seconds: Double = 30, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    @Test func aDossierGoesFromTheCounterToDeliveredAndTheOneStopLedgerEndsAtTen() async throws {
        try await SandboxProcess.besideLiveGateway { client, sandbox, dependencies in
            let database = dependencies.database
            func dossier(_ number: String) async throws -> DossierRecord { try await OneStopEventsTests.dossier(database, number) }
            func scan(_ number: String, _ event: String, office: String, extra: [String: Any] = [:]) async throws {
                let response = try await ScanningTests.scan(client, number, event, office: office, extra: extra)
                #expect(response.status == .created, "\(event) of \(number)")
            }

            // The counter takes the dossier in; the outbox registers it at the one-stop.
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            let number = try created.decoded(as: Answer.IntakeReceipt.self).trackingNumber
            #expect(try await Self.eventually { try await sandbox.ledger()[number] != nil })
            #expect(try await Self.eventually { try await dossier(number).oneStopStatus == 1 })

            // It arrives at the office serving phường Tích Lương and is handed over at the desk.
            try await scan(number, "arrived", office: "251750")
            let opened = try await HandoverTests.open(client, [number])
            let manifest = try opened.decoded(as: Answer.Handover.self).id
            let signed = try await client.execute(
                uri: "/api/v1/handovers/\(manifest)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["receivedBy": "Trần Thị Bình"]))
            #expect(signed.status == .ok)
            #expect(try await Self.eventually { try await sandbox.ledger()[number]?["ThoiDiemBanGiao"] is String })

            // The desk receives it (a mã hồ sơ and an appointment), processes it, and the result is ready.
            try await sandbox.move(number, to: 2, content: "Đã tiếp nhận hồ sơ")
            #expect(try await Self.eventually { try await dossier(number).oneStopStatus == 2 })
            let code = try #require(try await dossier(number).oneStopCode)
            #expect(try await sandbox.ledger()[number]?["MaHoSo"] as? String == code)
            #expect(try await dossier(number).appointmentDate != nil)
            try await sandbox.move(number, to: 4, content: "Đang xử lý")
            try await sandbox.move(number, to: 9, content: "Đã có kết quả", result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": 15_000])
            #expect(try await Self.eventually { try await dossier(number).oneStopStatus == 9 })
            let pickups = try await client.execute(uri: "/api/v1/pickups?officeCode=251750", method: .get).decoded(as: Answer.PickupList.self).items
            let resultNumber = try #require(pickups.first?.trackingNumber)
            #expect(pickups.first?.cashOnDelivery == 15_000)

            // The post picks the result up, takes it out and delivers it.
            try await scan(resultNumber, "pickedUp", office: "251750")
            try await scan(resultNumber, "outForDelivery", office: "251750")
            try await scan(resultNumber, "delivered", office: "251750", extra: ["identityChecked": true])

            // The one-stop's ledger ends at 10 with the result delivered, and its callback brings the gateway there too.
            #expect(
                try await Self.eventually {
                    let row = try await sandbox.ledger()[number]
                    return row?["TrangThaiHoSo"] as? Int == 10 && row?["TrangThaiKetQua"] as? String == "DA_PHAT"
                        && row?["MaBuuGuiKetQua"] as? String == resultNumber
                })
            #expect(try await Self.eventually { try await dossier(number).oneStopStatus == 10 })
            let statistics = try await TestSupport.drained(database)
            #expect(statistics.dead == 0)
            let outcomes = try await database.read { db in
                try String.fetchAll(db, sql: "SELECT outcome FROM oneStopCallback ORDER BY receivedAt")
            }
            #expect(Set(outcomes) == ["applied"] && outcomes.count == 4)

            let page = String(buffer: try await client.execute(uri: "/t/\(number)", method: .get).body)
            #expect(page.contains("Đã trả kết quả") && page.contains("Đã phát kết quả thành công"))
        }
    }
}
