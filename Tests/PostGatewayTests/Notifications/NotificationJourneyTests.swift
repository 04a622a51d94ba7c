import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// The notices over real sockets: the gateway's notifier sending to the real sandbox process's stand-ins for Zalo ZNS
/// and eSMS, which record every message they take by its tracking id.
@Suite(.temporaryFolder, .serialized) struct NotificationJourneyTests {
    static func scan(_ client: some TestClientProtocol, _ number: String, _ event: String, office: String = "251750") async throws {
        let extra: [String: Any] = event == "delivered" ? ["identityChecked": true] : [:]
        let response = try await ScanningTests.scan(client, number, event, office: office, extra: extra)
        #expect(response.status == .created, "\(event) of \(number)")
    }

    /// Waits until the sandbox holds `count` messages and the ledger none still waiting.
    static func settled(_ sandbox: SandboxProcess, _ database: AppDatabase, count: Int) async throws -> [Answer.SandboxMessage] {
        _ = try await ResultJourneyTests.eventually(within: 60) {
            let waiting = try await database.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM notice WHERE state IN ('pending', 'inFlight')") ?? 0
            }
            return try await sandbox.messages().count >= count && waiting == 0
        }
        return try await sandbox.messages()
    }

    @Test func everyMilestoneOfADossiersLifeSendsExactlyOneMessageOfItsTemplateThroughErrorsAndLostAnswers() async throws {
        let logs = CapturedLogs()
        try await SandboxProcess.besideLiveGateway(notifying: true, logger: logs.logger) { client, sandbox, dependencies in
            let database = dependencies.database
            try await sandbox.setMessageFaults(["errorRate": 0.3, "dropResponseRate": 0.3])
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake { $0["notifications"] = "zalo" }))
            let number = try created.decoded(as: Answer.IntakeReceipt.self).trackingNumber
            var expected = ["410001"]
            func step(_ template: String, _ action: () async throws -> Void) async throws {
                try await action()
                expected.append(template)
                // Each milestone is let through before the next: one that waits for the next is stale, and dropped.
                let messages = try await Self.settled(sandbox, database, count: expected.count)
                #expect(messages.map(\.template) == expected)
            }
            _ = try await Self.settled(sandbox, database, count: 1)
            #expect(try await ResultJourneyTests.eventually { try await sandbox.ledger()[number] != nil })

            try await step("410003") {
                try await Self.scan(client, number, "arrived")
                let manifest = try await HandoverTests.open(client, [number]).decoded(as: Answer.Handover.self).id
                let signed = try await client.execute(
                    uri: "/api/v1/handovers/\(manifest)/sign", method: .post, headers: TestSupport.headers(key: nil),
                    body: TestSupport.json(["receivedBy": "Trần Thị Bình"]))
                #expect(signed.status == .ok)
            }
            try await step("410004") { try await sandbox.move(number, to: 2, content: "Đã tiếp nhận") }
            try await step("410005") { try await sandbox.move(number, to: 5, content: "Bổ sung bản sao") }
            try await sandbox.move(number, to: 4)
            try await sandbox.move(number, to: 9, result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": 0])
            #expect(try await ResultJourneyTests.eventually { try await OneStopEventsTests.dossier(database, number).oneStopStatus == 9 })
            let pickups = try await client.execute(uri: "/api/v1/pickups?officeCode=251750", method: .get).decoded(as: Answer.PickupList.self)
            let result = try #require(pickups.items.first?.trackingNumber)
            try await step("410007") { try await Self.scan(client, result, "pickedUp") }
            try await Self.scan(client, result, "outForDelivery")
            try await step("410008") { try await Self.scan(client, result, "deliveryFailed") }
            try await step("410009") { try await Self.scan(client, result, "heldAtOffice") }
            try await step("410010") { try await Self.scan(client, result, "delivered") }

            // Exactly one message per milestone, each under its own key, however many tries it took.
            let messages = try await sandbox.messages()
            #expect(Set(messages.map(\.trackingId)).count == messages.count)
            #expect(messages.allSatisfy { $0.channel == "zalo" && $0.phone == "84912345678" })
            #expect(messages.first?.text == "code=\(number); link=https://tracuu.example.vn/t/\(number)")
            let notices = try await database.read { db in try NoticeRecord.order(Column("id")).fetchAll(db) }
            #expect(notices.allSatisfy { $0.state == .sent && $0.sentVia == .zalo })
            #expect(notices.map(\.key) == messages.map(\.trackingId))
            // The faults did their work: some messages took more than one try.
            #expect(notices.map(\.attempts).reduce(0, +) > notices.count)
            // The text kept is the approved template's wording with the values.
            #expect(notices.last?.text == "Kết quả của hồ sơ \(number) đã được phát thành công. Cảm ơn bạn.")

            // The citizen's page lists each notice and when it went, no text, no phone.
            let tracking = try await client.execute(uri: "/api/v1/track/\(number)", method: .get).decoded(as: Answer.Tracking.self)
            #expect(tracking.notices.count == 8)
            let page = String(buffer: try await client.execute(uri: "/t/\(number)", method: .get).body)
            #expect(page.contains("Tin nhắn đã gửi") && !page.contains("0912") && !page.contains("84912"))

            // Nothing personal in the gateway's log, at the chattiest level, through every retry.
            for secret in ["Nguyễn", "Hồng Nhung", "019190001234", "0912345678", "84912345678", "912 345 678", "Tân Thịnh", "nhung@example.vn"] {
                #expect(!logs.text.contains(secret), "the log carries \(secret)")
            }
        }
    }

    @Test func aNumberWithoutZaloIsToldBySMSAndARejectionReachesTheCitizenToo() async throws {
        try await SandboxProcess.besideLiveGateway(notifying: true) { client, sandbox, dependencies in
            try await sandbox.setMessageFaults(["noZaloPhones": ["84987654321"]])
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(
                    TestSupport.intake {
                        $0["notifications"] = "zalo"
                        $0["applicant"] = [
                            "fullName": "Trần Văn Bình", "idNumber": "019190005678", "phone": "0987654321", "address": "Số 3, phường Tân Thịnh",
                        ]
                    }))
            let number = try created.decoded(as: Answer.IntakeReceipt.self).trackingNumber
            _ = try await Self.settled(sandbox, dependencies.database, count: 1)
            #expect(try await ResultJourneyTests.eventually { try await sandbox.ledger()[number] != nil })
            try await sandbox.move(number, to: 3, content: "Thiếu tờ khai")
            let messages = try await Self.settled(sandbox, dependencies.database, count: 2)
            #expect(messages.map(\.channel) == ["sms", "sms"] && messages.map(\.template) == ["accepted", "rejected"])
            #expect(messages.map(\.trackingId) == ["\(number).accepted.1", "\(number).rejected.1"])
            #expect(messages.last?.text == "Ho so \(number) khong duoc tiep nhan. Buu dien se chuyen tra giay to cho ban.")
            #expect(messages.allSatisfy { SMSText.septetCount($0.text).map { $0 <= 160 } == true })
            // Without consent, nothing at all.
            _ = try await DossierReadTests.create(client)
            try await Task.sleep(for: .seconds(1))
            #expect(try await sandbox.messages().count == 2)
        }
    }
}
