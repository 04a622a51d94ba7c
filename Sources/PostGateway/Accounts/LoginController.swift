import Foundation
import Hummingbird
import Mustache

/// `GET/POST /login` and `POST /logout` for the staff pages.
///
/// The login form carries its own CSRF token (double-submit: a cookie and a hidden field that must match),
/// so that another site cannot sign a browser in as someone else. Failures slow down further attempts per username
/// and per address (`LoginThrottle`), and a per-minute limit per address sits in front.
struct LoginController: Sendable {
    let database: AppDatabase
    let hasher: PasswordHasher
    /// `hasher.makeDecoy()`, made once when the routes are built.
    let decoy: String
    let page: MustacheTemplate
    /// `WebTemplates.sandboxBanner`: staff signing in see at once that dossiers go to the sandbox.
    var sandboxBanner: String? = nil
    let perAddress: RateLimiter
    let sessionHours: Int
    let secureCookies: Bool
    /// The staff routes' body limit: a login form is a few short fields.
    let maxBodyBytes: Int
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date

    struct LoginForm: Decodable {
        let username: String?
        let password: String?
        let _csrf: String?
        let next: String?
    }

    struct LogoutForm: Decodable {
        let _csrf: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("login", use: show)
        router.post("login", use: login)
        router.post("logout", use: logout)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        form(next: request.uri.queryParameters["next"].map(String.init), status: .ok)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let form = try await Self.decode(LoginForm.self, fields: ["username", "password", "_csrf", "next"], from: request, limit: maxBodyBytes)
        else {
            return self.form(next: nil, status: .badRequest, message: "Biểu mẫu không đọc được; hãy nhập lại.")
        }
        let next = Self.safeNext(form.next)
        guard let sent = form._csrf, let cookie = request.cookies[SessionCookie.loginCSRFName]?.value, StaffAuthenticator.same(sent, cookie) else {
            return self.form(next: next, status: .forbidden, message: "Phiên đăng nhập đã hết hạn; hãy thử lại.")
        }
        let now = clock()
        let address = context.clientAddress
        if let retry = perAddress.retryAfter(context.rateLimitClient, now: now) {
            return self.form(next: next, status: .tooManyRequests, message: "Quá nhiều lần thử; hãy đợi \(retry) giây.", retryAfter: retry)
        }
        let username = UserCommand.username(form.username ?? "")
        let password = form.password ?? ""
        // The same steps for a username that exists and one that does not: the same throttle, the same bcrypt work,
        // the same answers. Only the audit log, which outsiders never read, tells them apart.
        var keys = [(key: LoginThrottle.accountKey(username), rule: LoginThrottle.perAccount)]
        if let address { keys.append((LoginThrottle.addressKey(address), LoginThrottle.perAddress)) }
        if let seconds = try await database.claimLoginAttempt(keys, at: now) {
            metrics.loginRefusals.increment()
            return self.form(
                next: next, status: .tooManyRequests, message: "Đã nhập sai nhiều lần; hãy đợi \(Self.waitWords(seconds)) rồi thử lại.",
                retryAfter: seconds)
        }
        let found = try await database.accountForLogin(username: username)
        let matches = try await hasher.verify(password, hash: found?.passwordHash ?? decoy)
        guard let (account, _) = found, matches, !account.disabled else {
            // Already counted by the claim above.
            try await database.appendAudit(
                [
                    Self.entry(
                        "login.failed", actor: found?.account.username ?? "anonymous", address: address,
                        outcome: 401)
                ], at: now)
            return self.form(next: next, status: .unauthorized, message: Self.wrongCredentials)
        }
        let session = StaffSecrets.randomText()
        try await database.startSession(
            accountId: account.id, username: account.username, tokenHash: StaffSecrets.hash(session), csrfToken: StaffSecrets.randomText(), at: now,
            expiresAt: now.addingTimeInterval(Double(sessionHours) * 3600),
            audit: Self.entry("login", actor: account.username, address: address, outcome: 303))
        var response = Response(status: .seeOther, headers: [.location: next, .cacheControl: "no-store"])
        response.setCookie(SessionCookie.make(session, maxAge: sessionHours * 3600, secure: secureCookies))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let form = try await Self.decode(LogoutForm.self, fields: ["_csrf"], from: request, limit: maxBodyBytes) else {
            throw Problem.malformed(vi: "Biểu mẫu không đọc được.", en: "The form could not be read.")
        }
        var response = Response(status: .seeOther, headers: [.location: "/login", .cacheControl: "no-store"])
        if let session = request.cookies[SessionCookie.name]?.value,
            let identity = try await database.sessionIdentity(tokenHash: StaffSecrets.hash(session), now: clock())
        {
            guard identity.accepts(csrf: form._csrf) else {
                throw Problem(.forbidden, .forbidden) { $0 == .vi ? "Sai mã chống giả mạo." : "Wrong CSRF token." }
            }
            try await database.endSession(
                tokenHash: StaffSecrets.hash(session), at: clock(),
                audit: Self.entry(
                    "logout", actor: identity.name, address: context.clientAddress, outcome: 303))
        }
        response.setCookie(SessionCookie.cleared(secure: secureCookies))
        return response
    }

    /// A form's fields, or nil for a body that is not a form of these fields only (a stray `%` in a password, a field
    /// no page of ours sends): the decoder's error quotes what was typed, so it is dropped here instead of reaching
    /// the log of a failed request.
    static func decode<Form: Decodable>(_ type: Form.Type, fields: Set<String>, from request: Request, limit: Int) async throws -> Form? {
        let text = String(buffer: try await request.collectBody(limit: limit))
        let names = text.split(separator: "&").map { pair in
            String(pair.prefix { $0 != "=" }).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        guard names.allSatisfy({ $0.map(fields.contains) == true }) else { return nil }
        return try? URLEncodedFormDecoder().decode(Form.self, from: text)
    }

    private func form(next: String?, status: HTTPResponse.Status, message: String? = nil, retryAfter: Int? = nil) -> Response {
        let csrf = StaffSecrets.randomText()
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        // Only the values there are: swift-mustache takes a nil inside `Any` for a value, and would open its section.
        var values: [String: Any] = ["csrf": csrf, "next": Self.safeNext(next)]
        values["message"] = message
        values["sandbox"] = sandboxBanner
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.render(values))))
        response.setCookie(
            Cookie(
                name: SessionCookie.loginCSRFName, value: csrf, path: "/login", secure: secureCookies, httpOnly: true,
                sameSite: .strict))
        return response
    }

    static let wrongCredentials = "Sai tên đăng nhập hoặc mật khẩu."

    /// "45 giây", "3 phút": a wait of minutes is read in minutes.
    static func waitWords(_ seconds: Int) -> String {
        seconds < 120 ? "\(seconds) giây" : "\((seconds + 59) / 60) phút"
    }

    /// Only a path on this site, of plain URL characters: never `//other.example`, an absolute URL, a backslash or a
    /// control character that a browser would drop (`/\t/other.example` becomes `//other.example`): an open redirect.
    static func safeNext(_ next: String?) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-._~%?&=")
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count <= 512, next.allSatisfy(allowed.contains),
            let decoded = next.removingPercentEncoding, !decoded.hasPrefix("//"), !decoded.contains("\\"),
            !decoded.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true })
        else { return "/counter" }
        return next
    }

    static func entry(_ action: String, actor: String, address: String?, outcome: Int) -> AuditEntry {
        AuditEntry(actor: actor, action: action, subject: nil, officeCode: nil, remoteAddress: address, outcome: outcome)
    }
}
