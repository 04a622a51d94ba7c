import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// A refused credential leaves a line in the audit log: from where, on which route, why, and never the secret.
@Suite(.temporaryFolder) struct RefusalAuditTests {
    struct Line: Decodable, FetchableRecord, Equatable {
        let actor: String
        let action: String
        let subject: String?
        let outcome: Int
    }

    static func refusals(_ database: AppDatabase) async throws -> [Line] {
        try await database.read { db in
            try Line.fetchAll(db, sql: "SELECT actor, action, subject, outcome FROM auditLog WHERE action LIKE 'auth.refused.%' ORDER BY id")
        }
    }

    @Test func aBadTokenAnUnknownSessionAndAMissingCSRFTokenAreEachWrittenDown() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let (app, database) = try await LoginTests.app(clock: clock)
        let secret = "pgw_" + String(repeating: "x", count: 40)
        try await app.test(.router) { client in
            let badToken = try await client.execute(
                uri: "/api/v1/dossiers?office=250000", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(badToken.status == .unauthorized)
            let staleSession = try await client.execute(uri: "/api/v1/outbox", method: .get, headers: [.cookie: "\(SessionCookie.name)=made-up"])
            #expect(staleSession.status == .unauthorized)
            let session = try #require(LoginTests.cookie(SessionCookie.name, in: try await LoginTests.login(client))).value
            let forged = try await client.execute(
                uri: "/api/v1/dossiers", method: .post,
                headers: [.cookie: "\(SessionCookie.name)=\(session)", .contentType: "application/json"],
                body: TestSupport.json(TestSupport.intake()))
            #expect(forged.status == .forbidden)
        }
        #expect(
            try await Self.refusals(database) == [
                Line(actor: "anonymous", action: "auth.refused.token", subject: "GET /api/v1/dossiers", outcome: 401),
                Line(actor: "anonymous", action: "auth.refused.session", subject: "GET /api/v1/outbox", outcome: 401),
                Line(actor: "lan", action: "auth.refused.csrf", subject: "POST /api/v1/dossiers", outcome: 403),
            ])
        let everything = try await database.read { db in try String.fetchAll(db, sql: "SELECT coalesce(subject, '') || actor || action FROM auditLog")
        }
        #expect(!everything.contains { $0.contains(secret) || $0.contains("made-up") })
    }
}
