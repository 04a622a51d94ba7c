import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Complaints and incidents (`/api/v1/cases`) and Circular 17 Art 13's periodic report that counts them.
@Suite(.temporaryFolder) struct PostalCaseTests {
    static func post(_ client: some TestClientProtocol, _ uri: String, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: TestSupport.json(body))
    }

    static func report(_ client: some TestClientProtocol, _ period: String) async throws -> Answer.PostalServiceReport {
        try await client.execute(uri: "/api/v1/reports/postal-service?period=\(period)", method: .get).decoded(as: Answer.PostalServiceReport.self)
    }

    @Test func aComplaintIsOpenedWithItsDeadlineResolvedOnceAndCountedInTheQuarterlyReport() async throws {
        let clock = MovableClock(Date())
        let app = try buildApplication(try TestSupport.dependencies(clock: { clock.now }))
        try await app.test(.router) { client in
            clock.set("2026-07-06")
            let first = try await DossierReadTests.create(client)
            let second = try await DossierReadTests.create(client)
            let third = try await DossierReadTests.create(client) {
                $0["service"] = "sendOnly"
                $0["resultAddress"] = nil
                $0["resultAddressUnitCode"] = nil
            }

            // Friday 10/7: a complaint within the province is due in 5 working days, Friday 17/7.
            clock.set("2026-07-10")
            let opened = try await Self.post(client, "/api/v1/cases", ["trackingNumber": first, "origin": "customer", "subject": "delay"])
            #expect(opened.status == .created)
            let complaint = try opened.decoded(as: Answer.PostalCase.self)
            #expect(complaint.dueDate == "2026-07-17" && complaint.state == "open")
            let id = complaint.id
            #expect(opened.headers[.location] == "/api/v1/cases/\(id)")

            // Paying without fault is refused; so is an unknown field; nothing changes.
            let unfair = try await Self.post(client, "/api/v1/cases/\(id)/resolve", ["upheld": false, "compensation": 50_000, "why": "x"])
            #expect(Set(try unfair.problem.fields) == ["compensation", "why"])
            clock.set("2026-07-14")
            let resolved = try await Self.post(client, "/api/v1/cases/\(id)/resolve", ["upheld": true, "resolution": "Chậm do thiếu xe tuyến."])
            #expect(resolved.status == .ok)
            #expect(try resolved.decoded(as: Answer.PostalCase.self).late == false)
            let again = try await Self.post(client, "/api/v1/cases/\(id)/resolve", ["upheld": false])
            #expect(again.status == .conflict)

            // The post finds an item lost and another damaged, and pays for both; a rejected complaint pays nothing.
            for (number, subject, amount) in [(second, "lost", 500_000), (third, "damaged", 200_000)] {
                let incident = try await Self.post(client, "/api/v1/cases", ["trackingNumber": number, "origin": "post", "subject": subject])
                    .decoded(as: Answer.PostalCase.self)
                let paid = try await Self.post(client, "/api/v1/cases/\(incident.id)/resolve", ["upheld": true, "compensation": amount])
                #expect(paid.status == .ok)
            }
            let rejected = try await Self.post(client, "/api/v1/cases", ["trackingNumber": third, "origin": "customer", "subject": "other"])
                .decoded(as: Answer.PostalCase.self)
            clock.set("2026-07-24")  // after its 5 working days (due 21/7)
            _ = try await Self.post(client, "/api/v1/cases/\(rejected.id)/resolve", ["upheld": false])
            _ = try await Self.post(client, "/api/v1/cases", ["trackingNumber": second, "origin": "customer", "subject": "lost"])  // still open

            let list = try await client.execute(uri: "/api/v1/cases?state=open", method: .get).decoded(as: Answer.PostalCaseList.self)
            #expect(list.items.map(\.trackingNumber) == [second])

            let report = try await Self.report(client, "2026-Q3")
            #expect(report.dueBefore == "2026-10-10")
            let services = Dictionary(uniqueKeysWithValues: report.services.map { ($0.service, $0) })
            #expect(services["sendAndReturn"]?.volume == 2 && services["sendOnly"]?.volume == 1)
            #expect(services["sendAndReturn"]?.revenue == 60_000 && services["sendAndReturn"]?.feesCollected == 16_000)
            let complaints = Answer.PostalServiceReport.Complaints(
                received: 3, resolved: 2, resolvedWithinDeadline: 1, resolvedLate: 1, upheld: 1, pendingAtEnd: 1)
            #expect(report.complaints == complaints)
            #expect(report.lostItems == 1 && report.damagedItems == 1)
            #expect(report.compensation == Answer.PostalServiceReport.Compensation(cases: 2, amount: 700_000))
            #expect(report.safety.safePercent == "33.33")

            // The same as CSV and as a page to print; the quarter before has nothing.
            let csv = String(buffer: try await client.execute(uri: "/api/v1/reports/postal-service?period=2026-Q3&format=csv", method: .get).body)
            #expect(csv.contains("compensation,cases,2,700000\r\n") && csv.contains("incidents,lost,1,\r\n"))
            let page = String(buffer: try await client.execute(uri: "/api/v1/reports/postal-service?period=2026-Q3&format=html", method: .get).body)
            #expect(page.contains("Quý III năm 2026") && page.contains("10/10/2026") && page.contains("700.000 đ"))
            #expect(!page.contains("Nguyễn"))
            let before = try await Self.report(client, "2026-Q2")
            #expect(before.complaints.received == 0)
        }
    }

    @Test func askingAgainForAnOpenCaseAnswersThatCaseSoItsCompensationIsCountedOnce() async throws {
        let clock = MovableClock(Date())
        let app = try buildApplication(try TestSupport.dependencies(clock: { clock.now }))
        try await app.test(.router) { client in
            clock.set("2026-07-06")
            let number = try await DossierReadTests.create(client)
            clock.set("2026-07-10")
            let complaint = ["trackingNumber": number, "origin": "customer", "subject": "lost"]
            let opened = try await Self.post(client, "/api/v1/cases", complaint)
            #expect(opened.status == .created)
            let id = try opened.decoded(as: Answer.PostalCase.self).id
            // The answer was lost and the counter's screen sends it again; later a second clerk takes the same complaint.
            for _ in 0..<2 {
                let again = try await Self.post(client, "/api/v1/cases", complaint)
                #expect(again.status == .ok)
                #expect(try again.decoded(as: Answer.PostalCase.self).id == id && again.headers[.location] == "/api/v1/cases/\(id)")
            }
            // Another subject, or the post's own finding, is another case.
            let damaged = try await Self.post(client, "/api/v1/cases", ["trackingNumber": number, "origin": "customer", "subject": "damaged"])
            let found = try await Self.post(client, "/api/v1/cases", ["trackingNumber": number, "origin": "post", "subject": "lost"])
            #expect(damaged.status == .created && found.status == .created)
            #expect(try await Self.post(client, "/api/v1/cases/\(id)/resolve", ["upheld": true, "compensation": 500_000]).status == .ok)
            // Once resolved, the same complaint lodged again is a new case.
            #expect(try await Self.post(client, "/api/v1/cases", complaint).status == .created)

            let report = try await Self.report(client, "2026-Q3")
            #expect(report.complaints.received == 3)
            #expect(report.compensation == Answer.PostalServiceReport.Compensation(cases: 1, amount: 500_000))
        }
    }

    @Test func badCasesAreRefusedNamingEveryFieldAndChangeNothing() async throws {
        let clock = MovableClock(Date())
        let dependencies = try TestSupport.dependencies(clock: { clock.now })
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            clock.set("2026-01-05")
            let number = try await DossierReadTests.create(client)
            let bad = try await Self.post(
                client, "/api/v1/cases",
                [
                    "trackingNumber": "PH000000156VN", "origin": "citizen", "subject": "lost",
                    "note": "gọi 0912345678",
                ])
            #expect(Set(try bad.problem.fields) == ["trackingNumber", "origin", "note"])
            let unknown = try await Self.post(
                client, "/api/v1/cases", ["trackingNumber": TestSupport.unknownNumber, "origin": "customer", "subject": "lost"])
            #expect(unknown.status == .notFound)
            // Six months after J + n (6/1) is 6/7: a complaint on 7/7 is too late; one from the post itself is not.
            clock.set("2026-07-07")
            let late = try await Self.post(client, "/api/v1/cases", ["trackingNumber": number, "origin": "customer", "subject": "delay"])
            #expect(try late.problem.codes["at"] == "complaintTooLate")
            let counts = try await dependencies.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM postalCase")! }
            #expect(counts == 0)
            #expect(
                try await Self.post(client, "/api/v1/cases", ["trackingNumber": number, "origin": "post", "subject": "damaged"]).status == .created)
            #expect(try await client.execute(uri: "/api/v1/cases/99", method: .get).status == .notFound)
            let period = try await client.execute(uri: "/api/v1/reports/postal-service?period=2026-Q5&format=xls", method: .get)
            #expect(Set(try period.problem.fields) == ["period", "format"])
        }
    }
}
