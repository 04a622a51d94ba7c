import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Scans only where the item is: the route matrix (own office, route office, other office, supervisor) for each event.
/// The dossier is taken in at 250000 for phường Tích Lương's desk, which 251750 serves; 252500 is off its route.
@Suite(.temporaryFolder) struct ScanRouteTests {
    struct Staff {
        let header: String
        static func make(_ database: AppDatabase, _ role: StaffIdentity.Role, _ office: String) async throws -> Staff {
            let token = StaffSecrets.newToken()
            _ = try await database.createToken(
                tokenHash: StaffSecrets.hash(token), label: "\(role) \(office)", role: role, officeCode: office,
                at: TestSupport.mondayMorning
            ) { id in
                AuditEntry(actor: "test", action: "token.create", subject: "\(id)", officeCode: nil, remoteAddress: nil, outcome: 0)
            }
            return Staff(header: "Bearer \(token)")
        }
    }

    static func scan(
        _ client: some TestClientProtocol, _ staff: Staff, _ number: String, _ event: String, at office: String,
        note: String? = nil, extra: [String: Any] = [:]
    ) async throws -> Int {
        var body: [String: Any] = ["trackingNumber": number, "event": event, "officeCode": office]
        if let note { body["note"] = note }
        body.merge(extra) { $1 }
        let response = try await client.execute(
            uri: "/api/v1/scans", method: .post,
            headers: [.contentType: "application/json", .authorization: staff.header],
            body: TestSupport.json(body))
        return Int(response.status.code)
    }

    /// A clerk of the intake office, a clerk of the office serving the agency, a clerk and a supervisor off the route.
    static func staff(_ database: AppDatabase) async throws -> (intake: Staff, serving: Staff, other: Staff, otherSupervisor: Staff) {
        (
            try await Staff.make(database, .clerk, "250000"), try await Staff.make(database, .clerk, "251750"),
            try await Staff.make(database, .clerk, "252500"), try await Staff.make(database, .supervisor, "252500")
        )
    }

    @Test func aDossierItemIsScannedByTheOfficesOfItsRouteAndBySupervisorsWithANote() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        let (intakeClerk, servingClerk, otherClerk, otherSupervisor) = try await Self.staff(dependencies.database)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            #expect(try await Self.scan(client, otherClerk, number, "dispatched", at: "252500") == 404, "another office cannot see it")
            #expect(try await Self.scan(client, otherSupervisor, number, "dispatched", at: "252500") == 422, "off the route: a note")
            #expect(try await Self.scan(client, intakeClerk, number, "dispatched", at: "250000") == 201, "its own office")
            #expect(try await Self.scan(client, servingClerk, number, "arrived", at: "251750") == 201, "the office serving its agency")
            #expect(try await Self.scan(client, otherClerk, number, "dispatched", at: "252500") == 404)
            #expect(try await Self.scan(client, otherSupervisor, number, "dispatched", at: "252500", note: "túi chuyển nhầm về Chùa Hang") == 201)
        }
    }

    @Test func aResultIsDeliveredOnlyByTheOfficeThatTookItOutForDelivery() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        let (intakeClerk, servingClerk, otherClerk, otherSupervisor) = try await Self.staff(dependencies.database)
        try await app.test(.router) { client in
            let result = try #require(try await ResultReturnTests.resultReady(client, secret: dependencies.webhookSecret).result)
            #expect(try await Self.scan(client, otherClerk, result, "pickedUp", at: "252500") == 404)
            #expect(try await Self.scan(client, servingClerk, result, "pickedUp", at: "251750") == 201)
            #expect(try await Self.scan(client, intakeClerk, result, "outForDelivery", at: "250000") == 201)
            let checked: [String: Any] = ["identityChecked": true]
            #expect(
                try await Self.scan(client, servingClerk, result, "delivered", at: "251750", extra: checked) == 403,
                "on the route, but not the office delivering it")
            #expect(try await Self.scan(client, otherSupervisor, result, "delivered", at: "252500", note: "phát hộ", extra: checked) == 403)
            #expect(try await Self.scan(client, otherClerk, result, "delivered", at: "252500", extra: checked) == 404)
            #expect(try await Self.scan(client, intakeClerk, result, "delivered", at: "250000", extra: checked) == 201)
        }
    }

    @Test func aSortingCentreListedAsTransitScansTheItemsOfItsOffices() {
        let route = ItemRoute(intakeOffice: "251130", servingOffice: "252500", transit: TestSupport.reference.transitOffices)
        #expect(route.offices == ["251130", "252500", "250000"])
    }
}
