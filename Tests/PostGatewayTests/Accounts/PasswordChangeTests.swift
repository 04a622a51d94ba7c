import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct PasswordChangeTests {
    struct Changed: Decodable { let changed: Bool }

    /// A session's cookie header and its CSRF token, read off a staff page as the page's scripts read it.
    static func session(_ client: some TestClientProtocol, password: String = LoginTests.password) async throws -> (cookie: String, csrf: String) {
        let session = try #require(LoginTests.cookie(SessionCookie.name, in: try await LoginTests.login(client, password: password))).value
        let cookie = "\(SessionCookie.name)=\(session)"
        let page = String(buffer: try await client.execute(uri: "/account", method: .get, headers: [.cookie: cookie]).body)
        let marker = try #require(page.range(of: "name=\"csrf-token\" content=\""))
        return (cookie, String(page[marker.upperBound...].prefix { $0 != "\"" }))
    }

    static func change(_ client: some TestClientProtocol, _ session: (cookie: String, csrf: String), current: String, new: String) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/account/password", method: .post,
            headers: [.cookie: session.cookie, .csrfToken: session.csrf, .contentType: "application/json"],
            body: TestSupport.json(["currentPassword": current, "newPassword": new]))
    }

    @Test func aClerkChangesTheirOwnPasswordAndEveryOtherSessionEnds() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let (app, database) = try await LoginTests.app(clock: clock)
        let newPassword = "mật-khẩu-mới-của-Lan-2027"
        try await app.test(.router) { client in
            let here = try await Self.session(client)
            let elsewhere = try await Self.session(client)

            let wrong = try await Self.change(client, here, current: "khong-phai-mat-khau", new: newPassword)
            #expect(wrong.status == .unprocessableContent)
            #expect(try wrong.problem.codes == ["currentPassword": "wrongPassword"])
            let short = try await Self.change(client, here, current: LoginTests.password, new: "ngắn")
            #expect(try short.problem.codes == ["newPassword": "passwordTooShort"])
            let same = try await Self.change(client, here, current: LoginTests.password, new: LoginTests.password)
            #expect(try same.problem.codes == ["newPassword": "passwordUnchanged"])
            let forged = try await client.execute(
                uri: "/api/v1/account/password", method: .post,
                headers: [.cookie: here.cookie, .contentType: "application/json"],
                body: TestSupport.json(["currentPassword": LoginTests.password, "newPassword": newPassword]))
            #expect(forged.status == .forbidden, "no CSRF token, no change")

            let changed = try await Self.change(client, here, current: LoginTests.password, new: newPassword)
            #expect(changed.status == .ok)
            #expect(try JSONDecoder().decode(Changed.self, from: Data(changed.body.readableBytesView)).changed)
            #expect(try await client.execute(uri: "/account", method: .get, headers: [.cookie: here.cookie]).status == .ok, "this session goes on")
            #expect(
                try await client.execute(uri: "/account", method: .get, headers: [.cookie: elsewhere.cookie]).status == .seeOther,
                "the other session ended")
            #expect(try await LoginTests.login(client).status == .unauthorized, "the old password is gone")
            #expect(try await LoginTests.login(client, password: newPassword).status == .seeOther)
        }
        // The audit log names the change, never a password.
        let lines = try await database.read { db in try String.fetchAll(db, sql: "SELECT action || ' ' || coalesce(subject, '') FROM auditLog") }
        #expect(lines.contains { $0.hasPrefix("POST /api/v1/account/password") })
        #expect(!lines.contains { $0.contains(newPassword) || $0.contains(LoginTests.password) })
    }

    @Test func anAPITokenHasNoPasswordToChange() async throws {
        var dependencies = try TestSupport.dependencies()
        dependencies.staffWithoutCredentials = StaffIdentity(name: "token:1", role: .admin, officeCode: nil)
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/account/password", method: .post, headers: [.contentType: "application/json"],
                body: TestSupport.json(["currentPassword": "x", "newPassword": "một-mật-khẩu-đủ-dài"]))
            #expect(response.status == .forbidden)
        }
    }
}
