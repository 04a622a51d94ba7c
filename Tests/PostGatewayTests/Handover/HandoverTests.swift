import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct HandoverTests {
    /// Dossiers for phường Tích Lương that have arrived at the office serving it.
    static func arrivedItems(_ client: some TestClientProtocol, count: Int) async throws -> [String] {
        var numbers: [String] = []
        for _ in 0..<count {
            let number = try await DossierReadTests.create(client)
            #expect(try await ScanningTests.scan(client, number, "arrived", office: "251750").status == .created)
            numbers.append(number)
        }
        return numbers
    }

    static func open(
        _ client: some TestClientProtocol, _ numbers: [String], agency: String = "000.42.20.H55",
        office: String = "251750"
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/handovers", method: .post, headers: TestSupport.headers(key: nil),
            body: TestSupport.json(["agencyCode": agency, "officeCode": office, "trackingNumbers": numbers]))
    }

    @Test func signingHandsEveryItemOverAtThatInstantAndQueuesEachHandoverForTheOneStop() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let numbers = try await Self.arrivedItems(client, count: 3)
            let opened = try await Self.open(client, numbers)
            #expect(opened.status == .created)
            let manifest = try opened.decoded(as: Answer.Handover.self)
            let id = manifest.id
            #expect(manifest.number == "BB-251750-20261123-0001")
            #expect(manifest.state == "open")
            #expect(manifest.items.map(\.trackingNumber) == numbers)

            let printed = try await client.execute(uri: "/api/v1/handovers/\(id)/manifest", method: .get)
            #expect(printed.status == .ok)
            let html = String(buffer: printed.body)
            #expect(html.contains("BB-251750-20261123-0001") && numbers.allSatisfy(html.contains))

            let signed = try await client.execute(
                uri: "/api/v1/handovers/\(id)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["receivedBy": "Trần Thị Bình"]))
            #expect(signed.status == .ok)
            #expect(try signed.decoded(as: Answer.Handover.self).signedAt == "2026-11-23T09:30:00.000+07:00")

            let (statuses, payloads) = try await dependencies.database.read { db in
                (
                    try String.fetchAll(db, sql: "SELECT status FROM item ORDER BY id"),
                    try String.fetchAll(db, sql: "SELECT payload FROM outboxMessage WHERE kind = 'reportHandover' ORDER BY id")
                )
            }
            #expect(statuses == ["handedOver", "handedOver", "handedOver"])
            #expect(payloads.count == 3)
            let payload = try Data(payloads[0].utf8).decoded(as: [String: String].self)
            #expect(payload == ["SoBienBan": "BB-251750-20261123-0001", "ThoiDiemBanGiao": "20261123093000", "NguoiNhan": "Trần Thị Bình"])

            // Signing again by the same person is the same answer; by someone else, a conflict; nothing is queued twice.
            let again = try await client.execute(
                uri: "/api/v1/handovers/\(id)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["receivedBy": "Trần Thị Bình"]))
            #expect(again.status == .ok)
            let other = try await client.execute(
                uri: "/api/v1/handovers/\(id)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["receivedBy": "Lê Văn Cường"]))
            #expect(other.status == .conflict)
            #expect(try await TestSupport.counts(dependencies.database)["outboxMessage"] == 6)

            // Handed over is final for scans.
            let scanAfter = try await ScanningTests.scan(client, numbers[0], "dispatched", office: "251750")
            #expect(scanAfter.status == .conflict)
            #expect(try scanAfter.problem.allowedEvents == [])
        }
    }

    @Test func anItemIsOnAtMostOneOpenManifestAndOnlyArrivedItemsOfThatAgencyAndOfficeQualify() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let numbers = try await Self.arrivedItems(client, count: 2)
            #expect(try await Self.open(client, [numbers[0]]).status == .created)
            let notArrived = try await DossierReadTests.create(client)
            let before = try await TestSupport.counts(dependencies.database)

            let refused = try await Self.open(client, [numbers[0], notArrived, numbers[1], numbers[1], TestSupport.unknownNumber])
            #expect(refused.status == .unprocessableContent)
            #expect(
                try refused.problem.codes == [
                    "trackingNumbers[0]": "itemOnOpenManifest", "trackingNumbers[1]": "itemNotArrived", "trackingNumbers[3]": "duplicateItem",
                    "trackingNumbers[4]": "itemUnknown",
                ])
            let otherAgency = try await Self.open(client, [numbers[1]], agency: "000.65.20.H55")
            #expect(try otherAgency.problem.codes == ["trackingNumbers[0]": "itemOfOtherAgency"])
            let otherOffice = try await Self.open(client, [numbers[1]], office: "250000")
            #expect(try otherOffice.problem.codes == ["trackingNumbers[0]": "itemAtOtherOffice"])
            #expect(try await TestSupport.counts(dependencies.database) == before)

            // The schema itself refuses a second open manifest for an item.
            await #expect(throws: DatabaseError.self) {
                try await dependencies.database.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO handover (number, agencyCode, officeCode, createdAt, createdBy) VALUES ('BB-X', 'a', 'b', 'now', 't');
                            INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (last_insert_rowid(), 1, 1);
                            """)
                }
            }
        }
    }

    @Test func anItemThatMovedAfterTheManifestWasMadeStopsTheSigning() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let numbers = try await Self.arrivedItems(client, count: 2)
            let id = try await Self.open(client, numbers).decoded(as: Answer.Handover.self).id
            #expect(try await ScanningTests.scan(client, numbers[1], "dispatched", office: "251750").status == .created)
            let signed = try await client.execute(
                uri: "/api/v1/handovers/\(id)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["receivedBy": "Trần Thị Bình"]))
            #expect(signed.status == .conflict)
            let statuses = try await dependencies.database.read { db in try String.fetchAll(db, sql: "SELECT status FROM item ORDER BY id") }
            #expect(statuses == ["arrived", "dispatched"])

            // The way on: cancel it, and the item still waiting goes on a new manifest, which is signed.
            #expect(try await Self.open(client, [numbers[0]]).status == .unprocessableContent)  // still on the open one
            let cancelled = try await Self.post(client, "/api/v1/handovers/\(id)/cancel")
            #expect(cancelled.status == .ok)
            let cancelledManifest = try cancelled.decoded(as: Answer.Handover.self)
            #expect(cancelledManifest.state == "cancelled")
            #expect(cancelledManifest.cancelledAt != nil)
            #expect(cancelledManifest.links["manifest"] == nil)
            #expect(try await Self.post(client, "/api/v1/handovers/\(id)/cancel").status == .ok)  // again: the same answer
            let refused = try await Self.post(client, "/api/v1/handovers/\(id)/sign", ["receivedBy": "Trần Thị Bình"])
            #expect(refused.status == .conflict && String(buffer: refused.body).contains("đã bị hủy"))
            let second = try await Self.open(client, [numbers[0]])
            #expect(second.status == .created)
            let secondId = try second.decoded(as: Answer.Handover.self).id
            #expect(try await Self.post(client, "/api/v1/handovers/\(secondId)/sign", ["receivedBy": "Trần Thị Bình"]).status == .ok)
            // Signed, it is the record of the filing: it stays.
            #expect(try await Self.post(client, "/api/v1/handovers/\(secondId)/cancel").status == .conflict)
            let states = try await dependencies.database.read { db in try String.fetchAll(db, sql: "SELECT status FROM item ORDER BY id") }
            #expect(states == ["handedOver", "dispatched"])
            let page = String(buffer: try await client.execute(uri: "/handovers/\(id)", method: .get).body)
            #expect(page.contains("Đã hủy lúc") && !page.contains("id=\"sign-form\"") && !page.contains("In biên bản"))
            #expect(try await client.execute(uri: "/api/v1/handovers/\(id)/manifest", method: .get).status == .conflict)
        }
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: [String: Any] = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: TestSupport.headers(key: nil), body: TestSupport.json(body))
    }
}
