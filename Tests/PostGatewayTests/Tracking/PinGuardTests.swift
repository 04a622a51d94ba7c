import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct PinGuardTests {
    @Test func tenWrongPinsAcrossADossiersCodesCloseItsPinViewForADayWhileItsJourneyStillShows() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let dependencies = try TestSupport.dependencies(clock: { clock.now })
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let (dossier, result) = try await ResultReturnTests.resultReady(client, secret: dependencies.webhookSecret)
            let resultNumber = try #require(result)
            let oneStopCode = "000.42.20.H55-261123-\(dossier.dropFirst(2).prefix(8))"
            let pin = dependencies.pins.pin(for: try TrackingNumber(parsing: dossier))
            let wrong = pin == "000000" ? "111111" : "000000"
            func track(_ code: String, pin: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/track/\(code)" + (pin.map { "?pin=\($0)" } ?? ""), method: .get)
            }
            func unlocked(_ response: TestResponse) throws -> Bool {
                guard response.status == .ok else { return false }
                return try response.decoded(as: Answer.Tracking.self).details != nil
            }
            #expect(try unlocked(try await track(dossier, pin: pin)))

            // Nine wrong PINs through its three codes, a minute apart: the right one still opens it (and is forgotten).
            let codes = [dossier, resultNumber, oneStopCode]
            for attempt in 0..<9 {
                #expect(try await track(codes[attempt % 3], pin: wrong).status == .notFound)
                clock.set(clock.now.addingTimeInterval(60))
            }
            #expect(try unlocked(try await track(resultNumber, pin: pin)))
            // Ten more: the tenth closes the view.
            for attempt in 0..<10 {
                #expect(try await track(codes[attempt % 3], pin: wrong).status == .notFound)
                clock.set(clock.now.addingTimeInterval(60))
            }
            let wrongAnswer = try await track(dossier, pin: wrong)
            let rightAnswer = try await track(dossier, pin: pin)
            #expect(rightAnswer.status == .notFound)
            #expect(String(buffer: rightAnswer.body) == String(buffer: wrongAnswer.body), "the right PIN is answered like a wrong one")
            let journey = try await track(dossier)
            #expect(journey.status == .ok, "the code-only view still answers")
            #expect(try journey.decoded(as: Answer.Tracking.self).details == nil)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("postgateway_tracking_pin_views_closed_total 1"), "\(metrics)")
            // The counter still sees the whole dossier.
            #expect(try await client.execute(uri: "/api/v1/dossiers/\(dossier)", method: .get).status == .ok)

            // A day after it closed, the right PIN opens it again.
            clock.set(clock.now.addingTimeInterval(24 * 3600))
            #expect(try unlocked(try await track(oneStopCode, pin: pin)))
        }
    }

    @Test func parallelWrongPinsAreEachCountedAndCloseTheViewOnce() async throws {
        let database = try TestSupport.ledger()
        let dossierId = try await database.write { db -> Int64 in
            try LedgerTests.insertDossier(db)
            return db.lastInsertedRowID
        }
        let now = TestSupport.mondayMorning
        let closings = try await withThrowingTaskGroup(of: Date?.self) { group in
            for _ in 0..<25 { group.addTask { try await database.recordWrongPin(dossierId: dossierId, at: now, guard: PinGuard()) } }
            return try await group.reduce(into: [Date?]()) { $0.append($1) }
        }
        #expect(closings.compactMap { $0 } == [now.addingTimeInterval(24 * 3600)])
        #expect(try await database.pinVerdict(dossierId: dossierId, at: now) == .closed(until: now.addingTimeInterval(24 * 3600)))
        #expect(try await database.pinVerdict(dossierId: dossierId, at: now.addingTimeInterval(24 * 3600)) == .open)
    }
}
