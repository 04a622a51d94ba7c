import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct ScanningTests {
    static let calendar = TestSupport.reference.calendar

    /// Every status of both tables against every scannable event: allowed ones apply, all others are refused.
    @Test func everyRowOfTheTransitionTableAllowsExactlyItsEvents() {
        let monday = LocalDate(year: 2026, month: 11, day: 23)
        for (kind, rows) in ItemTransitions.table {
            for (status, allowed) in rows {
                for event in ItemTransitions.scannable {
                    // Two failed attempts a week apart, so the return rule is met where it applies.
                    let outcome = ItemTransitions.decide(
                        event, kind: kind, status: status, lastEvent: nil,
                        failedAttemptDays: [monday, monday.adding(days: 7)], calendar: Self.calendar)
                    #expect(outcome == (allowed.contains(event) ? .apply : .illegal), "\(kind) \(status) + \(event)")
                }
            }
        }
        #expect(ItemTransitions.table[.dossier]!.keys.sorted { $0.rawValue < $1.rawValue } == [.accepted, .arrived, .dispatched, .handedOver])
        #expect(ItemTransitions.table[.result]!.count == 9)
    }

    @Test func theSameEventTwiceIsARepeatNotAnError() {
        for (kind, rows) in ItemTransitions.table {
            for (_, allowed) in rows {
                for event in allowed {
                    let after = ItemTransitions.status(after: event)
                    #expect(
                        ItemTransitions.decide(
                            event, kind: kind, status: after, lastEvent: event, failedAttemptDays: [],
                            calendar: Self.calendar) == .repeated)
                }
            }
        }
    }

    @Test func aResultGoesBackToTheAgencyOnlyAfterTwoFailedAttemptsTwoWorkingDaysApart() {
        let friday = LocalDate(year: 2026, month: 11, day: 27)
        func decide(_ days: [LocalDate]) -> ItemTransitions.Outcome {
            ItemTransitions.decide(
                .returnedToAgency, kind: .result, status: .deliveryFailed, lastEvent: .deliveryFailed,
                failedAttemptDays: days, calendar: Self.calendar)
        }
        #expect(decide([friday]) == .tooEarlyToReturn)
        // Friday then Monday: one working day apart (the weekend does not count).
        #expect(decide([friday, friday.adding(days: 3)]) == .tooEarlyToReturn)
        // Friday then Tuesday: two working days.
        #expect(decide([friday, friday.adding(days: 4)]) == .apply)
        // Held at the office for the citizen: the same rule, so a result cannot go back unoffered.
        for days in [[], [friday]] {
            #expect(
                ItemTransitions.decide(
                    .returnedToAgency, kind: .result, status: .heldAtOffice, lastEvent: .heldAtOffice,
                    failedAttemptDays: days, calendar: Self.calendar) == .tooEarlyToReturn)
        }
        #expect(
            ItemTransitions.decide(
                .returnedToAgency, kind: .result, status: .heldAtOffice, lastEvent: .heldAtOffice,
                failedAttemptDays: [friday, friday.adding(days: 4)], calendar: Self.calendar) == .apply)
    }

    @Test func aScanDatedBeforeTheItemsLastEventIsRefusedNamingTheTimeAndChangesNothing() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            #expect(try await Self.scan(client, number, "dispatched").status == .created)
            // An hour before the dispatch scan (and the acceptance): refused, 422, on `at`.
            let early = LocalTime.iso(TestSupport.mondayMorning.addingTimeInterval(-3600))
            let refused = try await Self.scan(client, number, "arrived", extra: ["at": early])
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.problem.codes == ["at": "timeBeforeLastEvent"])
            // A minute before: within the slack for clocks a little apart.
            let slightly = LocalTime.iso(TestSupport.mondayMorning.addingTimeInterval(-60))
            #expect(try await Self.scan(client, number, "arrived", extra: ["at": slightly]).status == .created)
        }
    }

    /// The same serial with another check digit: what a typo usually looks like.
    static func withWrongCheckDigit(_ number: String) -> String {
        let characters = Array(number)
        return String(characters[0..<10]) + "\((Int(String(characters[10]))! + 1) % 10)" + "VN"
    }

    static func scan(
        _ client: some TestClientProtocol, _ number: String, _ event: String, office: String = "250000",
        extra: [String: Any] = [:]
    ) async throws -> TestResponse {
        var body: [String: Any] = ["trackingNumber": number, "event": event, "officeCode": office]
        body.merge(extra) { _, new in new }
        return try await client.execute(
            uri: "/api/v1/scans", method: .post, headers: TestSupport.headers(key: nil),
            body: TestSupport.json(body))
    }

    @Test func aDossierItemMovesByLegalScansAndIllegalOnesAreRefusedWithWhatIsAllowed() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            let dispatched = try await Self.scan(client, number, "dispatched")
            #expect(dispatched.status == .created)
            let answer = try dispatched.decoded(as: Answer.ScanResult.self)
            #expect(answer.status == "dispatched")
            #expect(answer.upuCode == "EMC")
            #expect(answer.allowedNext == ["arrived"])

            let again = try await Self.scan(client, number, "dispatched")
            #expect(again.status == .ok)
            #expect(try again.decoded(as: Answer.ScanResult.self).recorded == false)

            let illegal = try await Self.scan(client, number, "pickedUp")
            #expect(illegal.status == .conflict)
            let problem = try illegal.problem
            #expect(problem.currentStatus == "dispatched")
            #expect(problem.allowedEvents == ["arrived"])

            let arrived = try await Self.scan(client, number, "arrived", office: "251750", extra: ["note": "túi 12"])
            #expect(arrived.status == .created)
            let events = try await dependencies.database.read { db in
                try ItemEventRecord.fetchAll(db).map { "\($0.code.rawValue)@\($0.officeCode)" }
            }
            #expect(events == ["accepted@250000", "dispatched@250000", "arrived@251750"])
        }
    }

    @Test func badScansNameEveryFieldAndChangeNothing() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            let before = try await TestSupport.counts(dependencies.database)

            let wrongDigit = try await Self.scan(client, Self.withWrongCheckDigit(number), "arrived")
            #expect(wrongDigit.status == .unprocessableContent)
            #expect(try wrongDigit.problem.codes["trackingNumber"] == "badCheckDigit")

            let unknown = try await Self.scan(client, TestSupport.unknownNumber, "arrived")
            #expect(unknown.status == .notFound)

            let everything = try await client.execute(
                uri: "/api/v1/scans", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["trackingNumber": "nope", "event": "handedOver", "officeCode": "999999", "at": "tomorrow", "extra": 1]))
            #expect(everything.status == .unprocessableContent)
            #expect(
                try everything.problem.codes == [
                    "trackingNumber": "invalidTrackingNumber", "event": "notOneOf", "officeCode": "unknownOffice", "at": "invalidTime",
                    "extra": "unknownField",
                ])

            let future = try await Self.scan(client, number, "dispatched", extra: ["at": "2026-11-23T11:00:00+07:00"])
            #expect(try future.problem.codes == ["at": "timeInFuture"])
            #expect(try await TestSupport.counts(dependencies.database) == before)
        }
    }
}
