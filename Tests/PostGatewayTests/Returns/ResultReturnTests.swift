import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Status 9 makes a result item; its scans carry it to the citizen and report each step to the one-stop.
@Suite(.temporaryFolder) struct ResultReturnTests {
    /// A dossier for phường Tích Lương moved to 2 and then 9 by callbacks; answers the dossier and result numbers.
    static func resultReady(
        _ client: some TestClientProtocol, secret: String, service: String = "sendAndReturn",
        cash: Int = 25_000, notifications: String? = nil
    ) async throws -> (dossier: String, result: String?) {
        let number = try await DossierReadTests.create(client) { body in
            body["service"] = service
            if let notifications { body["notifications"] = notifications }
            if service == "sendOnly" {
                body["resultAddress"] = nil
                body["resultAddressUnitCode"] = nil
            }
        }
        let code = "000.42.20.H55-261123-\(number.dropFirst(2).prefix(8))"
        _ = try await OneStopEventsTests.send(client, OneStopEventsTests.event(number, 2, code: code), secret: secret)
        let ready = try await OneStopEventsTests.send(
            client, OneStopEventsTests.event(number, 9, at: "20261123091500", code: code, result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": cash]),
            secret: secret)
        #expect(ready.status == .ok)
        return (number, try ready.decoded(as: Answer.CallbackReceipt.self).resultTrackingNumber)
    }

    static func progress(_ database: AppDatabase) async throws -> [Answer.ReturnProgressPayload] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outboxMessage WHERE kind = 'reportReturnProgress' ORDER BY id")
        }.map { try Data($0.utf8).decoded(as: Answer.ReturnProgressPayload.self) }
    }

    @Test(arguments: [
        ("gọi 0912 345 678", true), ("CCCD: 019090001234", true), ("CMND 123.456.789", true), ("+84912345678", true),
        ("CCCD019090001234", true), ("SĐT0912345678", true), ("nhận thay: an.nguyen@gmail.com", true),
        ("kèm PH000000155VN", false), ("kèm ph000000155vn và PK000000014VN", false), ("Không có người nhận, hẹn 14:30", false),
        ("túi 12, kiện 3/5", false), ("hẹn lại 0912", false),
    ])
    func notesWithAnIDOrPhoneNumberAreRecognised(_ note: String, _ holdsNumber: Bool) {
        #expect(ScanRequest.holdsLongNumber(note) == holdsNumber)
    }

    @Test func eachResultEventThatMattersToTheOneStopHasItsContractWordAndAttempt() {
        let words = ItemTransitions.scannable.map { event in ReturnProgress.State(event)?.rawValue ?? "-" }
        #expect(
            Dictionary(uniqueKeysWithValues: zip(ItemTransitions.scannable.map(\.rawValue), words)) == [
                "dispatched": "-", "arrived": "-", "heldAtOffice": "-", "pickedUp": "DA_NHAN_KET_QUA", "outForDelivery": "DANG_PHAT",
                "delivered": "DA_PHAT", "deliveryFailed": "PHAT_KHONG_THANH_CONG", "returnedToAgency": "DA_HOAN_TRA",
            ])
        let twoRounds: [ItemEventCode] = [.created, .pickedUp, .outForDelivery, .deliveryFailed, .outForDelivery, .deliveryFailed]
        #expect(ReturnProgress.attempt(of: .outForDelivery, after: twoRounds) == 3)
        #expect(ReturnProgress.attempt(of: .returnedToAgency, after: twoRounds) == 2)
        #expect(ReturnProgress.attempt(of: .pickedUp, after: [.created]) == 1)
        #expect(ReturnProgress.attempt(of: .delivered, after: [.created, .pickedUp, .heldAtOffice]) == 1)
    }

    @Test func resultReadyCreatesAResultItemWaitingAtTheOfficeThatServesTheAgency() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let (number, result) = try await Self.resultReady(client, secret: dependencies.webhookSecret)
            let resultNumber = try #require(result)
            #expect(resultNumber.hasPrefix("PK") && resultNumber.hasSuffix("VN"))
            #expect((try? TrackingNumber(parsing: resultNumber)) != nil)

            let detail = try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get).decoded(as: Answer.Dossier.self)
            let items = detail.items
            try #require(items.count == 2)
            let item = items[1]
            #expect(item.kind == "result")
            #expect(item.status == "created")
            #expect(item.officeCode == "251750")  // the office serving phường Tích Lương
            #expect(item.cashOnDelivery == 25_000)
            // Ready on Monday 23/11; same district: J + 1 working day.
            #expect(item.dueDate == "2026-11-24")

            // On the pickup list of that office, not of another.
            let pickups = try await client.execute(uri: "/api/v1/pickups?officeCode=251750", method: .get).decoded(as: Answer.PickupList.self).items
            #expect(pickups.map(\.trackingNumber) == [resultNumber])
            #expect(pickups.first?.dossierTrackingNumber == number)
            let elsewhere = try await client.execute(uri: "/api/v1/pickups?officeCode=250000", method: .get).decoded(as: Answer.PickupList.self).items
            #expect(elsewhere.isEmpty)
            let badOffice = try await client.execute(uri: "/api/v1/pickups?officeCode=999999", method: .get)
            #expect(badOffice.status == .unprocessableContent)

            // Its label: the citizen is the recipient, with the cash to collect.
            let label = String(buffer: try await client.execute(uri: "/api/v1/labels/\(resultNumber)?format=svg", method: .get).body)
            #expect(label.contains(resultNumber) && label.contains("Nguyễn Thị Hồng Nhung") && label.contains("25.000"))

            // Status 9 again (a second callback id) does not make a second result item.
            let again = try await OneStopEventsTests.send(
                client,
                OneStopEventsTests.event(
                    number, 9, at: "20261123091500", code: nil, appointment: nil,
                    result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": 25_000]),
                secret: dependencies.webhookSecret)
            #expect(again.status == .ok)
            let count = try await dependencies.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE kind = 'result'")! }
            #expect(count == 1)
        }
    }

    @Test func aDossierWhoseResultIsCollectedAtTheDeskGetsNoResultItem() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let (number, result) = try await Self.resultReady(client, secret: dependencies.webhookSecret, service: "sendOnly")
            #expect(result == nil)
            let tracked = try await client.execute(uri: "/api/v1/track/\(number)", method: .get).decoded(as: Answer.Tracking.self)
            #expect(tracked.oneStopStatus == 9)
            #expect(tracked.guidance?.contains("Bộ phận Một cửa") == true)
        }
    }

    @Test func theResultTravelsByScansAndEachStepIsReportedToTheOneStop() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let (number, result) = try await Self.resultReady(client, secret: dependencies.webhookSecret)
            let resultNumber = try #require(result)
            func scan(_ event: String, office: String = "251750", extra: [String: Any] = [:]) async throws -> TestResponse {
                try await ScanningTests.scan(client, resultNumber, event, office: office, extra: extra)
            }
            #expect(try await scan("outForDelivery").status == .conflict)  // not picked up yet
            #expect(try await scan("pickedUp").status == .created)
            #expect(try await scan("dispatched").status == .created)
            #expect(try await scan("arrived", office: "250000").status == .created)
            #expect(try await scan("outForDelivery", office: "250000").status == .created)
            #expect(try await scan("deliveryFailed", office: "250000", extra: ["note": "Không có người nhận"]).status == .created)
            // A note with a phone or ID number is refused before anything is written.
            let leaky = try await scan("outForDelivery", office: "250000", extra: ["note": "gọi 0912 345 678"])
            #expect(try leaky.problem.codes == ["note": "personalDataInNote"])
            #expect(try await scan("outForDelivery", office: "250000").status == .created)
            // Delivering needs the identity check, recorded as done and never as a number.
            let unchecked = try await scan("delivered", office: "250000")
            #expect(try unchecked.problem.codes == ["identityChecked": "identityCheckRequired"])
            #expect(try await scan("delivered", office: "250000", extra: ["identityChecked": true]).status == .created)

            let sent = try await Self.progress(dependencies.database).map { "\($0.state)/\($0.attempt)" }
            #expect(sent == ["DA_NHAN_KET_QUA/1", "DANG_PHAT/1", "PHAT_KHONG_THANH_CONG/1", "DANG_PHAT/2", "DA_PHAT/2"])
            let first = try #require(try await Self.progress(dependencies.database).first)
            #expect(first.resultNumber == resultNumber && first.at == "20261123093000")

            let detail = try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get).decoded(as: Answer.Dossier.self)
            let events = try #require(detail.items.dropFirst().first).events
            #expect(
                events.map(\.code) == [
                    "created", "pickedUp", "dispatched", "arrived", "outForDelivery", "deliveryFailed",
                    "outForDelivery", "delivered",
                ])
            #expect(events.map(\.attempt) == [nil, nil, nil, nil, 1, 1, 2, 2])
            #expect(events.last?.identityChecked == true)

            // The citizen's page shows the result's journey in plain words.
            let tracked = try await client.execute(uri: "/api/v1/track/\(resultNumber)", method: .get).decoded(as: Answer.Tracking.self)
            #expect(tracked.items.last?.statusText == "Đã phát kết quả thành công")
        }
    }

    /// Circular 17 Art 13's report: a result made in one quarter and delivered in the next counts its cash in the next,
    /// and the first quarter's report does not change once it was printed.
    @Test func cashOnDeliveryIsReportedInThePeriodItWasCollected() async throws {
        try await Self.withResultReady { client, resultNumber, _, clock in
            func results(_ period: String) async throws -> Answer.PostalServiceReport.Results {
                let response = try await client.execute(uri: "/api/v1/reports/postal-service?period=\(period)", method: .get)
                return try response.decoded(as: Answer.PostalServiceReport.self).results
            }
            let made = Answer.PostalServiceReport.Results(items: 1, delivered: 0, returnedToAgency: 0, cashOnDeliveryCollected: 0)
            let before = try await results("2026-Q4")
            #expect(before == made)
            clock.set("2027-01-05")
            for event in ["pickedUp", "outForDelivery"] {
                let scanned = try await ScanningTests.scan(client, resultNumber, event, office: "251750")
                #expect(scanned.status == .created)
            }
            let delivered = try await ScanningTests.scan(client, resultNumber, "delivered", office: "251750", extra: ["identityChecked": true])
            #expect(delivered.status == .created)
            let printed = try await results("2026-Q4")
            let next = try await results("2027-Q1")
            #expect(printed == made)
            #expect(next == Answer.PostalServiceReport.Results(items: 0, delivered: 1, returnedToAgency: 0, cashOnDeliveryCollected: 25_000))
        }
    }

    /// The desk handed the result over itself (10): the clerk is no longer sent to collect it, nor is it overdue.
    @Test func aResultTheDeskReturnedItselfLeavesThePickupList() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let (number, result) = try await Self.resultReady(client, secret: dependencies.webhookSecret)
            let resultNumber = try #require(result)
            func pickups() async throws -> [String] {
                let list = try await client.execute(uri: "/api/v1/pickups?officeCode=251750", method: .get).decoded(as: Answer.PickupList.self)
                return list.items.map(\.trackingNumber)
            }
            #expect(try await pickups() == [resultNumber])
            let returned = try await OneStopEventsTests.send(
                client,
                OneStopEventsTests.event(
                    number, 10, at: "20261123150000",
                    code: "000.42.20.H55-261123-\(number.dropFirst(2).prefix(8))"),
                secret: dependencies.webhookSecret)
            #expect(returned.status == .ok)
            #expect(try await pickups().isEmpty)
            let overdue = try await dependencies.database.overdueItems(
                officeCode: nil, agencyCode: nil, asOf: LocalDate(iso: "2027-06-01")!, limit: 50)
            #expect(!overdue.items.contains { $0.trackingNumber == resultNumber })
        }
    }

    @Test func aResultHeldAtTheOfficeIsCollectedThere() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let resultNumber = try #require(try await Self.resultReady(client, secret: dependencies.webhookSecret).result)
            for event in ["pickedUp", "heldAtOffice"] {
                #expect(try await ScanningTests.scan(client, resultNumber, event, office: "251750").status == .created)
            }
            #expect(
                try await ScanningTests.scan(client, resultNumber, "delivered", office: "251750", extra: ["identityChecked": true]).status == .created
            )
            let sent = try await Self.progress(dependencies.database).map { "\($0.state)/\($0.attempt)" }
            #expect(sent == ["DA_NHAN_KET_QUA/1", "DA_PHAT/1"])
        }
    }

    /// A result ready on Monday morning, on a clock the test moves.
    static func withResultReady(
        _ body: @escaping @Sendable (any TestClientProtocol, _ resultNumber: String, AppDependencies, MovableClock) async throws -> Void
    )
        async throws
    {
        let clock = MovableClock(TestSupport.mondayMorning)
        let dependencies = try TestSupport.dependencies(clock: { clock.now })
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            try await body(client, try #require(try await resultReady(client, secret: dependencies.webhookSecret).result), dependencies, clock)
        }
    }

    /// TT17 Art 7: J is the day the result is taken from the agency, written on the new Phiếu signed at pickup.
    @Test func aResultIsDueJPlusNWorkingDaysFromTheDayItIsPickedUp() async throws {
        try await Self.withResultReady { client, resultNumber, dependencies, clock in
            func item() async throws -> (dueDate: String?, scope: TransitScope) {
                try await dependencies.database.read { db in
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT i.dueDate, d.transitScope FROM item i JOIN dossier d ON d.id = i.dossierId WHERE i.trackingNumber = ?
                            """, arguments: [resultNumber])!
                    return (row["dueDate"], TransitScope(rawValue: row["transitScope"])!)
                }
            }
            let ready = try await item()
            #expect(ready.dueDate == TestSupport.reference.dueDate(from: LocalDate(iso: "2026-11-23")!, scope: ready.scope).description)
            // Taken from the desk on Thursday: J is Thursday.
            clock.set("2026-11-26")
            #expect(try await ScanningTests.scan(client, resultNumber, "pickedUp", office: "251750").status == .created)
            let thursday = TestSupport.reference.dueDate(from: LocalDate(iso: "2026-11-26")!, scope: ready.scope).description
            #expect(try await item().dueDate == thursday)
            #expect(thursday != ready.dueDate)
            // Later scans leave it.
            #expect(try await ScanningTests.scan(client, resultNumber, "heldAtOffice", office: "251750").status == .created)
            #expect(try await item().dueDate == thursday)
        }
    }

    @Test func aResultHeldThatNobodyCollectsGoesOutAgainAndBackToTheAgencyAfterTwoFailedAttempts() async throws {
        try await Self.withResultReady { client, resultNumber, dependencies, clock in
            func scan(_ event: String, extra: [String: Any] = [:]) async throws -> HTTPResponse.Status {
                try await ScanningTests.scan(client, resultNumber, event, office: "251750", extra: extra).status
            }
            #expect(try await scan("pickedUp") == .created)
            #expect(try await scan("heldAtOffice") == .created)
            // Nobody came: not back to the agency unoffered, but out for delivery again.
            #expect(try await scan("returnedToAgency") != .created)
            #expect(try await scan("outForDelivery") == .created)
            #expect(try await scan("deliveryFailed") == .created)
            clock.set("2026-11-25")
            #expect(try await scan("heldAtOffice") == .created)
            #expect(try await scan("outForDelivery") == .created)
            #expect(try await scan("deliveryFailed") == .created)
            #expect(try await scan("returnedToAgency") == .created)
            let sent = try await Self.progress(dependencies.database).map { "\($0.state)/\($0.attempt)" }
            #expect(
                sent == ["DA_NHAN_KET_QUA/1", "DANG_PHAT/1", "PHAT_KHONG_THANH_CONG/1", "DANG_PHAT/2", "PHAT_KHONG_THANH_CONG/2", "DA_HOAN_TRA/2"])
        }
    }

    @Test(arguments: [(3, "không tiếp nhận", "Thiếu tờ khai"), (5, "cần thêm giấy tờ", "Bổ sung bản sao giấy khai sinh")])
    func rejectionsAndSupplementRequestsReachTheCitizenInPlainWords(_ status: Int, _ words: String, _ reason: String) async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            let receipt = try created.decoded(as: Answer.IntakeReceipt.self)
            let number = receipt.trackingNumber
            let pin = receipt.trackingPin
            _ = try await OneStopEventsTests.send(
                client,
                OneStopEventsTests.event(
                    number, status, at: "20261123092000", code: nil, appointment: nil,
                    content: reason), secret: dependencies.webhookSecret)
            let open = try await client.execute(uri: "/api/v1/track/\(number)", method: .get).decoded(as: Answer.Tracking.self)
            #expect(open.guidance?.contains(words) == true)
            #expect(open.details == nil)
            let unlocked = try await client.execute(uri: "/api/v1/track/\(number)?pin=\(pin)", method: .get).decoded(as: Answer.Tracking.self)
            #expect(unlocked.details?.agencyNote == reason)
            let page = String(buffer: try await client.execute(uri: "/t/\(number)", method: .get).body)
            #expect(page.contains(words) && !page.contains(reason))
        }
    }

    @Test func aSupplementIsANewDossierItemLinkedToTheDossierThatAskedForIt() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            let created = try response.decoded(as: Answer.IntakeReceipt.self)
            let original = created.trackingNumber
            let pin = created.trackingPin
            func supplement(_ target: String, _ changes: (inout [String: Any]) -> Void = { _ in }) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                    body: TestSupport.json(
                        TestSupport.intake { body in
                            body["supplementTo"] = target
                            changes(&body)
                        }))
            }
            // Not asked for yet, unknown, or for another agency: refused, nothing written.
            let before = try await TestSupport.counts(dependencies.database)
            #expect(try await supplement(original).problem.codes == ["supplementTo": "notAwaitingSupplement"])
            #expect(try await supplement(TestSupport.unknownNumber).problem.codes == ["supplementTo": "itemUnknown"])
            #expect(try await TestSupport.counts(dependencies.database) == before)

            _ = try await OneStopEventsTests.send(
                client,
                OneStopEventsTests.event(
                    original, 5, at: "20261123092000", code: nil, appointment: nil,
                    content: "Bổ sung bản sao"), secret: dependencies.webhookSecret)
            let elsewhere = try await supplement(original) { $0["agencyCode"] = "000.65.20.H55" }
            #expect(try elsewhere.problem.codes == ["supplementTo": "supplementMismatch"])
            let accepted = try await supplement(original)
            #expect(accepted.status == .created)
            let supplementNumber = try accepted.decoded(as: Answer.IntakeReceipt.self).trackingNumber
            #expect(supplementNumber != original)

            func detail(_ number: String) async throws -> Answer.Dossier {
                try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get).decoded(as: Answer.Dossier.self)
            }
            func tracking(_ uri: String) async throws -> Answer.Tracking {
                try await client.execute(uri: uri, method: .get).decoded(as: Answer.Tracking.self)
            }
            #expect(try await detail(original).linkedTrackingNumbers == [supplementNumber])
            #expect(try await detail(supplementNumber).linkedTrackingNumbers == [original])
            // Looked up first without the PIN (kept without its links, which only the PIN shows), then with it.
            let locked = try await tracking("/api/v1/track/\(original)")
            #expect(locked.details == nil)
            let tracked = try await tracking("/api/v1/track/\(original)?pin=\(pin)")
            #expect(tracked.details?.linkedTrackingNumbers == [supplementNumber])
            let page = try await client.execute(uri: "/t/\(original)?pin=\(pin)", method: .get)
            #expect(String(buffer: page.body).contains(supplementNumber))
            // The supplement travels like any dossier: registered with the one-stop through the outbox.
            let registrations = try await dependencies.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outboxMessage WHERE kind = 'registerDossier'")!
            }
            #expect(registrations == 2)
        }
    }
}
