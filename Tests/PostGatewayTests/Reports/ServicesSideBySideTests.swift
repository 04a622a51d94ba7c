import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Decision 45 Art 5's three services side by side, in the summary, the dashboard and Circular 17 Art 13's report.
@Suite(.temporaryFolder) struct ServicesSideBySideTests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func eachServiceIsCountedOnItsOwnRowEverywhere() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            _ = try await DossierReadTests.create(client)
            _ = try await DossierReadTests.create(client)
            _ = try await DossierReadTests.create(client) {
                $0["service"] = "sendOnly"
                $0.removeValue(forKey: "resultAddress")
                $0.removeValue(forKey: "resultAddressUnitCode")
            }
            let order = try await OneStopEventsTests.send(
                client, ResultOrderCallbackTests.data(ResultOrderCallbackTests.order()), secret: dependencies.webhookSecret)
            #expect(order.status == .ok)

            let summary = try Self.json(try await client.execute(uri: "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23", method: .get))
            let rows = try #require(summary["byService"] as? [[String: Any]])
            let received = Dictionary(uniqueKeysWithValues: rows.map { ($0["service"] as! String, $0["received"] as! Int) })
            #expect(received == ["sendOnly": 1, "sendAndReturn": 2, "resultOnly": 1])
            #expect(summary["received"] as? Int == 4)

            let page = String(buffer: try await client.execute(uri: "/dashboard?from=2026-11-23&to=2026-11-23", method: .get).body)
            #expect(page.contains("data-service=\"resultOnly\"><th scope=\"row\">Chuyển trả kết quả giải quyết TTHC</th><td class=\"n\">1</td>"))

            let report = try Self.json(try await client.execute(uri: "/api/v1/reports/postal-service?period=2026-Q4", method: .get))
            let services = try #require(report["services"] as? [[String: Any]])
            #expect(services.map { $0["service"] as? String } == ["sendOnly", "sendAndReturn", "resultOnly"])
            #expect(services.map { $0["volume"] as? Int } == [1, 2, 1])
        }
    }
}
