import Foundation
import Hummingbird

/// Records in the audit log every staff request that changes something (whatever its outcome, so refused
/// attempts show too) and every view of personal data. Intake records itself, inside the transaction that
/// writes the dossier; its refusals still come through here.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let database: AppDatabase
    let clock: @Sendable () -> Date

    /// Reads that show a citizen's name, ID number, phone or address.
    static let personalDataViews: Set<String> = [
        "/api/v1/dossiers/{trackingNumber}", "/api/v1/dossiers/{trackingNumber}/receipt", "/api/v1/labels/{trackingNumber}",
        "/api/v1/handovers/{id}/manifest",
    ]
    static let auditedInTransaction = "/api/v1/dossiers"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = context.endpointPath ?? request.uri.path
        let changes = ![.get, .head].contains(request.method)
        guard changes || Self.personalDataViews.contains(route) else { return try await next(request, context) }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try await record(request, context: context, route: route, outcome: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
        let selfAudited = request.method == .post && route == Self.auditedInTransaction && response.status.code < 300
        if !selfAudited { try await record(request, context: context, route: route, outcome: response.status.code) }
        return response
    }

    private func record(_ request: Request, context: Context, route: String, outcome: Int) async throws {
        let entry = AuditEntry(
            actor: context.staff.name, action: "\(request.method.rawValue) \(route)",
            subject: context.parameters.get("trackingNumber") ?? context.parameters.get("id"),
            officeCode: context.staff.officeCode, remoteAddress: context.remoteAddress?.ipAddress, outcome: outcome)
        try await database.appendAudit([entry], at: clock())
    }
}
