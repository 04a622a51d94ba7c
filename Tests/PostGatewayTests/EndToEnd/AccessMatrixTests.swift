import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Every staff route × role × own or other office, over real API tokens: too low a role is 403, another
/// office's item is 404 (its existence does not leak), no credentials is 401 (or the login page).
@Suite(.temporaryFolder) struct AccessMatrixTests {
    /// Immutable once built; `body` holds JSON values only.
    struct Route: CustomStringConvertible, @unchecked Sendable {
        let method: HTTPRequest.Method
        let uri: String
        var body: [String: Any]? = nil
        let minimum: StaffIdentity.Role
        /// The office whose thing the route reaches; nil when the route is not about one office's things.
        let home: String?
        /// What staff of another office get (404 unless the route says otherwise).
        var otherOffice: HTTPResponse.Status = .notFound
        var page = false
        /// Puts the thing back as it was before each call (a requeued message is no longer dead).
        var prepare: (@Sendable (AppDatabase) async throws -> Void)? = nil

        var description: String { "\(method) \(uri)" }
    }

    static let other = "251130"

    struct Fixtures {
        let dossier: String
        let arrived: String
        let handover: Int
        let caseId: Int
        let message: Int64
        let run: Int
    }

    /// One of everything, made as an admin through the API: a dossier at 250000, an item arrived at 251750 on a
    /// manifest there, a complaint, a dead outbox message and a queued reconciliation run.
    static func fixtures(_ client: some TestClientProtocol, database: AppDatabase) async throws -> Fixtures {
        let dossier = try await DossierReadTests.create(client)
        let arrived = try await HandoverTests.arrivedItems(client, count: 2)
        let opened = try await HandoverTests.open(client, [arrived[0]])
        #expect(opened.status == .created)
        let complaint = try await PostalCaseTests.post(
            client, "/api/v1/cases", ["trackingNumber": dossier, "origin": "customer", "subject": "delay"])
        #expect(complaint.status == .created)
        let run = try await PostalCaseTests.post(client, "/api/v1/reconciliations", ["date": "2026-11-20"])
        #expect(run.status == .accepted)
        let message = try await database.write { db in
            try db.execute(sql: "UPDATE outboxMessage SET state = 'dead' WHERE id = (SELECT min(id) FROM outboxMessage)")
            return try Int64.fetchOne(db, sql: "SELECT min(id) FROM outboxMessage")!
        }
        return Fixtures(
            dossier: dossier, arrived: arrived[1], handover: try opened.decoded(as: Answer.Handover.self).id,
            caseId: try complaint.decoded(as: Answer.PostalCase.self).id, message: message,
            run: try run.decoded(as: Answer.ReconciliationRun.self).id)
    }

