import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OneStopSandbox
import PropertyBased
import Testing

@testable import PostGateway

/// `POST /api/v1/onestop/events` through the router: verification first, then one transaction per callback.
@Suite(.temporaryFolder) struct OneStopEventsTests {
    /// A callback body as the sandbox writes it.
    static func event(
        _ number: String, _ status: Int, at time: String = "20261123100000", code: String? = "000.42.20.H55-261123-0001",
        appointment: String? = "20261130", content: String = "", result: [String: Any]? = nil
    ) -> Data {
        var body: [String: Any] = [
            "Loai": "hoso.trangthai", "MaBuuGui": number, "TrangThaiHoSo": status, "ThoiDiem": time,
            "MaHoSo": code ?? NSNull(), "NgayHenTra": appointment ?? NSNull(), "NoiDung": content, "KetQua": NSNull(),
        ]
        if let result { body["KetQua"] = result }
        return try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// Sends `body` signed with the gateway's secret, unless a header is given explicitly (nil value: left out).
    static func send(
        _ client: some TestClientProtocol, _ body: Data, secret: String, id: String = "msg_\(UUID().uuidString)",
        headers override: [String: String?] = [:], signedBody: Data? = nil
    ) async throws -> TestResponse {
        let timestamp = String(Int(TestSupport.mondayMorning.timeIntervalSince1970))
        var values: [String: String?] = [
            "webhook-id": id, "webhook-timestamp": timestamp,
            "webhook-signature": WebhookSigner(secret: secret)!.signature(id: id, timestamp: timestamp, body: signedBody ?? body),
        ]
        values.merge(override) { _, new in new }
        var headers: HTTPFields = [.contentType: "application/json"]
        for case (let name, let value?) in values { headers[HTTPField.Name(name)!] = value }
        return try await client.execute(uri: "/api/v1/onestop/events", method: .post, headers: headers, body: ByteBuffer(data: body))
    }

    static func callbackCount(_ database: AppDatabase) async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM oneStopCallback")! }
    }

    static func dossier(_ database: AppDatabase, _ number: String) async throws -> DossierRecord {
        try await database.read { db in
            try DossierRecord.fetchOne(
                db, sql: "SELECT d.* FROM dossier d JOIN item i ON i.dossierId = d.id WHERE i.trackingNumber = ?",
                arguments: [number])!
        }
    }

