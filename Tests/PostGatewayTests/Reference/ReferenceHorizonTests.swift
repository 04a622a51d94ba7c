import Foundation
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Within 60 days of the day a reference file is known until, `/health`, the metrics and the start-up log say so;
/// `/ready` does not change, since a calendar about to run out is no reason to stop taking dossiers in.
@Suite(.temporaryFolder) struct ReferenceHorizonTests {
    @Test func aFileRunningOutShowsInHealthAndMetricsButNotInReadiness() async throws {
        let units = try #require(TestSupport.reference.horizons.first { $0.file == "units.csv" })
        let holidays = try #require(TestSupport.reference.horizons.first { $0.file == "holidays.csv" })
        let clock = MovableClock(Date())
        // 30 days before the map's horizon, and more than 60 before the calendar's (or the test data changed).
        let day = LocalDate(iso: units.knownUntil)!.adding(days: -30)
        try #require(LocalDate(iso: holidays.knownUntil)!.daysSinceEpoch - day.daysSinceEpoch > 60)
        clock.set(day.description)
        let logs = CapturedLogs()
        var dependencies = try TestSupport.dependencies(clock: { clock.now })
        dependencies.logger = logs.logger
        let app = try buildApplication(dependencies)
        try await app.test(.live) { client in
            let health = try await client.execute(uri: "/health", method: .get).decoded(as: Answer.Health.self)
            #expect(health.referenceExpiring == [.init(file: "units.csv", knownUntil: units.knownUntil, daysLeft: 30)])
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_reference_known_days_left{file="units.csv"} 30"#))
            #expect(logs.text.contains("reference data runs out soon") && logs.text.contains("units.csv"))

            clock.set(LocalDate(iso: units.knownUntil)!.adding(days: -61).description)
            let earlier = try await client.execute(uri: "/health", method: .get).decoded(as: Answer.Health.self)
            #expect(earlier.referenceExpiring.isEmpty)
        }
    }
}
