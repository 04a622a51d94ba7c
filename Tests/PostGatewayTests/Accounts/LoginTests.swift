import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import PostGateway

/// The web login: session cookies, CSRF on the login form and on every unsafe request, the slow-down after
/// failed attempts (never a lock), logout.
@Suite(.temporaryFolder) struct LoginTests {
    static let password = "một-mật-khẩu-đủ-dài-2026"

    /// A ledger with a clerk of the central office, and an app that demands credentials.
    static func app(clock: MovableClock, tweak: (inout GatewayConfiguration) -> Void = { _ in }) async throws -> (
        some ApplicationProtocol, AppDatabase
    ) {
        var dependencies = try TestSupport.dependencies(clock: { clock.now }, tweak: tweak)
        dependencies.staffWithoutCredentials = nil
        let hash = try await dependencies.hasher.hash(password)
        #expect(
            try await dependencies.database.createAccount(
                username: "lan", displayName: "Nguyễn Thị Lan", role: .clerk, officeCode: "250000", passwordHash: hash, at: clock.now,
                audit: AuditEntry(actor: "test", action: "user.create", subject: "lan", officeCode: nil, remoteAddress: nil, outcome: 0)) == .done)
        return (try buildApplication(dependencies), dependencies.database)
    }

    /// The value of `name` among a response's Set-Cookie headers, and the whole header.
    static func cookie(_ name: String, in response: TestResponse) -> (value: String, header: String)? {
        for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
            let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
            return (String(value), header)
        }
        return nil
    }

    /// GET /login, then POST the form; answers the response of the POST.
    static func login(
        _ client: some TestClientProtocol, username: String = "lan", password: String = password,
        tamperCSRF: Bool = false
    ) async throws -> TestResponse {
        let page = try await client.execute(uri: "/login?next=/scan", method: .get)
        #expect(page.status == .ok)
        let csrf = try #require(cookie(SessionCookie.loginCSRFName, in: page)).value
        #expect(String(buffer: page.body).contains("value=\"\(csrf)\""))
        let field = tamperCSRF ? "forged" : csrf
        let form =
            "username=\(username)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&_csrf=\(field)&next=%2Fscan"
        return try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(SessionCookie.loginCSRFName)=\(csrf)"],
            body: ByteBuffer(string: form))
    }

    /// Served over https, the gateway never lets a browser send a session over plain HTTP, unless told otherwise.
    @Test(
        arguments: [
            ("http://localhost:8080", nil, false), ("https://motcua.post.vn", nil, true),
            ("https://motcua.post.vn", false, false), ("http://10.0.0.5:8080", true, true),
        ] as [(String, Bool?, Bool)])
    func sessionCookiesAreSecureWhenTheGatewayIsServedOverHTTPSUnlessConfiguredOtherwise(base: String, setting: Bool?, secure: Bool) async throws {
        let (app, _) = try await Self.app(clock: MovableClock(TestSupport.mondayMorning)) {
            $0.publicBaseURL = base
            $0.secureCookies = setting
        }
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            let csrf = try #require(Self.cookie(SessionCookie.loginCSRFName, in: page))
            let session = try #require(Self.cookie(SessionCookie.name, in: try await Self.login(client)))
            #expect(csrf.header.contains("; Secure") == secure && session.header.contains("; Secure") == secure, "\(session.header)")
        }
    }

    @Test func aSignedInClerkGetsAStrictHttpOnlySessionAndMustEchoItsCSRFTokenToChangeAnything() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let (app, _) = try await Self.app(clock: clock)
        try await app.test(.router) { client in
            #expect(try await Self.login(client, tamperCSRF: true).status == .forbidden)

            let signedIn = try await Self.login(client)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/scan")
            let session = try #require(Self.cookie(SessionCookie.name, in: signedIn))
            #expect(session.header.contains("HttpOnly") && session.header.contains("SameSite=Strict") && session.header.contains("Path=/"))

            // The page carries the session's CSRF token for its scripts.
            let page = try await client.execute(uri: "/scan", method: .get, headers: [.cookie: "\(SessionCookie.name)=\(session.value)"])
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            let csrf = String(try #require(html.firstMatch(of: #/name="csrf-token" content="([^"]+)"/#)?.output.1))
            #expect(html.contains("lan"))

            let scan = TestSupport.json(["trackingNumber": TestSupport.unknownNumber, "event": "arrived", "officeCode": "250000"])
            func post(csrf: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/json", .cookie: "\(SessionCookie.name)=\(session.value)"]
                if let csrf { headers[.csrfToken] = csrf }
                return try await client.execute(uri: "/api/v1/scans", method: .post, headers: headers, body: scan)
            }
            #expect(try await post(csrf: nil).status == .forbidden)
            #expect(try await post(csrf: "x" + csrf.dropFirst()).status == .forbidden)
            #expect(try await post(csrf: csrf).status == .notFound)  // through: the unknown item's own answer

            // Logging out needs the token too, and ends the session for good.
            let forgedLogout = try await client.execute(
                uri: "/logout", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: "\(SessionCookie.name)=\(session.value)",
                ], body: ByteBuffer(string: "_csrf=no"))
            #expect(forgedLogout.status == .forbidden)
            let logout = try await client.execute(
                uri: "/logout", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: "\(SessionCookie.name)=\(session.value)",
                ], body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(logout.status == .seeOther && Self.cookie(SessionCookie.name, in: logout)?.header.contains("Max-Age=0") == true)
            #expect(try await post(csrf: csrf).status == .unauthorized)
            let again = try await client.execute(uri: "/scan", method: .get, headers: [.cookie: "\(SessionCookie.name)=\(session.value)"])
            #expect(again.status == .seeOther && again.headers[.location] == "/login?next=/scan")
        }
    }

    @Test func aFormThatCannotBeReadGetsTheLoginPageAgainAndNothingTypedReachesTheLog() async throws {
        let logs = CapturedLogs()
        var dependencies = try TestSupport.dependencies()
        dependencies.staffWithoutCredentials = nil
        dependencies.logger = logs.logger
        let limit = dependencies.configuration.maxBodyBytes
        try await buildApplication(dependencies).test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            let csrf = try #require(Self.cookie(SessionCookie.loginCSRFName, in: page)).value
            func post(_ path: String, _ form: String) async throws -> TestResponse {
                try await client.execute(
                    uri: path, method: .post,
                    headers: [
                        .contentType: "application/x-www-form-urlencoded", .cookie: "\(SessionCookie.loginCSRFName)=\(csrf)",
                    ], body: ByteBuffer(string: form))
            }
            // A `%` that starts no escape, as a password may hold when a script posts it unescaped.
            let unreadable = try await post("/login", "username=lan&password=m%E1%BA%ADt-kh%zz&_csrf=\(csrf)")
            #expect(unreadable.status == .badRequest)
            #expect(String(buffer: unreadable.body).contains("Biểu mẫu không đọc được"))
            #expect(Self.cookie(SessionCookie.name, in: unreadable) == nil)
            #expect(try await post("/logout", "_csrf=%zz").status == .badRequest)
            // A login form is a few short fields: held to the staff routes' body limit, not the server's upload size.
            let huge = try await post("/login", "username=lan&password=" + String(repeating: "a", count: limit + 1))
            #expect(huge.status == .contentTooLarge)
        }
        #expect(!logs.text.contains("%zz"), "\(logs.text)")
    }

    @Test func failedLoginsSlowDownUpToFifteenMinutesAndNeverLock() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let (app, _) = try await Self.app(clock: clock)
        try await app.test(.router) { client in
            // An unknown name and a wrong password look the same.
            let unknown = try await Self.login(client, username: "nobody")
            let wrong = try await Self.login(client, password: "sai-mat-khau-roi")
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(
                String(buffer: unknown.body).contains(LoginController.wrongCredentials)
                    && String(buffer: wrong.body).contains(LoginController.wrongCredentials))

            // Three failures are free; then each attempt must wait 1, 2, 4 … seconds, up to 15 minutes, and is refused
            // unchecked before then. Twenty failures later nothing is locked.
            for _ in 0..<2 { #expect(try await Self.login(client, password: "sai-mat-khau-roi").status == .unauthorized) }
            for failures in 3..<23 {
                let wait = min(1 << (failures - LoginThrottle.perAccount.freeFailures), 900)
                let early = try await Self.login(client)  // even the right password is not checked yet
                #expect(early.status == .tooManyRequests && early.headers[.retryAfter] == String(wait), "after \(failures) failures")
                clock.set(clock.now.addingTimeInterval(Double(wait)))
                #expect(try await Self.login(client, password: "sai-mat-khau-roi").status == .unauthorized)
            }
            clock.set(clock.now.addingTimeInterval(900))
            #expect(try await Self.login(client).status == .seeOther, "the right password works once the wait is over")
        }
    }

    @Test func aKnownAndAnUnknownUsernameGetTheSameAnswersInTheSameOrder() async throws {
        func statuses(_ username: String) async throws -> [Int] {
            let clock = MovableClock(TestSupport.mondayMorning)
            let (app, _) = try await Self.app(clock: clock)
            let statuses = Mutex<[Int]>([])
            try await app.test(.router) { client in
                for attempt in 0..<12 {
                    let response = try await Self.login(client, username: username, password: "sai-mat-khau-\(attempt)")
                    statuses.withLock { $0.append(Int(response.status.code)) }
                    #expect(response.status.code != 423)
                    clock.set(clock.now.addingTimeInterval(1.5))
                }
            }
            return statuses.withLock { $0 }
        }
        let known = try await statuses("lan")
        let unknown = try await statuses("khong-co-ai")
        #expect(known == unknown)
        #expect(known.contains(429) && known.contains(401) && !known.contains(423))
    }

    @Test func aBurstOfParallelGuessesGetsNoMoreChecksThanOneAtATime() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let (app, database) = try await Self.app(clock: clock)
        try await app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<12 { group.addTask { try await Self.login(client, password: "doan-bua-\(index)-sai-roi").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // The three free attempts are checked; every other one finds the account must wait, unchecked.
            let free = LoginThrottle.perAccount.freeFailures
            #expect(statuses.count { $0 == .unauthorized } == free)
            #expect(statuses.count { $0 == .tooManyRequests } == 12 - free)
            #expect(try await database.accounts().first { $0.username == "lan" }?.failedLogins == free)
        }
    }

    @Test func aDisabledAccountCannotSignInAndLosesItsSessions() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let (app, database) = try await Self.app(clock: clock)
        try await app.test(.router) { client in
            let session = try #require(Self.cookie(SessionCookie.name, in: try await Self.login(client))).value
            #expect(
                try await database.disableAccount(
                    username: "lan", at: clock.now,
                    audit: AuditEntry(
                        actor: "test", action: "user.disable", subject: "lan", officeCode: nil, remoteAddress: nil, outcome: 0)) == .done)
            let page = try await client.execute(uri: "/counter", method: .get, headers: [.cookie: "\(SessionCookie.name)=\(session)"])
            #expect(page.status == .seeOther)
            #expect(try await Self.login(client).status == .unauthorized)
        }
    }

    @Test func onlyPathsOnThisSiteAreFollowedAfterSigningIn() {
        #expect(LoginController.safeNext("/dashboard?from=2026-11-01") == "/dashboard?from=2026-11-01")
        for hostile in [
            "//evil.example/", "https://evil.example/", "\\\\evil", "/\\evil", "javascript:alert(1)", "", nil,
            "/\t/evil.example", "/%09/evil.example", "/%2F/evil.example", "/%5Cevil", "/ /evil", "/a\u{7F}",
        ] as [String?] {
            #expect(LoginController.safeNext(hostile) == "/counter", "\(hostile ?? "nil")")
        }
    }
}
