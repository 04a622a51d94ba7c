import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import PostGateway

/// `POST /api/v1/result-orders` through the router, the one-stop's call 6 answered by a stand-in: what the clerk is
/// told, what the ledger keeps, and that a refusal keeps nothing.
@Suite(.temporaryFolder) struct CounterOrderTests {
    static let dossierCode = "000.42.20.H55-261120-0042"

    /// What the stand-in one-stop answers, and the bodies it was sent.
    final class StandIn: Sendable {
        let answer: Mutex<CounterOrderAnswer>
        let sent = Mutex<[String]>([])
        init(_ answer: CounterOrderAnswer) { self.answer = Mutex(answer) }
    }

    static let facts = OneStopDossierFacts(
        parsing: Data(
            #"{"MaLoi":"0","MaHoSo":"000.42.20.H55-261120-0042","MaCoQuan":"000.42.20.H55","MaTTHC":"1.001193","TrangThaiHoSo":4,"NgayHenTra":"20261127","LePhiConNo":30000}"#
                .utf8))!

    static func dependencies(_ standIn: StandIn) throws -> AppDependencies {
        let base = try TestSupport.dependencies()
        var client = OneStopClient.unreachable
        client.registerOrder = { payload in
            standIn.sent.withLock { $0.append(payload) }
            return standIn.answer.withLock { $0 }
        }
        return AppDependencies(
            configuration: base.configuration, database: base.database, reference: base.reference, templates: base.templates,
            pins: base.pins, metrics: base.metrics, clock: base.clock, logger: base.logger, oneStop: client,
            webhookSecret: base.webhookSecret, hasher: base.hasher, staffWithoutCredentials: base.staffWithoutCredentials)
    }

    static func order(_ changes: (inout [String: Any]) -> Void = { _ in }) -> [String: Any] {
        var body: [String: Any] = [
            "officeCode": "250000", "dossierCode": dossierCode, "receiver": ["fullName": "Nguyễn Văn An", "phone": "0912 345 678"],
            "deliveryAddress": "Số 12, tổ 5, phường Tích Lương", "deliveryUnitCode": "05443", "postage": 25_000,
        ]
        changes(&body)
        return body
    }

