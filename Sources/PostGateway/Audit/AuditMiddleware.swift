import Foundation
import Hummingbird

/// Records in the audit log every staff request that changes something (whatever its outcome, so refused
/// attempts show too) and every view of personal data. A change is recorded inside the transaction that makes it
/// (`context.audit`, handed to the ledger; intake has its own entry in its batch), so that a crash right after a
/// commit cannot leave it out of the log; refusals, repeats and errors are recorded here, after the answer.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let database: AppDatabase
    let clock: @Sendable () -> Date
    /// The staff routes' body limit: a body read here for its item numbers is held to the same.
    let maxBodyBytes: Int

    /// Reads that show a citizen's name, ID number, phone or address.
    static let personalDataViews: Set<String> = [
        "/api/v1/dossiers/{trackingNumber}", "/api/v1/dossiers/{trackingNumber}/receipt", "/api/v1/labels/{trackingNumber}",
        "/api/v1/handovers/{id}/manifest",
    ]
    static let auditedInTransaction = "/api/v1/dossiers"
    /// Bodies that hold secrets: never read for item numbers.
    static let secretBodies: Set<String> = ["/api/v1/account/password"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = context.endpointPath ?? request.uri.path
        let changes = ![.get, .head].contains(request.method)
        guard changes || Self.personalDataViews.contains(route) else { return try await next(request, context) }
        var request = request
        var subject = context.parameters.get("trackingNumber") ?? context.parameters.get("id")
        if changes && subject == nil && route != Self.auditedInTransaction && !Self.secretBodies.contains(route) {
            // Scans, handovers and cases name their items in the body: read it once here and hand it on as it was.
            do {
                let body = try await request.collectBody(limit: maxBodyBytes)
                request.body = .init(buffer: body)
                subject = Self.itemNumbers(in: body)
            } catch {
                try await record(
                    Self.slot(request, context: context, route: route, subject: nil),
                    outcome: (error as? any HTTPResponseError)?.status.code ?? 500)
                throw error
            }
        }
        let slot = Self.slot(request, context: context, route: route, subject: subject)
        var context = context
        if changes { context.audit = slot }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Also when a transaction that wrote the entry committed and something failed after it: the error shows too.
            try await record(slot, outcome: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
        let selfAudited = request.method == .post && route == Self.auditedInTransaction && response.status.code < 300
        if !selfAudited && !slot.isCommitted { try await record(slot, outcome: response.status.code) }
        return response
    }

    /// `trackingNumber`, or the `trackingNumbers` joined, of a JSON body; nil for anything else. Only valid S10
    /// numbers are kept: the body is read before it is checked, and the audit log can never be cleaned, so what a
    /// clerk typed or scanned into the field by mistake (an ID card's number, its QR with the holder's name) must
    /// not land there.
    static func itemNumbers(in body: ByteBuffer) -> String? {
        guard case .object(let fields)? = try? JSONValue(parsing: Data(body.readableBytesView)) else { return nil }
        func valid(_ value: JSONValue) -> String? {
            guard case .string(let text) = value, let number = try? TrackingNumber(parsing: text) else { return nil }
            return number.description
        }
        if let number = fields["trackingNumber"].flatMap(valid) { return number }
        if case .array(let list)? = fields["trackingNumbers"] {
            let numbers = list.prefix(200).compactMap(valid)
            return numbers.isEmpty ? nil : numbers.joined(separator: ",")
        }
        return nil
    }

    /// Who does what to what, from where: the entry every outcome of the request is recorded with.
    private static func slot(_ request: Request, context: Context, route: String, subject: String?) -> AuditSlot {
        AuditSlot(
            actor: context.staff.name, action: "\(request.method.rawValue) \(route)", subject: subject,
            officeCode: context.staff.officeCode, remoteAddress: context.clientAddress)
    }

    /// The entry written after the answer, when no transaction of the request wrote it.
    private func record(_ slot: AuditSlot, outcome: Int) async throws {
        try await database.appendAudit([slot.entry(outcome: outcome)], at: clock())
    }
}
