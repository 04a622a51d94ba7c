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
        return try response.decoded(as: Answer.IntakeReceipt.self).trackingNumber
    }

    @Test func theDetailShowsTheDossierItsItemsAndEvents() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let number = try await Self.create(client)
            let response = try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get)
            #expect(response.status == .ok)
            let dossier = try response.decoded(as: Answer.Dossier.self)
            #expect(dossier.trackingNumber == number)
            #expect(dossier.applicant.fullName == "Nguyễn Thị Hồng Nhung")
            #expect(dossier.fees.total == 38000)
            #expect(dossier.items.count == 1)
            let events = try #require(dossier.items.first).events
            #expect(events.map(\.code) == ["accepted"])
            #expect(events.first?.upuCode == "EMA")
        }
    }

    @Test func trackingNumbersInTheURLAreCheckedBeforeLookingUp() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let wrongDigit = try await client.execute(uri: "/api/v1/dossiers/PH000000156VN", method: .get)
            #expect(wrongDigit.status == .unprocessableContent)
            #expect(try wrongDigit.problem.codes == ["trackingNumber": "badCheckDigit"])
            let badFormat = try await client.execute(uri: "/api/v1/dossiers/hello", method: .get)
            #expect(badFormat.status == .badRequest)
            #expect(try badFormat.problem.codes == ["trackingNumber": "invalidTrackingNumber"])
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
                let page = try await client.execute(uri: uri, method: .get).decoded(as: Answer.DossierPage.self)
                seen += page.items.map(\.trackingNumber)
                cursor = page.nextCursor
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
                return try response.decoded(as: Answer.DossierPage.self).items.map(\.trackingNumber)
            }
            #expect(try await numbers("officeCode=256400") == [songCong])
            #expect(try await numbers("officeCode=250000&agencyCode=000.42.20.H55") == [central])
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
            #expect(Set(try response.problem.fields) == ["status", "from", "limit", "cursor", "sort"])
            let reversed = try await client.execute(uri: "/api/v1/dossiers?from=2026-11-24&to=2026-11-23", method: .get)
            #expect(try reversed.problem.codes == ["from": "invalidRange"])
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
            func items<Entry: Decodable>(_ path: String, _ entry: Entry.Type) async throws -> [Entry] {
                let response = try await client.execute(uri: "/api/v1/reference/\(path)", method: .get)
                #expect(response.status == .ok)
                return try response.decoded(as: Answer.Reference.List<Entry>.self).items
            }
            let offices = try await items("offices", Answer.Reference.Office.self)
            let agencies = try await items("agencies", Answer.Reference.Agency.self)
            let procedures = try await items("procedures", Answer.Reference.Procedure.self)
            #expect(offices.count >= 24)
            #expect(agencies.count == 127 && agencies.filter { $0.validTo == nil }.count == 94)
            #expect(procedures.count >= 25)
            // A day's desks and units: the former city's on its last day, the new map's from the next.
            let lastDay = try await items("agencies?on=2025-06-30", Answer.Reference.Agency.self)
            #expect(lastDay.count == 33 && lastDay.allSatisfy { $0.validTo == "2025-06-30" && !$0.successors.isEmpty })
            let units = try await items("units?on=2025-07-01", Answer.Reference.Unit.self)
            #expect(units.count == 92 && units.contains { $0.code == "05443" && $0.name == "Phan Đình Phùng" && $0.kind == "phường" })
            let former = try await items("units?on=2025-06-30", Answer.Reference.Unit.self)
            #expect(former.first { $0.code == "05695" }?.successors == ["05710"])  // xã Cao Ngạn → phường Linh Sơn
            let bad = try await client.execute(uri: "/api/v1/reference/units?on=2025-13-01", method: .get)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problem.fields == ["on"])
        }
    }

    @Test func operatorRoutesAnswer() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            // The test one-stop never answers: still ready (the outbox rides it out), and the answer says it is unreachable.
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(
                try ready.decoded(as: Answer.Readiness.self).checks == [
                    "database": "up", "oneStop": "unreachable", "serials.PH": "ok", "serials.PK": "ok",
                ])
            _ = try await Self.create(client)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_intakes_total{outcome="accepted"} 1"#))
            let unknown = try await client.execute(uri: "/nowhere", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }
}
