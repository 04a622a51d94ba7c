import Foundation
import Hummingbird

/// `POST /api/v1/account/password`: a signed-in staff member changes their own password (`/account`, the page, posts
/// here). The current password is required, and a wrong one counts as a failed login (`LoginThrottle`), so a session
/// left open on a counter cannot be used to guess it. Every other session of the account ends.
struct PasswordController: Sendable {
    let database: AppDatabase
    let hasher: PasswordHasher
    let maxBodyBytes: Int
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("account/password", use: change)
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try FieldChecker.form(try await request.jsonBody(limit: maxBodyBytes))
        var check = FieldChecker()
        check.refuseUnknown(form, allowed: ["currentPassword", "newPassword"], at: "")
        // Passwords are taken as typed: no trimming, no field rules beyond their length.
        let current = Self.text(form["currentPassword"], at: "currentPassword", &check)
        let new = Self.text(form["newPassword"], at: "newPassword", &check)
        if let new, new.count < PasswordHasher.minimumLength {
            check.report(FieldIssue("newPassword", .passwordTooShort, String(PasswordHasher.minimumLength)))
        }
        if let current, let new, current == new { check.report(FieldIssue("newPassword", .passwordUnchanged)) }
        guard check.issues.isEmpty, let current, let new else { throw Problem.validation(check.issues) }
        guard !context.staff.name.hasPrefix("token:"), let (account, hash) = try await database.accountForLogin(username: context.staff.name),
            !account.disabled
        else {
            throw Problem(.forbidden, .forbidden) { language in
                language == .vi ? "Mã API không có mật khẩu để đổi." : "An API token has no password to change."
            }
        }
        let now = clock()
        if let seconds = try await database.claimLoginAttempt([(LoginThrottle.accountKey(account.username), LoginThrottle.perAccount)], at: now) {
            metrics.loginRefusals.increment()
            var problem = Problem(.tooManyRequests, .tooManyRequests) { language in
                language == .vi
                    ? "Đã nhập sai nhiều lần; hãy đợi \(LoginController.waitWords(seconds)) rồi thử lại."
                    : "Too many wrong passwords; try again in \(seconds) seconds."
            }
            problem.retryAfter = seconds
            throw problem
        }
        guard try await hasher.verify(current, hash: hash) else { throw Problem.validation([FieldIssue("currentPassword", .wrongPassword)]) }
        try await database.changeOwnPassword(
            accountId: account.id, username: account.username, passwordHash: try await hasher.hash(new),
            keptSession: context.staff.sessionTokenHash, at: now, audit: context.audit)
        return .json(.object(["changed": .bool(true)]), status: .ok, headers: [.cacheControl: "no-store"])
    }

    private static func text(_ value: JSONValue?, at path: String, _ check: inout FieldChecker) -> String? {
        switch value {
        case .string(let text) where !text.isEmpty && text.utf8.count <= 1024: return text
        case .string(let text) where !text.isEmpty: check.report(FieldIssue(path, .tooLong, "1024"))
        case nil, .null, .string: check.report(FieldIssue(path, .required))
        case let other?: check.report(FieldIssue(path, .wrongType, "string", other.kind))
        }
        return nil
    }
}
