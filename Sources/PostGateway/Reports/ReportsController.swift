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
        let query = Self.query(request)
        let today = LocalDate(clock())
        var issues: [FieldIssue] = []
        let format = query["format"] ?? "json"
        if !["json", "csv"].contains(format) { issues.append(FieldIssue("format", .notOneOf, "json, csv")) }
        let filter: ReportFilter
        do { filter = try ReportFilter.parse(query, reference: reference, today: today, allowed: ["format"]) } catch {
            throw Problem.validation(issues + error.issues)
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let scoped = try Self.scoped(filter, for: context.staff)
        let report = try await database.reportSummary(scoped, asOf: scoped.asOf(today: today))
        if format == "csv" {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"tong-hop-\(scoped.from)-\(scoped.to).csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: report.csv(reference))))
        }
        return Response.json(report.json(reference))
    }

    @Sendable func overdue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = Self.query(request)
        var issues: [FieldIssue] = []
        for key in query.keys.sorted() where !["officeCode", "agencyCode", "limit"].contains(key) { issues.append(FieldIssue(key, .unknownField)) }
        if let office = query["officeCode"], reference.office(office) == nil { issues.append(FieldIssue("officeCode", .unknownOffice, office)) }
        if let agency = query["agencyCode"], reference.agency(agency) == nil { issues.append(FieldIssue("agencyCode", .unknownAgency, agency)) }
        let limit = query["limit"].map { Int($0) ?? 0 } ?? 200
        if !(1...1000).contains(limit) { issues.append(FieldIssue("limit", .outOfRange, "1", "1000")) }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let today = LocalDate(clock())
        let office = try Self.office(query["officeCode"], for: context.staff)
        let (total, items) = try await database.overdueItems(officeCode: office, agencyCode: query["agencyCode"], asOf: today, limit: limit)
        let language = Language(request)
        return Response.json(.object([
            "asOf": .string(today.description), "total": .integer(Int64(total)),
            "items": .array(items.map { overdueJSON($0, asOf: today, language: language) }),
        ]))
    }

    @Sendable func postalService(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = Self.query(request)
        var issues: [FieldIssue] = []
        for key in query.keys.sorted() where !["period", "officeCode", "format"].contains(key) { issues.append(FieldIssue(key, .unknownField)) }
        let period = query["period"].flatMap(ReportPeriod.init)
        if query["period"] == nil { issues.append(FieldIssue("period", .required)) } else if period == nil { issues.append(FieldIssue("period", .invalidPeriod)) }
        if let office = query["officeCode"], reference.office(office) == nil { issues.append(FieldIssue("officeCode", .unknownOffice, office)) }
        let format = query["format"] ?? "json"
        if !["json", "csv", "html"].contains(format) { issues.append(FieldIssue("format", .notOneOf, "json, csv, html")) }
        guard issues.isEmpty, let period else { throw Problem.validation(issues) }
        let office = try Self.office(query["officeCode"], for: context.staff)
        let report = try await database.postalServiceReport(period, officeCode: office)
        switch format {
        case "csv":
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"bao-cao-bcci-\(period).csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: report.csv())))
        case "html":
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
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

    static func query(_ request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        return query
    }

    /// Staff of one office see their office's figures only: asked for another, the answer is 404, as for its items.
    static func office(_ asked: String?, for staff: StaffIdentity) throws -> String? {
        guard staff.mayAct(at: asked ?? staff.officeCode) else {
            throw Problem.notFound(vi: "Không có số liệu của bưu cục này.", en: "No figures for this office.")
        }
        return asked ?? staff.officeCode
    }

    static func scoped(_ filter: ReportFilter, for staff: StaffIdentity) throws -> ReportFilter {
        ReportFilter(from: filter.from, to: filter.to, officeCode: try office(filter.officeCode, for: staff), agencyCode: filter.agencyCode)
    }
}