    @Test func forgedStaleMalformedAndUnsignedCallbacksAreRefusedAndChangeNothing() async throws {
        let dependencies = try TestSupport.dependencies()
        let secret = dependencies.webhookSecret
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            let before = try await TestSupport.counts(dependencies.database)
            let good = Self.event(number, 2)
            let seconds = Int(TestSupport.mondayMorning.timeIntervalSince1970)
            var changed = good
            changed.append(contentsOf: Array(" ".utf8))
            let refusals: [(String, TestResponse, HTTPResponse.Status)] = [
                ("forged", try await Self.send(client, good, secret: WebhookSigner.makeSecret()), .unauthorized),
                ("changed after signing", try await Self.send(client, Self.event(number, 9), secret: secret, signedBody: good), .unauthorized),
                ("trailing byte", try await Self.send(client, changed, secret: secret, signedBody: good), .unauthorized),
                ("stale", try await Self.send(client, good, secret: secret, headers: ["webhook-timestamp": String(seconds - 600)]), .unauthorized),
                ("future", try await Self.send(client, good, secret: secret, headers: ["webhook-timestamp": String(seconds + 600)]), .unauthorized),
                ("nan", try await Self.send(client, good, secret: secret, headers: ["webhook-timestamp": "nan"]), .badRequest),
                ("1e9", try await Self.send(client, good, secret: secret, headers: ["webhook-timestamp": "1e9"]), .badRequest),
                ("-1", try await Self.send(client, good, secret: secret, headers: ["webhook-timestamp": "-1"]), .badRequest),
                ("empty timestamp", try await Self.send(client, good, secret: secret, headers: ["webhook-timestamp": ""]), .badRequest),
                ("no id", try await Self.send(client, good, secret: secret, headers: ["webhook-id": nil]), .badRequest),
                ("no timestamp", try await Self.send(client, good, secret: secret, headers: ["webhook-timestamp": nil]), .badRequest),
                ("no signature", try await Self.send(client, good, secret: secret, headers: ["webhook-signature": nil]), .badRequest),
                ("not JSON", try await Self.send(client, Data("{\"Loai\":".utf8), secret: secret), .badRequest),
                ("an array", try await Self.send(client, Data("[1]".utf8), secret: secret), .unprocessableContent),
                (
                    "wrong types",
                    try await Self.send(
                        client, Data(#"{"Loai":"hoso.trangthai","MaBuuGui":"PH1","TrangThaiHoSo":"2","ThoiDiem":"2026-11-23"}"#.utf8), secret: secret),
                    .unprocessableContent
                ),
                ("status 11", try await Self.send(client, Self.event(number, 11), secret: secret), .unprocessableContent),
                (
                    "status 2 without its code", try await Self.send(client, Self.event(number, 2, code: nil, appointment: nil), secret: secret),
                    .unprocessableContent
                ),
                (
                    "status 9 without its result", try await Self.send(client, Self.event(number, 9, result: nil), secret: secret),
                    .unprocessableContent
                ),
                (
                    "negative cash",
                    try await Self.send(client, Self.event(number, 9, result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": -5]), secret: secret),
                    .unprocessableContent
                ),
                ("impossible time", try await Self.send(client, Self.event(number, 4, at: "20261131250000"), secret: secret), .unprocessableContent),
            ]
            for (name, response, status) in refusals {
                #expect(response.status == status, "\(name)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(name)")
            }
            let nan = try #require(refusals.first { $0.0 == "nan" }).1
            #expect(try nan.problem.codes == ["webhook-timestamp": "invalidUnixTime"])
            let wrongTypes = try await Self.send(
                client, Data(#"{"Loai":"hoso.trangthai","MaBuuGui":"PH1","TrangThaiHoSo":"2","ThoiDiem":"2026-11-23"}"#.utf8), secret: secret)
            #expect(
                try wrongTypes.problem.codes == [
                    "MaBuuGui": "invalidTrackingNumber", "TrangThaiHoSo": "wrongType", "ThoiDiem": "invalidCompactTime",
                ])
            // Without a Loai, the rest is still checked and named.
            let noType = try await Self.send(client, Data(#"{"MaBuuGui":"PH1","TrangThaiHoSo":9,"ThoiDiem":"20261123100000"}"#.utf8), secret: secret)
            #expect(try noType.problem.codes == ["Loai": "required", "MaBuuGui": "invalidTrackingNumber", "KetQua": "required"])
            #expect(try await TestSupport.counts(dependencies.database) == before)
            #expect(try await Self.callbackCount(dependencies.database) == 0)
            let dossier = try await Self.dossier(dependencies.database, number)
            #expect(dossier.oneStopStatus == nil && dossier.oneStopCode == nil)
        }
    }

    @Test func statusTwoRecordsTheDossierCodeAndAppointmentAndAReplayIsAcknowledgedAndIgnored() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            let first = try await Self.send(client, Self.event(number, 2, content: "Đã tiếp nhận"), secret: dependencies.webhookSecret, id: "msg_a")
            #expect(first.status == .ok)
            let receipt = try first.decoded(as: Answer.CallbackReceipt.self)
            #expect(receipt.outcome == "applied")
            #expect(receipt.firstDelivery == true)
            var dossier = try await Self.dossier(dependencies.database, number)
            #expect(dossier.oneStopStatus == 2)
            #expect(dossier.oneStopCode == "000.42.20.H55-261123-0001")
            #expect(dossier.appointmentDate == "2026-11-30")
            #expect(dossier.oneStopStatusAt.map(LocalTime.compact) == "20261123100000")

            // The same id again, even with another body: acknowledged, nothing applied.
            let replay = try await Self.send(client, Self.event(number, 4, at: "20261123110000"), secret: dependencies.webhookSecret, id: "msg_a")
            #expect(replay.status == .ok)
            #expect(try replay.decoded(as: Answer.CallbackReceipt.self).firstDelivery == false)
            dossier = try await Self.dossier(dependencies.database, number)
            #expect(dossier.oneStopStatus == 2)
            #expect(try await Self.callbackCount(dependencies.database) == 1)

            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_onestop_callbacks_total{outcome="applied"} 1"#))
            #expect(metrics.contains(#"postgateway_onestop_callbacks_total{outcome="replayed"} 1"#))

            // The mã hồ sơ now finds the dossier on the public page.
            let tracked = try await client.execute(uri: "/api/v1/track/000.42.20.H55-261123-0001", method: .get)
            #expect(try tracked.decoded(as: Answer.Tracking.self).oneStopStatus == 2)
        }
    }

    @Test func callbacksForUnknownDossiersOrTypesAreKeptButApplyNothing() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            let before = try await TestSupport.counts(dependencies.database)
            let unknown = try await Self.send(client, Self.event(TestSupport.unknownNumber, 2), secret: dependencies.webhookSecret)
            #expect(unknown.status == .ok)
            #expect(try unknown.decoded(as: Answer.CallbackReceipt.self).outcome == "unknownDossier")
            let otherType = try await Self.send(
                client, Data(#"{"Loai":"hoso.xoa","MaBuuGui":"\#(number)"}"#.utf8), secret: dependencies.webhookSecret)
            #expect(try otherType.decoded(as: Answer.CallbackReceipt.self).outcome == "unsupportedType")
            #expect(try await TestSupport.counts(dependencies.database) == before)
            #expect(try await Self.dossier(dependencies.database, number).oneStopStatus == nil)
            #expect(try await Self.callbackCount(dependencies.database) == 2)
            // Kept for ever: the ledger refuses to change or forget a callback.
            await #expect(throws: DatabaseError.self) {
                try await dependencies.database.write { db in try db.execute(sql: "DELETE FROM oneStopCallback") }
            }
            await #expect(throws: DatabaseError.self) {
                try await dependencies.database.write { db in try db.execute(sql: "UPDATE oneStopCallback SET outcome = 'applied'") }
            }
        }
    }

    /// One dossier's journey at the one-stop, with a supplement round: 2, 4, 5, 4, 9.
    static let journey: [(status: Int, at: String)] = [
        (2, "20261123100000"), (4, "20261123110000"), (5, "20261124090000"),
        (4, "20261125090000"), (9, "20261126150000"),
    ]

    @Test func callbacksOutOfOrderAndDuplicatedConvergeToTheLatestStatusWithOneResultItem() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        let deliveries = Array(Self.journey.indices) + Array(Self.journey.indices)  // each callback delivered twice
        try await app.test(.router) { client in
            await propertyCheck(count: 30, input: Gen.shuffled(deliveries), Gen.int(in: Self.journey.count...deliveries.count)) { order, kept in
                let number = try await DossierReadTests.create(client)
                let code = "000.42.20.H55-261123-\(number.dropFirst(2).prefix(8))"
                // Any arrival order, with or without the duplicates: the same end.
                let arrivals = order.prefix(kept)
                for index in arrivals {
                    let (status, at) = Self.journey[index]
                    let result: [String: Any]? = status == 9 ? ["SoLuongGiayTo": 1, "TienThuKhiPhat": 0] : nil
                    let response = try await Self.send(
                        client, Self.event(number, status, at: at, code: code, result: result),
                        secret: dependencies.webhookSecret, id: "msg_\(number)_\(index)")
                    #expect(response.status == .ok)
                }
                let latest = Set(arrivals).max()!
                let dossier = try await Self.dossier(dependencies.database, number)
                #expect(dossier.oneStopStatus == Self.journey[latest].status)
                #expect(dossier.oneStopStatusAt.map(LocalTime.compact) == Self.journey[latest].at)
                #expect(dossier.oneStopCode == code)
                let results = try await dependencies.database.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE kind = 'result' AND dossierId = ?", arguments: [dossier.id])!
                }
                #expect(results == (arrivals.contains(4) ? 1 : 0))
            }
        }
    }
}
