import Foundation
import Hummingbird

/// `POST /api/v1/cases` (a complaint or an incident about an item), `GET /api/v1/cases[/{id}]`, and
/// `POST /api/v1/cases/{id}/resolve`. Circular 17 Art 13's periodic report counts what these record.
struct CaseController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("cases", use: open)
        group.get("cases", use: list)
        group.get("cases/{id}", use: show)
        group.post("cases/{id}/resolve", use: resolve)
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = clock()
        let parsed = try OpenCaseRequest.parse(try await request.jsonBody(limit: maxBodyBytes), now: now)
        let staff = context.staff
        switch try await database.openCase(
            parsed, actor: staff.name, calendar: reference.calendar, mayAct: { staff.mayAct(at: $0) },
            audit: context.audit, now: now)
        {
        case .opened(let detail):
            return Response.json(json(detail, today: LocalDate(now)), status: .created, headers: [.location: "/api/v1/cases/\(detail.record.id!)"])
        case .alreadyOpen(let detail):
            return Response.json(json(detail, today: LocalDate(now)), status: .ok, headers: [.location: "/api/v1/cases/\(detail.record.id!)"])
        case .unknownItem:
            // Unknown, or another office's: the same answer, so that its existence does not leak.
            throw Problem.notFound(vi: "Không có bưu gửi \(parsed.trackingNumber).", en: "No item \(parsed.trackingNumber).")
        case .tooLate(let dueDate, let lastDay):
            throw Problem.validation([FieldIssue("at", .complaintTooLate, dueDate, lastDay.description)])
        }
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        let id = try Self.id(context)
        let parsed = try ResolveCaseRequest.parse(try await request.jsonBody(limit: maxBodyBytes))
        let staff = context.staff
        let now = clock()
        switch try await database.resolveCase(
            id: id, parsed, actor: staff.name, now: now, mayAct: { staff.mayAct(at: $0) },
            audit: context.audit)
        {
        case .resolved(let detail): return Response.json(json(detail, today: LocalDate(now)))
        case .notFound: throw Self.notFound(id)
        case .alreadyResolved:
            throw Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Vụ việc \(id) đã được giải quyết; kết quả không sửa được." : "Case \(id) is already resolved; its outcome cannot be changed."
            }
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        guard let detail = try await database.postalCase(id: id), context.staff.mayAct(at: detail.officeCode) else { throw Self.notFound(id) }
        return Response.json(json(detail, today: LocalDate(clock())))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        var check = QueryChecker(request, allowed: ["state", "officeCode", "limit", "before"])
        let state = check.choice("state", among: ["open", "resolved", "all"], default: "all")
        let asked = check.office("officeCode", in: reference)
        let limit = check.limit(default: 50, max: 200)
        let before = check.cursor("before")
        try check.finish()
        let office = try ReportsController.office(asked, for: context.staff)
        let cases = try await database.postalCases(open: state == "all" ? nil : state == "open", officeCode: office, before: before, limit: limit)
        let today = LocalDate(clock())
        return Response.json(
            .object([
                "items": .array(cases.map { json($0, today: today) }),
                "nextCursor": cases.count == limit ? .string(String(cases.last!.record.id!)) : .null,
            ]))
    }

    func json(_ detail: PostalCaseDetail, today: LocalDate) -> JSONValue {
        let record = detail.record
        // Late: resolved after its day, or still open past it.
        let settledOn = record.resolvedAt.map { LocalDate($0).description } ?? today.description
        return .object([
            "id": .integer(record.id!), "trackingNumber": .string(detail.trackingNumber), "officeCode": .string(detail.officeCode),
            "origin": .string(record.origin.rawValue), "subject": .string(record.subject.rawValue),
            "openedAt": .string(LocalTime.iso(record.openedAt)), "openedBy": .string(record.openedBy), "dueDate": .string(record.dueDate),
            "note": record.note.map(JSONValue.string) ?? .null, "state": .string(record.isResolved ? "resolved" : "open"),
            "late": .bool(settledOn > record.dueDate),
            "resolvedAt": record.resolvedAt.map { .string(LocalTime.iso($0)) } ?? .null,
            "resolvedBy": record.resolvedBy.map(JSONValue.string) ?? .null,
            "upheld": record.upheld.map(JSONValue.bool) ?? .null, "compensation": .integer(record.compensation),
            "resolution": record.resolution.map(JSONValue.string) ?? .null,
        ])
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else {
            throw Problem.malformed(FieldIssue("id", .outOfRange, "1", String(Int64.max)), vi: "Mã vụ việc không hợp lệ.", en: "Invalid case id.")
        }
        return id
    }

    static func notFound(_ id: Int64) -> Problem { .notFound(vi: "Không có vụ việc \(id).", en: "No case \(id).") }
}
