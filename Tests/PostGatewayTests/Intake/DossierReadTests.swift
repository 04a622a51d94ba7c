import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct DossierReadTests {
    static func create(_ client: some TestClientProtocol, _ changes: (inout [String: Any]) -> Void = { _ in }) async throws -> String {
        let response = try await client.execute(
            uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
            body: TestSupport.json(TestSupport.intake(changes)))
        #expect(response.status == .created)
        return try TestSupport.object(response)["trackingNumber"] as! String
    }

    @Test func theDetailShowsTheDossierItsItemsAndEvents() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let number = try await Self.create(client)
            let response = try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get)
            #expect(response.status == .ok)
            let dossier = try TestSupport.object(response)
            #expect(dossier["trackingNumber"] as? String == number)
            #expect((dossier["applicant"] as! [String: Any])["fullName"] as? String == "Nguyễn Thị Hồng Nhung")
            #expect((dossier["fees"] as! [String: Int])["total"] == 38000)
            let items = dossier["items"] as! [[String: Any]]
            #expect(items.count == 1)
            let events = items[0]["events"] as! [[String: Any]]
            #expect(events.map { $0["code"] as! String } == ["accepted"])
            #expect(events[0]["upuCode"] as? String == "EMA")
        }
    }

    @Test func trackingNumbersInTheURLAreCheckedBeforeLookingUp() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let wrongDigit = try await client.execute(uri: "/api/v1/dossiers/PH000000156VN", method: .get)
            #expect(wrongDigit.status == .unprocessableContent)
            #expect(try TestSupport.problemCodes(wrongDigit) == ["trackingNumber": "badCheckDigit"])
            let badFormat = try await client.execute(uri: "/api/v1/dossiers/hello", method: .get)
            #expect(badFormat.status == .badRequest)
            #expect(try TestSupport.problemCodes(badFormat) == ["trackingNumber": "invalidTrackingNumber"])
            let unknown = try await client.execute(uri: "/api/v1/dossiers/PH000000155VN", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func theListPagesNewestFirstWithoutGapsOrRepeats() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            var created: [String] = []
            for _ in 0..<7 { created.append(try await Self.create(client)) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/dossiers?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try TestSupport.object(try await client.execute(uri: uri, method: .get))
                seen += (page["items"] as! [[String: Any]]).map { $0["trackingNumber"] as! String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen == created.reversed())
        }
    }

    @Test func theListFiltersByOfficeAgencyStatusAndDay() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let central = try await Self.create(client)
            let songCong = try await Self.create(client) { $0["officeCode"] = "256400" }
            func numbers(_ query: String) async throws -> [String] {
                let response = try await client.execute(uri: "/api/v1/dossiers?\(query)", method: .get)
                #expect(response.status == .ok)
                return (try TestSupport.object(response)["items"] as! [[String: Any]]).map { $0["trackingNumber"] as! String }
            }
            #expect(try await numbers("officeCode=256400") == [songCong])
            #expect(try await numbers("officeCode=250000&agencyCode=000.01.12.H55") == [central])
            #expect(try await numbers("status=accepted").count == 2)
            #expect(try await numbers("status=delivered").isEmpty)
            #expect(try await numbers("from=2026-11-23&to=2026-11-23").count == 2)
            #expect(try await numbers("from=2026-11-24").isEmpty)
            #expect(try await numbers("to=2026-11-22").isEmpty)
        }
    }

    @Test func badListParametersAreAllNamed() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/dossiers?status=lost&from=23-11-2026&limit=5000&cursor=zzz&sort=name", method: .get)
            #expect(response.status == .unprocessableContent)
            #expect(Set(try TestSupport.problemFields(response)) == ["status", "from", "limit", "cursor", "sort"])
            let reversed = try await client.execute(uri: "/api/v1/dossiers?from=2026-11-24&to=2026-11-23", method: .get)
            #expect(try TestSupport.problemCodes(reversed) == ["from": "invalidRange"])
        }
    }

    @Test func theListCarriesNoPersonalData() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            _ = try await Self.create(client)
            let response = try await client.execute(uri: "/api/v1/dossiers", method: .get)
            let text = String(buffer: response.body)
            for secret in ["Nguyễn", "019190001234", "0912345678", "Tân Thịnh", "nhung@"] {
                #expect(!text.contains(secret))
            }
        }
    }

    @Test func referenceListsServeTheCounterForm() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            for (path, count) in [("offices", 12), ("agencies", 33), ("procedures", 25)] {
                let response = try await client.execute(uri: "/api/v1/reference/\(path)", method: .get)
                #expect(response.status == .ok)
                #expect((try TestSupport.object(response)["items"] as! [Any]).count >= count)
            }
        }
    }

    @Test func operatorRoutesAnswer() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            // The test one-stop never answers: still ready (the outbox rides it out), and the answer says it is unreachable.
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(try TestSupport.object(ready)["checks"] as! [String: String] == ["database": "up", "oneStop": "unreachable"])
            _ = try await Self.create(client)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_intakes_total{outcome="accepted"} 1"#))
            let unknown = try await client.execute(uri: "/nowhere", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }
}
