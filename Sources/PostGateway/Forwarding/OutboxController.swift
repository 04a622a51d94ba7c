import Foundation
import Hummingbird

/// `GET /api/v1/outbox?state=dead` and `POST /api/v1/outbox/{id}/requeue`: forwarding that gave up, for supervisors.
struct OutboxController: Sendable {
    let database: AppDatabase
    let clock: @Sendable () -> Date

    struct MessageView: Encodable {
        let id: Int64
        let trackingNumber: String
        let kind: String
        let state: String
        let attempts: Int
        let lastError: String?
        /// Dead because the one-stop refused it: requeue it only once its data is settled with the desk.
        let refused: Bool
        let createdAt: String
        let updatedAt: String
    }

    struct Listing: ResponseEncodable {
        let items: [MessageView]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("outbox", use: list)
        group.post("outbox/{id}/requeue", use: requeue)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Listing {
        try context.staff.require(.supervisor)
        let (state, limit) = try Self.stateAndLimit(request, among: [OutboxMessageRecord.State.pending, .inFlight, .dead], default: .dead)
        let messages = try await database.outboxMessages(state: state, officeCode: context.staff.officeCode, limit: limit)
        return Listing(
            items: messages.map { message, number in
                MessageView(
                    id: message.id!, trackingNumber: number, kind: message.kind.rawValue, state: message.state.rawValue,
                    attempts: message.attempts, lastError: message.lastError, refused: message.refused == true,
                    createdAt: LocalTime.iso(message.createdAt),
                    updatedAt: LocalTime.iso(message.updatedAt))
            })
    }

    @Sendable func requeue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        let id = try Self.messageId(context)
        guard try await database.requeueDeadMessage(id: id, officeCode: context.staff.officeCode, now: clock(), audit: context.audit) else {
            throw Problem.notFound(vi: "Không có tin chết mã \(id).", en: "No dead message \(id).")
        }
        return Self.requeued(id)
    }

    /// A supervisor's list's query: `state` (one of `states`, `fallback` when absent) and `limit` (1–1000, 200), and
    /// nothing else; every bad parameter is named.
    static func stateAndLimit<State: RawRepresentable & Equatable>(_ request: Request, among states: [State], default fallback: State)
        throws -> (State, Int) where State.RawValue == String
    {
        var issues: [FieldIssue] = []
        for (key, _) in request.uri.queryParameters where key != "state" && key != "limit" { issues.append(FieldIssue(String(key), .unknownField)) }
        let state = request.uri.queryParameters["state"].map { State(rawValue: String($0)) } ?? fallback
        if state == nil || !states.contains(state!) {
            issues.append(FieldIssue("state", .notOneOf, states.map(\.rawValue).joined(separator: ", ")))
        }
        let limit = request.uri.queryParameters["limit"].map { Int($0) ?? 0 } ?? 200
        if !(1...1000).contains(limit) { issues.append(FieldIssue("limit", .outOfRange, "1", "1000")) }
        guard issues.isEmpty, let state else { throw Problem.validation(issues) }
        return (state, limit)
    }

    /// The `{id}` of a requeue: a positive whole number.
    static func messageId(_ context: AppRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else {
            throw Problem.malformed(FieldIssue("id", .outOfRange, "1", String(Int64.max)), vi: "Mã tin không hợp lệ.", en: "Invalid message id.")
        }
        return id
    }

    /// 202: the dead message (or notice) `id` is pending again.
    static func requeued(_ id: Int64) -> Response {
        Response(
            status: .accepted, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"id":\#(id),"state":"pending"}"#)))
    }
}
