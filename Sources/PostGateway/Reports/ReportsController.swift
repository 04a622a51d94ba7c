import Foundation
import Hummingbird

/// `GET /api/v1/reports/summary` (received, resolved early / on time / late, in progress, by agency, by ward, by
/// day; `&format=csv`), `GET /api/v1/reports/overdue` (items past J + n and where each one is) and
/// `GET /api/v1/reports/postal-service` (Circular 17 Art 13's periodic report).
struct ReportsController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reports/summary", use: summary)
        group.get("reports/overdue", use: overdue)
        group.get("reports/postal-service", use: postalService)
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        var check = QueryChecker(request, allowed: ReportFilter.parameters.union(["format"]))
        let format = check.choice("format", among: ["json", "csv"], default: "json")
        let filter = ReportFilter.parse(&check, reference: reference)
        try check.finish()
        guard let filter else { throw Problem(.internalServerError, .internalError) }
        let today = LocalDate(clock())
        let scoped = try Self.scoped(filter, for: context.staff)
        let report = try await database.reportSummary(scoped, asOf: scoped.asOf(today: today))
        if format == "csv" {
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"tong-hop-\(scoped.from)-\(scoped.to).csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: report.csv(reference))))
        }
        return Response.json(report.json(reference))
    }

    @Sendable func overdue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        var check = QueryChecker(request, allowed: ["officeCode", "agencyCode", "limit"])
        let asked = check.office("officeCode", in: reference)
        let agency = check.agency("agencyCode", in: reference)
        let limit = check.limit(default: 200, max: 1000)
        try check.finish()
        let today = LocalDate(clock())
        let office = try Self.office(asked, for: context.staff)
        let (total, items) = try await database.overdueItems(officeCode: office, agencyCode: agency, asOf: today, limit: limit)
        let language = Language(request)
        return Response.json(
            .object([
                "asOf": .string(today.description), "total": .integer(Int64(total)),
                "items": .array(items.map { overdueJSON($0, asOf: today, language: language) }),
            ]))
    }

    @Sendable func postalService(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        var check = QueryChecker(request, allowed: ["period", "officeCode", "format"])
        let period = check["period"].flatMap(ReportPeriod.init)
        if check["period"] == nil {
            check.report(FieldIssue("period", .required))
        } else if period == nil {
            check.report(FieldIssue("period", .invalidPeriod))
        }
        let asked = check.office("officeCode", in: reference)
        let format = check.choice("format", among: ["json", "csv", "html"], default: "json")
        try check.finish()
        guard let period else { throw Problem(.internalServerError, .internalError) }
        let office = try Self.office(asked, for: context.staff)
        let report = try await database.postalServiceReport(period, officeCode: office)
        switch format {
        case "csv":
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"bao-cao-bcci-\(period).csv\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: report.csv())))
        case "html":
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                    .contentSecurityPolicy: ContentSecurityPolicy.printable,
                ],
                body: .init(byteBuffer: ByteBuffer(string: report.html(officeName: office.flatMap { reference.office($0)?.name }))))
        default:
            return Response.json(report.json())
        }
    }

    func overdueJSON(_ item: OverdueItem, asOf: LocalDate, language: Language) -> JSONValue {
        .object([
            "trackingNumber": .string(item.trackingNumber), "kind": .string(item.kind.rawValue), "status": .string(item.status.rawValue),
            "statusWords": .string(item.status.words(language)), "officeCode": .string(item.officeCode),
            "officeName": .string(reference.office(item.officeCode)?.name ?? item.officeCode), "dueDate": .string(item.dueDate),
            "daysOverdue": .integer(Int64(item.daysOverdue(asOf: asOf))), "agencyCode": .string(item.agencyCode),
            "agencyName": .string(reference.agency(item.agencyCode)?.name ?? item.agencyCode), "procedureName": .string(item.procedureName),
            "lastEventAt": item.lastEventAt.map { .string(LocalTime.iso($0)) } ?? .null,
        ])
    }

    /// Staff of one office see their office's figures only: asked for another, the answer is 404, as for its items.
    static func office(_ asked: String?, for staff: StaffIdentity) throws -> String? {
        try staff.office(asked: asked, notFound: .notFound(vi: "Không có số liệu của bưu cục này.", en: "No figures for this office."))
    }

    static func scoped(_ filter: ReportFilter, for staff: StaffIdentity) throws -> ReportFilter {
        ReportFilter(from: filter.from, to: filter.to, officeCode: try office(filter.officeCode, for: staff), agencyCode: filter.agencyCode)
    }
}
