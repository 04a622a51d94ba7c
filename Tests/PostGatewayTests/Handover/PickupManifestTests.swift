import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// The pickup biên bản: the office's courier collects many results at a desk at once, and the signature picks every
/// one up at that instant.
@Suite(.temporaryFolder) struct PickupManifestTests {
    /// A result-only order at status 9 for phường Tích Lương's desk; answers its item number.
    static func readyOrder(_ client: some TestClientProtocol, secret: String, code: String, cash: Int, status: Int = 9) async throws -> String {
        let body = ResultOrderCallbackTests.order(status: status, cash: cash, code: code)
        let answer = try await OneStopEventsTests.send(client, ResultOrderCallbackTests.data(body), secret: secret)
        return try #require(try answer.decoded(as: Answer.CallbackReceipt.self).resultTrackingNumber)
    }

    static func open(_ client: some TestClientProtocol, _ numbers: [String], agency: String = "000.42.20.H55") async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/pickup-manifests", method: .post, headers: TestSupport.headers(key: nil),
            body: TestSupport.json(["agencyCode": agency, "officeCode": "251750", "trackingNumbers": numbers]))
    }

    @Test func signingPicksEveryResultUpAtThatInstantAndReportsEachToTheOneStop() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let first = try await Self.readyOrder(client, secret: dependencies.webhookSecret, code: "000.42.20.H55-261120-0001", cash: 52_000)
            let second = try await Self.readyOrder(client, secret: dependencies.webhookSecret, code: "000.42.20.H55-261120-0002", cash: 30_000)

            let opened = try await Self.open(client, [first, second])
            #expect(opened.status == .created)
            let manifest = try opened.decoded(as: Answer.PickupManifest.self)
            #expect(manifest.number.hasPrefix("BBKQ-251750-") && manifest.state == "open")
            #expect(manifest.items.map(\.cashOnDelivery) == [52_000, 30_000] && manifest.items.map(\.documentCount) == [2, 2])

            // Printed on A4 with every number, the totals, and the desk's signature line.
            let printed = try await client.execute(uri: manifest.links["manifest"]!, method: .get, headers: TestSupport.headers(key: nil))
            let html = String(buffer: printed.body)
            #expect(printed.status == .ok && html.contains(first) && html.contains(second))
            #expect(html.contains("000.42.20.H55-261120-0002") && html.contains("82.000") && html.contains("Tổng cộng 2 kết quả"))

            // Both on one biên bản at a time: a second one cannot take them.
            let twice = try await Self.open(client, [first])
            #expect(try twice.decoded(as: Answer.Problem.self).codes == ["trackingNumbers[0]": "itemOnOpenManifest"])

            let signed = try await client.execute(
                uri: "/api/v1/pickup-manifests/\(manifest.id)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["handedOverBy": "Lê Thị Hoa"]))
            #expect(signed.status == .ok)
            let done = try signed.decoded(as: Answer.PickupManifest.self)
            #expect(done.state == "signed" && done.handedOverBy == "Lê Thị Hoa" && done.items.allSatisfy { $0.status == "pickedUp" })

            let (events, messages) = try await database.read { db in
                (
                    try String.fetchAll(db, sql: "SELECT note FROM itemEvent WHERE code = 'pickedUp' ORDER BY id"),
                    try String.fetchAll(db, sql: "SELECT payload FROM outboxMessage WHERE kind = 'reportOrderProgress' ORDER BY id")
                )
            }
            #expect(events == [manifest.number, manifest.number])
            #expect(messages.filter { $0.contains("DA_NHAN_KET_QUA") }.count == 2)
            // The results' J is the pickup day now, and the pickup list no longer offers them.
            #expect(try await database.pendingPickups(officeCode: "251750").isEmpty)
            let dueDays = try await database.read { db in try String.fetchAll(db, sql: "SELECT dueDate FROM item WHERE kind = 'result'") }
            let fromPickup = dependencies.reference.dueDate(from: LocalDate(TestSupport.mondayMorning), scope: .sameZone).description
            #expect(dueDays == [fromPickup, fromPickup])
        }
    }

    @Test func onlyResultsWaitingAtTheDeskGoOnAPickupBienBan() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let notReady = try await Self.readyOrder(
                client, secret: dependencies.webhookSecret, code: "000.42.20.H55-261120-0003", cash: 0, status: 4)
            let dossier = try await DossierReadTests.create(client)
            let answer = try await Self.open(client, [notReady, dossier, TestSupport.unknownNumber])
            #expect(answer.status == .unprocessableContent)
            #expect(
                try answer.decoded(as: Answer.Problem.self).codes == [
                    "trackingNumbers[0]": "resultNotWaitingAtDesk", "trackingNumbers[1]": "notAResultItem", "trackingNumbers[2]": "itemUnknown",
                ])

            // A dossiers' manifest is not a pickup biên bản, nor the other way round.
            let ready = try await Self.readyOrder(client, secret: dependencies.webhookSecret, code: "000.42.20.H55-261120-0004", cash: 0)
            let pickup = try await Self.open(client, [ready]).decoded(as: Answer.PickupManifest.self)
            let asHandover = try await client.execute(
                uri: "/api/v1/handovers/\(pickup.id)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["receivedBy": "Lê Thị Hoa"]))
            #expect(asHandover.status == .notFound)
        }
    }

    @Test func theHandoverPageOffersResultsWaitingAtTheDesksAndShowsAPickupBienBanWithItsOwnSigning() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let code = "000.42.20.H55-261120-0005"
            let number = try await Self.readyOrder(client, secret: dependencies.webhookSecret, code: code, cash: 52_000)
            let page = String(buffer: try await client.execute(uri: "/handovers?officeCode=251750", method: .get).body)
            #expect(page.contains("data-api=\"/api/v1/pickup-manifests\"") && page.contains(number) && page.contains(code) && page.contains("52.000"))

            let manifest = try await Self.open(client, [number]).decoded(as: Answer.PickupManifest.self)
            let detail = String(buffer: try await client.execute(uri: "/handovers/\(manifest.id)", method: .get).body)
            #expect(detail.contains("Biên bản giao nhận kết quả \(manifest.number)"))
            #expect(detail.contains("data-api=\"/api/v1/pickup-manifests\" data-field=\"handedOverBy\""))
            #expect(detail.contains("href=\"/api/v1/pickup-manifests/\(manifest.id)/manifest\""))
            let listed = String(buffer: try await client.execute(uri: "/handovers?officeCode=251750", method: .get).body)
            #expect(listed.contains("Biên bản nhận kết quả gần đây") && listed.contains(manifest.number))
        }
    }
}
