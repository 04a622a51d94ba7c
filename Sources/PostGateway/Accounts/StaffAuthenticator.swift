import Crypto
import Foundation
import Hummingbird

/// Finds who is calling a staff route and sets `context.staff`: an API token (`Authorization: Bearer pgw_…`)
/// or a session cookie. A signed-in browser must also echo the session's CSRF token on unsafe requests;
/// a token needs none, since no browser sends it on its own.
struct StaffAuthenticator: RouterMiddleware {
    typealias Context = AppRequestContext

    /// What a caller without credentials gets: a 401 problem (API) or the login page (staff pages).
    enum Challenge: Sendable { case problem, loginPage }

    let database: AppDatabase
    let clock: @Sendable () -> Date
    let challenge: Challenge
    /// Tests of other parts act as this identity when they send no credentials. `AppDependencies.live`
    /// never sets it, and no setting reaches it.
    let withoutCredentials: StaffIdentity?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let sessionHash = request.cookies[SessionCookie.name].map { StaffSecrets.hash($0.value) }
        if let authorization = request.headers[.authorization] {
            guard let identity = try await tokenIdentity(authorization) else {
                try await recordRefusal("auth.refused.token", request, context, outcome: 401)
                throw Self.unauthorized
            }
            context.staff = identity
        } else if let sessionHash, var identity = try await database.sessionIdentity(tokenHash: sessionHash, now: clock()) {
            identity.sessionTokenHash = sessionHash
            if ![.get, .head].contains(request.method) {
                guard identity.accepts(csrf: request.headers[.csrfToken]) else {
                    try await recordRefusal("auth.refused.csrf", request, context, actor: identity.name, outcome: 403)
                    throw Problem(.forbidden, .forbidden) { language in
                        language == .vi
                            ? "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token); hãy tải lại trang."
                            : "The X-CSRF-Token header is missing or wrong; reload the page."
                    }
                }
            }
            context.staff = identity
        } else if sessionHash != nil {
            // A cookie that names no live session: expired, ended by a logout or a password change, or made up.
            try await recordRefusal("auth.refused.session", request, context, outcome: challenge == .problem ? 401 : 303)
            return try challengeResponse(request)
        } else if let withoutCredentials {
            context.staff = withoutCredentials
        } else {
            return try challengeResponse(request)
        }
        return try await next(request, context)
    }

    private func challengeResponse(_ request: Request) throws -> Response {
        switch challenge {
        case .problem: throw Self.unauthorized
        case .loginPage:
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_.~"))) ?? "/"
            return Response(status: .seeOther, headers: [.location: "/login?next=\(encoded)", .cacheControl: "no-store"])
        }
    }

    /// nil for a header that is not a bearer token of ours, or a token that is unknown, revoked or of a disabled account.
    private func tokenIdentity(_ authorization: String) async throws -> StaffIdentity? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].hasPrefix(StaffSecrets.tokenPrefix) else { return nil }
        let tokenHash = StaffSecrets.hash(String(parts[1]))
        // Looked up on every request, so that a token revoked from the command line stops working at once.
        return try await database.tokenIdentity(tokenHash: tokenHash)
    }

    /// A refused credential in the audit log: from where, on which route, why. Never the secret, nor the query (which
    /// may carry a citizen's code).
    private func recordRefusal(_ action: String, _ request: Request, _ context: Context, actor: String = "anonymous", outcome: Int) async throws {
        let entry = AuditEntry(
            actor: actor, action: action, subject: "\(request.method.rawValue) \(request.uri.path)", officeCode: nil,
            remoteAddress: context.clientAddress, outcome: outcome)
        try await database.appendAudit([entry], at: clock())
    }

    static let unauthorized = Problem(.unauthorized, .unauthorized) { language in
        language == .vi
            ? "Cần đăng nhập, hoặc một mã API hợp lệ (Authorization: Bearer pgw_…)."
            : "Sign in, or send a valid API token (Authorization: Bearer pgw_…)."
    }

    /// Compares in time independent of where the texts differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
/// Secure when the gateway is reached over TLS.
enum SessionCookie {
    static let name = "pg_session"
    static let loginCSRFName = "pg_login"

    static func make(_ value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func cleared(secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}
