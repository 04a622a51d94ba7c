import Crypto
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Serials from the ranges the post allocated: in order through them, never outside, and a clear refusal past the
/// last that saves nothing.
@Suite(.temporaryFolder) struct SerialRangeTests {
    @Test func aBatchCrossesFromOneRangeToTheNextAndTheIntakePastTheLastFailsAlone() async throws {
        let database = try TestSupport.ledger()
        let pins = TrackingPins(key: SymmetricKey(size: .bits256))
        let series = try TrackingSeries(prefix: "PH", ranges: [500...501, 900...900])
        let validator = IntakeValidator(reference: TestSupport.reference, pins: pins, idNumbers: database.idNumbers)
        let submissions = try (1...4).map { index in
            try validator.validate(
                try JSONValue(parsing: Data(buffer: TestSupport.json(TestSupport.intake()))), idempotencyKey: "serial-range-key-\(index)",
                acceptedAt: TestSupport.mondayMorning, acceptedBy: "test")
        }
        let outcomes = try await database.acceptDossiers(submissions, series: series, pins: pins)
        let serials = try outcomes.prefix(3).map { outcome -> Int in
            guard case .accepted(let dossier) = try outcome.get() else { throw CancellationError() }
            return dossier.trackingNumber.serial
        }
        #expect(serials == [500, 501, 900])
        #expect(throws: TrackingSeries.Exhausted(prefix: "PH")) { try outcomes[3].get() }
        #expect(try await TestSupport.counts(database)["dossier"] == 3)
        #expect(try await database.lastSerials() == ["PH": 900])
        #expect(try await database.serialsLeft([series]) == [series.standing(after: 900)])
    }

    @Test func anIntakePastTheRangesIsRefusedWith503AndTheReadinessCheckAndMetricSayIt() async throws {
        let dependencies = try TestSupport.dependencies(tweak: { configuration in
            configuration.serialRanges = ["PH": try! TrackingSeries(prefix: "PH", ranges: [7_000...7_000])]
        })
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            func intake() async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(language: "en"), body: TestSupport.json(TestSupport.intake())
                )
            }
            let first = try await intake()
            #expect(first.status == .created)
            #expect(try first.decoded(as: Answer.IntakeReceipt.self).trackingNumber == TrackingNumber(prefix: "PH", serial: 7_000).description)
            let refused = try await intake()
            #expect(refused.status == .serviceUnavailable)
            let problem = try refused.problem
            #expect(problem.detail?.contains("PH serial ranges") == true && problem.detail?.contains("nothing was saved") == true)
            #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 1)

            let ready = try await client.execute(uri: "/ready", method: .get).decoded(as: Answer.Readiness.self)
            #expect(ready.status == "ready" && ready.checks["serials.PH"] == "exhausted" && ready.checks["serials.PK"] == "ok")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_serials_left{prefix="PH"} 0"#))
            #expect(metrics.contains(#"postgateway_serials_left{prefix="PK"} 99999999"#))
        }
    }

    /// A result item due when the results' ranges are used up: the callback is refused whole (the one-stop retries it),
    /// and the same callback is applied once the gateway restarts with a new range.
    @Test func aResultCallbackPastTheRangesIsRefusedWholeAndAppliedOnceARangeIsAdded() async throws {
        var dependencies = try TestSupport.dependencies(tweak: { configuration in
            configuration.serialRanges = ["PK": try! TrackingSeries(prefix: "PK", ranges: [1...1])]
        })
        let secret = dependencies.webhookSecret
        let resultReady = try await buildApplication(dependencies).test(.router) { client -> Data in
            let first = try await ResultReturnTests.resultReady(client, secret: secret)
            #expect(first.result == TrackingNumber(prefix: "PK", serial: 1).description)
            let number = try await DossierReadTests.create(client)
            let code = "000.42.20.H55-261123-\(number.dropFirst(2).prefix(8))"
            _ = try await OneStopEventsTests.send(client, OneStopEventsTests.event(number, 2, code: code), secret: secret)
            let resultReady = OneStopEventsTests.event(
                number, 9, at: "20261123091500", code: code, result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": 0])
            for _ in 1...2 {
                let refused = try await OneStopEventsTests.send(client, resultReady, secret: secret, id: "msg_result_past_the_range")
                #expect(refused.status == .serviceUnavailable)
            }
            let detail = try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get).decoded(as: Answer.Dossier.self)
            #expect(detail.items.count == 1)
            return resultReady
        }
        dependencies.configuration.serialRanges = ["PK": try TrackingSeries(prefix: "PK", ranges: [1...1, 40_000...40_999])]
        try await buildApplication(dependencies).test(.router) { client in
            let applied = try await OneStopEventsTests.send(client, resultReady, secret: secret, id: "msg_result_past_the_range")
            #expect(applied.status == .ok)
            let receipt = try applied.decoded(as: Answer.CallbackReceipt.self)
            #expect(receipt.firstDelivery && receipt.resultTrackingNumber == TrackingNumber(prefix: "PK", serial: 40_000).description)
        }
    }
}
