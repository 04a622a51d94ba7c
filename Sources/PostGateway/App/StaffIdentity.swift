import Hummingbird

/// Who is acting on a staff route. Until accounts exist (the accounts issue) every request acts as the
/// counter of no particular office; the login will set this from a session or an API token, in one place:
/// `StaffIdentityMiddleware`.
struct StaffIdentity: Sendable, Equatable {
    enum Role: String, Sendable { case clerk, supervisor, admin }

    let name: String
    let role: Role
    /// nil: every office (admins, and everyone until accounts arrive).
    let officeCode: String?

    /// Whether this person may see or change things at `officeCode` (others' items answer 404).
    func mayAct(at officeCode: String?) -> Bool {
        guard let own = self.officeCode else { return true }
        return officeCode == own
    }

    static let unauthenticatedCounter = StaffIdentity(name: "counter", role: .admin, officeCode: nil)
}

/// The seam for the login: sets `context.staff` for every staff route.
struct StaffIdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.staff = .unauthenticatedCounter
        return try await next(request, context)
    }
}