    static func place(_ client: some TestClientProtocol, _ body: [String: Any], key: String = UUID().uuidString) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/result-orders", method: .post, headers: TestSupport.headers(key: key), body: TestSupport.json(body))
    }

    struct Receipt: Decodable {
        struct Links: Decodable {
            let label: String
            let receipt: String
            let tracking: String
        }
        let trackingNumber: String
        let trackingPin: String
        let dossierCode: String
        let agencyCode: String
        let agencyName: String?
        let procedureCode: String
        let oneStopStatus: Int
        let appointmentDate: String?
        let feesOwed: Int
        let postage: Int
        let officeCode: String
        let links: Links
    }

    @Test func aRegisteredOrderGetsAResultItemAReceiptWithItsPinAndALabel() async throws {
        let standIn = StandIn(.registered(Self.facts))
        let dependencies = try Self.dependencies(standIn)
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let key = UUID().uuidString
            let answer = try await Self.place(client, Self.order(), key: key)
            #expect(answer.status == .created)
            let receipt = try answer.decoded(as: Receipt.self)
            #expect(receipt.trackingNumber.hasPrefix("PK") && receipt.trackingPin.count == 6 && receipt.dossierCode == Self.dossierCode)
            #expect(receipt.agencyCode == "000.42.20.H55" && receipt.agencyName != nil && receipt.appointmentDate == "2026-11-27")
            #expect(receipt.feesOwed == 30_000 && receipt.postage == 25_000 && receipt.officeCode == "251750" && receipt.oneStopStatus == 4)

            // Call 6 carried the item number and the receiver as the ledger keeps them.
            let sent = try JSONSerialization.jsonObject(with: Data(standIn.sent.withLock { $0 }[0].utf8)) as! [String: Any]
            #expect(sent["MaBuuGuiKetQua"] as? String == receipt.trackingNumber && sent["SoDienThoai"] as? String == "0912345678")
            #expect(sent["MaHoSo"] as? String == Self.dossierCode && sent["MaDonViHanhChinh"] as? String == "05443")

            let (dossier, item) = try #require(try await ResultOrderCallbackTests.orderDossier(database, code: Self.dossierCode))
            #expect(dossier.service == .resultOnly && dossier.orderedVia == .counter && dossier.officeCode == "250000")
            #expect(item.trackingNumber == receipt.trackingNumber && item.officeCode == "251750" && item.cashOnDelivery == 30_000)
            // The clerk's office finds it among its dossiers, by its result's number.
            let listed = String(buffer: try await client.execute(uri: "/api/v1/dossiers?officeCode=250000", method: .get).body)
            #expect(listed.contains(receipt.trackingNumber) && listed.contains("resultOnly"))
            // The one-stop has the number from call 6: nothing more to send.
            #expect(try await TestSupport.counts(database)["outboxMessage"] == 0)

            let printed = String(buffer: try await client.execute(uri: receipt.links.receipt, method: .get).body)
            #expect(printed.contains("PHIẾU ĐĂNG KÝ NHẬN KẾT QUẢ") && printed.contains(receipt.trackingPin) && printed.contains(Self.dossierCode))
            #expect(printed.contains("30.000") && printed.contains("25.000"))
            #expect(try await client.execute(uri: receipt.links.label, method: .get).status == .ok)

            // The same form again answers the same order; the same key with another body is refused.
            let again = try await Self.place(client, Self.order(), key: key)
            #expect(again.status == .ok)
            #expect(try again.decoded(as: Receipt.self).trackingNumber == receipt.trackingNumber)
            let other = try await Self.place(client, Self.order { $0["postage"] = 0 }, key: key)
            #expect(try other.decoded(as: Answer.Problem.self).codes == ["Idempotency-Key": "idempotencyKeyReused"])
            // Another form for the same dossier: it has an order already, and the one-stop is not asked.
            let second = try await Self.place(client, Self.order())
            #expect(second.status == .conflict && standIn.sent.withLock { $0.count } == 1)
        }
    }

    @Test func aStatusTheDeskSentWhileTheOneStopWasAskedIsTakenByTheOrder() async throws {
        let standIn = StandIn(.registered(Self.facts))
        let dependencies = try Self.dependencies(standIn)
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let early = ResultOrderCallbackTests.status(
                9, at: "20261123090000", code: Self.dossierCode, result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": 30_000])
            let kept = try await OneStopEventsTests.send(client, early, secret: dependencies.webhookSecret)
            #expect(try kept.decoded(as: Answer.CallbackReceipt.self).outcome == "unknownDossier")
            #expect(try await Self.place(client, Self.order()).status == .created)
            let (dossier, item) = try #require(try await ResultOrderCallbackTests.orderDossier(database, code: Self.dossierCode))
            #expect(dossier.oneStopStatus == 9 && item.dueDate != nil)
            #expect(try await database.pendingPickups(officeCode: "251750").map(\.trackingNumber) == [item.trackingNumber])
            // The receipt names the office that took the order, not the one that collects the result.
            let printed = String(buffer: try await client.execute(uri: "/api/v1/dossiers/\(item.trackingNumber)/receipt", method: .get).body)
            #expect(printed.contains("(250000)"))
        }
    }

    @Test func aReloadedPageAfterAnAnswerThatNeverCameSendsTheFirstOrderAgain() async throws {
        let standIn = StandIn(.unavailable("timeout"))
        let dependencies = try Self.dependencies(standIn)
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            #expect(try await Self.place(client, Self.order()).status == .serviceUnavailable)
            // The clerk reloads the page (a new key) and types the phone again, differently.
            standIn.answer.withLock { $0 = .registered(Self.facts) }
            let again = try await Self.place(client, Self.order { $0["receiver"] = ["fullName": "Nguyễn Văn An", "phone": "0987654321"] })
            #expect(again.status == .created)
            let sent = standIn.sent.withLock { $0 }
            #expect(sent.count == 2 && sent[0] == sent[1])
            #expect(try again.decoded(as: Receipt.self).trackingNumber.isEmpty == false)
        }
    }

    @Test func anUnknownCodeAnOrderAlreadyAndBadFieldsAreToldAndNothingIsKept() async throws {
        let standIn = StandIn(.unknownDossier)
        let dependencies = try Self.dependencies(standIn)
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let before = try await TestSupport.counts(database)
            let unknown = try await Self.place(client, Self.order())
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.decoded(as: Answer.Problem.self).codes == ["dossierCode": "unknownDossierCode"])
            standIn.answer.withLock { $0 = .conflict }
            let conflict = try await Self.place(client, Self.order())
            #expect(conflict.status == .conflict)
            #expect(try conflict.decoded(as: Answer.Problem.self).detail?.contains("đã có đơn trả kết quả") == true)

            let bad = try await Self.place(
                client,
                Self.order {
                    $0["dossierCode"] = String(repeating: "9", count: 51)
                    $0["receiver"] = ["fullName": "", "phone": "12"]
                    $0["deliveryUnitCode"] = "01834"
                    $0["postage"] = -1
                })
            #expect(
                try bad.decoded(as: Answer.Problem.self).codes == [
                    "dossierCode": "tooLong", "receiver.fullName": "empty", "receiver.phone": "invalidPhone", "deliveryUnitCode": "unitEnded",
                    "postage": "invalidMoney",
                ])
            #expect(try await TestSupport.counts(database) == before)
            #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM counterOrder")! } == 0)
        }
    }

    @Test func aOneStopThatDoesNotAnswerIsToldAtOnceAndTheRetrySendsTheSameOrder() async throws {
        let standIn = StandIn(.unavailable("connection refused"))
        let dependencies = try Self.dependencies(standIn)
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let key = UUID().uuidString
            let down = try await Self.place(client, Self.order(), key: key)
            #expect(down.status == .serviceUnavailable && down.headers[.retryAfter] == "30")
            #expect(try await ResultOrderCallbackTests.orderDossier(database, code: Self.dossierCode) == nil)

            // The one-stop may have taken it with its answer lost: the retry sends the very same bytes, number included.
            standIn.answer.withLock { $0 = .registered(Self.facts) }
            let retried = try await Self.place(client, Self.order(), key: key)
            #expect(retried.status == .created)
            let sent = standIn.sent.withLock { $0 }
            #expect(sent.count == 2 && sent[0] == sent[1])
            let number = try retried.decoded(as: Receipt.self).trackingNumber
            #expect(sent[0].contains(number))
        }
    }
}