    static func routes(_ f: Fixtures) -> [Route] {
        let central = "250000"
        let camGia = "251750"
        return [
            Route(
                method: .post, uri: "/api/v1/dossiers", body: TestSupport.intake(), minimum: .clerk, home: central, otherOffice: .unprocessableContent
            ),
            Route(method: .get, uri: "/api/v1/dossiers?officeCode=\(central)", minimum: .clerk, home: central),
            Route(method: .get, uri: "/api/v1/dossiers/\(f.dossier)", minimum: .clerk, home: central),
            Route(method: .get, uri: "/api/v1/dossiers/\(f.dossier)/receipt", minimum: .clerk, home: central),
            Route(method: .get, uri: "/api/v1/labels/\(f.dossier)", minimum: .clerk, home: central),
            Route(
                method: .post, uri: "/api/v1/scans", body: ["trackingNumber": f.arrived, "event": "arrived", "officeCode": camGia],
                minimum: .clerk, home: camGia),
            Route(method: .get, uri: "/api/v1/outbox", minimum: .supervisor, home: nil),
            Route(method: .post, uri: "/api/v1/outbox/\(f.message)/requeue", minimum: .supervisor, home: central) { database in
                try await database.write { db in try db.execute(sql: "UPDATE outboxMessage SET state = 'dead' WHERE id = ?", arguments: [f.message]) }
            },
            Route(
                method: .post, uri: "/api/v1/handovers", body: ["agencyCode": "000.42.20.H55", "officeCode": camGia, "trackingNumbers": [f.arrived]],
                minimum: .supervisor, home: camGia),
            Route(method: .get, uri: "/api/v1/handovers?officeCode=\(camGia)", minimum: .clerk, home: camGia),
            Route(method: .get, uri: "/api/v1/handovers/\(f.handover)", minimum: .clerk, home: camGia),
            Route(method: .get, uri: "/api/v1/handovers/\(f.handover)/manifest", minimum: .clerk, home: camGia),
            Route(
                method: .post, uri: "/api/v1/handovers/\(f.handover)/sign", body: ["receivedBy": "Trần Thị Bình"], minimum: .supervisor, home: camGia),
            // Signed by then: the supervisor of the office gets 409, which is not a refusal of access.
            Route(method: .post, uri: "/api/v1/handovers/\(f.handover)/cancel", minimum: .supervisor, home: camGia),
            Route(method: .get, uri: "/api/v1/pickups?officeCode=\(camGia)", minimum: .clerk, home: camGia),
            Route(method: .post, uri: "/api/v1/reconciliations", body: ["date": "2026-11-20", "dryRun": true], minimum: .supervisor, home: nil),
            Route(method: .get, uri: "/api/v1/reconciliations", minimum: .supervisor, home: nil),
            Route(method: .get, uri: "/api/v1/reconciliations/\(f.run)", minimum: .supervisor, home: nil),
            Route(
                method: .get, uri: "/api/v1/reports/summary?from=2026-11-01&to=2026-11-23&officeCode=\(central)", minimum: .supervisor, home: central),
            Route(method: .get, uri: "/api/v1/reports/overdue?officeCode=\(central)", minimum: .supervisor, home: central),
            Route(method: .get, uri: "/api/v1/reports/postal-service?period=2026-Q3&officeCode=\(central)", minimum: .supervisor, home: central),
            Route(
                method: .post, uri: "/api/v1/cases", body: ["trackingNumber": f.dossier, "origin": "customer", "subject": "other"],
                minimum: .clerk, home: central),
            Route(method: .get, uri: "/api/v1/cases?officeCode=\(central)", minimum: .clerk, home: central),
            Route(method: .get, uri: "/api/v1/cases/\(f.caseId)", minimum: .clerk, home: central),
            Route(
                method: .post, uri: "/api/v1/cases/\(f.caseId)/resolve", body: ["upheld": false, "resolution": "Đã giải thích"],
                minimum: .supervisor, home: central),
            Route(method: .get, uri: "/counter", minimum: .clerk, home: nil, page: true),
            Route(method: .get, uri: "/scan", minimum: .clerk, home: nil, page: true),
            Route(method: .get, uri: "/handovers?officeCode=\(camGia)", minimum: .clerk, home: camGia, page: true),
            Route(method: .get, uri: "/handovers/\(f.handover)", minimum: .clerk, home: camGia, page: true),
            Route(method: .get, uri: "/dashboard?officeCode=\(central)", minimum: .supervisor, home: central, page: true),
        ]
    }

    /// A token made straight in the ledger, as `postgateway token create` makes it.
    static func token(_ role: StaffIdentity.Role, _ office: String?, in database: AppDatabase) async throws -> String {
        let token = StaffSecrets.newToken()
        _ = try await database.createToken(tokenHash: StaffSecrets.hash(token), label: "test", role: role, officeCode: office, at: Date()) { id in
            AuditEntry(actor: "test", action: "token.create", subject: "token:\(id)", officeCode: nil, remoteAddress: nil, outcome: 0)
        }
        return token
    }

    @Test func everyStaffRouteAnswersByRoleAndOffice() async throws {
        var dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let fixtureApp = try buildApplication(dependencies)
        dependencies.staffWithoutCredentials = nil
        let app = try buildApplication(dependencies)

        var made: [String: String] = [:]
        for office in ["250000", "251750", Self.other] as [String?] + [nil] {
            for role in StaffIdentity.Role.allCases where (role == .admin) == (office == nil) {
                made["\(role)@\(office ?? "-")"] = try await Self.token(role, office, in: database)
            }
        }
        let tokens = made
        @Sendable func token(_ role: StaffIdentity.Role, _ office: String?) -> String { tokens["\(role)@\(office ?? "-")"]! }

        let fixtures = try await fixtureApp.test(.router) { client in try await Self.fixtures(client, database: database) }
        let routes = Self.routes(fixtures)
        try await app.test(.router) { client in
            func call(_ route: Route, token: String?) async throws -> TestResponse {
                if let prepare = route.prepare { try await prepare(database) }
                var headers: HTTPFields = [.contentType: "application/json", .idempotencyKey: UUID().uuidString]
                if let token { headers[.authorization] = "Bearer \(token)" }
                return try await client.execute(
                    uri: route.uri, method: route.method, headers: headers,
                    body: route.body.map(TestSupport.json) ?? ByteBuffer())
            }
            for route in routes {
                let anonymous = try await call(route, token: nil)
                #expect(anonymous.status == (route.page ? .seeOther : .unauthorized), "\(route) without credentials")
                for role in [StaffIdentity.Role.clerk, .supervisor] {
                    for office in [route.home ?? "250000", Self.other] {
                        let response = try await call(route, token: token(role, office))
                        let own = route.home == nil || office == route.home
                        let label = "\(route) as \(role) of \(own ? "its" : "another") office"
                        if role < route.minimum {
                            #expect(response.status == .forbidden, "\(label): \(response.status)")
                        } else if !own {
                            #expect(response.status == route.otherOffice, "\(label): \(response.status)")
                        } else {
                            #expect(![.unauthorized, .forbidden, .notFound].contains(response.status), "\(label): \(response.status)")
                        }
                    }
                }
                let admin = try await call(route, token: token(.admin, nil))
                #expect(![.unauthorized, .forbidden, .notFound].contains(admin.status), "\(route) as admin: \(admin.status)")
            }
        }
    }

    /// The pages offer each role what it may do: a clerk sees no button the API would refuse them, and a clerk who
    /// follows a link to the figures gets a page that says whose they are.
    @Test func pagesShowOnlyWhatTheRoleMayDo() async throws {
        var dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let fixtureApp = try buildApplication(dependencies)
        dependencies.staffWithoutCredentials = nil
        let handover = try await fixtureApp.test(.router) { client in try await Self.fixtures(client, database: database) }.handover
        let clerk = try await Self.token(.clerk, "251750", in: database)
        let supervisor = try await Self.token(.supervisor, "251750", in: database)
        try await buildApplication(dependencies).test(.router) { client in
            func page(_ uri: String, _ token: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
                return (response.status, String(buffer: response.body))
            }
            let (_, clerkManifest) = try await page("/handovers/\(handover)", clerk)
            let (_, supervisorManifest) = try await page("/handovers/\(handover)", supervisor)
            #expect(!clerkManifest.contains("sign-form") && !clerkManifest.contains("cancel-form") && clerkManifest.contains("handover-note"))
            #expect(
                supervisorManifest.contains("sign-form") && supervisorManifest.contains("cancel-form")
                    && !supervisorManifest.contains("handover-note"))
            let (_, clerkList) = try await page("/handovers", clerk)
            #expect(!clerkList.contains("Lập biên bản giao nhận") && !clerkList.contains("href=\"/dashboard\""))
            #expect(try await page("/scan", supervisor).1.contains("href=\"/dashboard\""))
            let (status, figures) = try await page("/dashboard", clerk)
            #expect(status == .forbidden && figures.contains("dành cho giám sát viên"))
        }
    }

    @Test func aSupervisorWhoMistypesTheHandoversOfficeIsToldWhichFieldsAreWrong() async throws {
        var dependencies = try TestSupport.dependencies()
        dependencies.staffWithoutCredentials = nil
        let token = try await Self.token(.supervisor, "251750", in: dependencies.database)
        try await buildApplication(dependencies).test(.router) { client in
            for office in ["251705", nil] as [String?] {
                var body: [String: Any] = ["agencyCode": "000.99.99.H55", "trackingNumbers": ["PH000000155VX"]]
                if let office { body["officeCode"] = office }
                let response = try await client.execute(
                    uri: "/api/v1/handovers", method: .post,
                    headers: [
                        .contentType: "application/json", .authorization: "Bearer \(token)",
                    ], body: TestSupport.json(body))
                #expect(response.status == .unprocessableContent, "\(office ?? "no office")")
                #expect(
                    try response.problem.codes == [
                        "officeCode": office == nil ? "required" : "unknownOffice", "agencyCode": "unknownAgency",
                        "trackingNumbers[0]": "invalidTrackingNumber",
                    ])
            }
        }
    }

    @Test func listsShowOnlyTheOfficesOwnThings() async throws {
        var dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let fixtureApp = try buildApplication(dependencies)
        dependencies.staffWithoutCredentials = nil
        let dossier = try await fixtureApp.test(.router) { client in try await Self.fixtures(client, database: database) }.dossier
        let token = try await Self.token(.supervisor, Self.other, in: database)
        try await buildApplication(dependencies).test(.router) { client in
            for uri in ["/api/v1/dossiers", "/api/v1/outbox", "/api/v1/cases", "/api/v1/reports/overdue", "/api/v1/handovers", "/api/v1/pickups"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .ok, "\(uri)")
                #expect(!String(buffer: response.body).contains(dossier), "\(uri) shows another office's item")
            }
        }
    }

    @Test func aResultLabelIsPrintedWhereTheResultWaitsADossierLabelOnlyWhereItWasTakenInAndAHandoverNeverDescribesAnotherOfficesItem() async throws {
        var dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let fixtureApp = try buildApplication(dependencies)
        dependencies.staffWithoutCredentials = nil
        let secret = dependencies.webhookSecret
        let (result, elsewhere) = try await fixtureApp.test(.router) { client in
            let ready = try await ResultReturnTests.resultReady(client, secret: secret)
            let elsewhere = try await DossierReadTests.create(client)
            // Off its route: an admin scans it there with a note (`ItemRoute`).
            #expect(
                try await ScanningTests.scan(client, elsewhere, "arrived", office: Self.other, extra: ["note": "túi chuyển nhầm tuyến"]).status
                    == .created)
            return (try #require(ready.result), elsewhere)
        }
        let waitsAt = try await database.read { db in
            try String.fetchOne(db, sql: "SELECT officeCode FROM item WHERE trackingNumber = ?", arguments: [result])!
        }
        #expect(waitsAt != "250000")
        let there = try await Self.token(.clerk, waitsAt, in: database)
        let stranger = try await Self.token(.clerk, Self.other, in: database)
        let supervisor = try await Self.token(.supervisor, "251750", in: database)
        try await buildApplication(dependencies).test(.router) { client in
            func label(_ token: String, of number: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/v1/labels/\(number)", method: .get, headers: [.authorization: "Bearer \(token)"]).status
            }
            #expect(try await label(there, of: result) == .ok)
            #expect(try await label(stranger, of: result) == .notFound)
            // A dossier item's label carries the applicant's name and address: an office it passes through (any clerk
            // can scan an item as arrived at their own office) does not get to print it; the office that took it in does.
            #expect(try await label(stranger, of: elsewhere) == .notFound)
            #expect(try await label(try await Self.token(.clerk, "250000", in: database), of: elsewhere) == .ok)
            // The item is at office 251130: to Tích Lương's supervisor it is as unknown as a made-up number.
            let opened = try await client.execute(
                uri: "/api/v1/handovers", method: .post,
                headers: [
                    .contentType: "application/json", .authorization: "Bearer \(supervisor)",
                ],
                body: TestSupport.json(["agencyCode": "000.42.20.H55", "officeCode": "251750", "trackingNumbers": [elsewhere]]))
            #expect(try opened.problem.codes == ["trackingNumbers[0]": "itemUnknown"])
            #expect(!String(buffer: opened.body).contains(Self.other))
        }
    }

    @Test func aSupervisorSeesTheReconciliationFindingsOfTheirOwnOfficeOnly() async throws {
        var dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let fixtureApp = try buildApplication(dependencies)
        dependencies.staffWithoutCredentials = nil
        let (ours, theirs) = try await fixtureApp.test(.router) { client in
            (try await DossierReadTests.create(client), try await DossierReadTests.create(client) { $0["officeCode"] = Self.other })
        }
        let stranger = TestSupport.unknownNumber
        let run = try await database.createReconciliationRun(
            .init(
                fromDay: "2026-11-23", toDay: "2026-11-23", dryRun: true, origin: .api,
                state: .queued, requestedAt: Date()))
        let findings = [ours, theirs, stranger].map {
            ReconciliationFinding(
                trackingNumber: $0, kind: .feeDisagreement, agencyCode: "000.42.20.H55", gatewayValue: "8000",
                oneStopValue: "9000", repair: .forAPerson)
        }
        _ = try await database.finishReconciliationRun(id: run.id!, state: .findings, summary: nil, error: nil, findings: findings, now: Date())
        let supervisor = try await Self.token(.supervisor, "250000", in: database)
        let admin = try await Self.token(.admin, nil, in: database)
        try await buildApplication(dependencies).test(.router) { client in
            func shown(_ token: String, format: String = "json") async throws -> String {
                let response = try await client.execute(
                    uri: "/api/v1/reconciliations/\(run.id!)?format=\(format)", method: .get,
                    headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            for format in ["json", "csv", "html"] {
                let mine = try await shown(supervisor, format: format)
                let all = try await shown(admin, format: format)
                #expect(mine.contains(ours) && !mine.contains(theirs) && !mine.contains(stranger), "\(format)")
                #expect(all.contains(ours) && all.contains(theirs) && all.contains(stranger), "\(format)")
            }
        }
    }
}
