import Foundation
import Hummingbird

/// `GET /dashboard`: a supervisor's page for a period and an office — the summary's figures, by ward and by agency,
/// the daily volume as a chart, and the items past J + n with where each one is. The numbers are the API's
/// (`/api/v1/reports/summary`), computed by the same code.
struct DashboardController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData
    let pages: WebTemplates
    let clock: @Sendable () -> Date

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("dashboard", use: dashboard)
    }

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        // A clerk who follows an old link gets a page to read, not the API's problem+json.
        guard context.staff.role >= .supervisor else {
            return html(
                """
                <!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Số liệu — PostGateway</title><link rel="stylesheet" href="/static/staff.css"></head>
                <body><main><h1>Số liệu</h1><p>Trang số liệu dành cho giám sát viên và quản trị viên.</p>
                <p><a href="/counter">Về trang tiếp nhận</a></p></main></body></html>
                """, status: .forbidden)
        }
        let today = LocalDate(clock())
        // The form sends empty values for "all"; a first visit shows this month so far.
        let (year, month, _) = today.components
        var check = QueryChecker(
            request, allowed: ReportFilter.parameters.union(["wards"]), droppingEmpty: true,
            defaults: ["from": LocalDate(year: year, month: month, day: 1).description, "to": today.description])
        let offices = reference.offices.filter { context.staff.mayAct(at: $0.code) }
        var values: [String: Any] = [
            "staffName": context.staff.name, "csrfToken": context.staff.csrfToken ?? "", "from": check["from"]!, "to": check["to"]!,
            "offices": offices.map { ["code": $0.code, "name": $0.name, "selected": $0.code == check["officeCode"]] as [String: Any] },
            "agencies": reference.agencies.map { ["code": $0.code, "name": $0.name, "selected": $0.code == check["agencyCode"]] as [String: Any] },
            "allOffices": context.staff.officeCode == nil,
        ]
        values["sandbox"] = pages.sandboxBanner
        // By ward as filed (each dossier under the unit it was filed with), or under the units in force today.
        let wardsBy = check.choice("wards", among: ["filed", "today"], default: "filed")
        values["wardsFiled"] = wardsBy == "filed"
        let filter: ReportFilter
        do {
            let parsed = ReportFilter.parse(&check, reference: reference)
            try check.finish()
            filter = try ReportsController.scoped(parsed!, for: context.staff)
        } catch let problem as Problem where problem.status != .notFound {
            values["hasErrors"] = true
            values["errors"] = problem.issues.map { ["field": $0.field, "message": $0.code.message(.vi, $0.arguments)] }
            return html(pages.dashboard.render(values), status: .unprocessableContent)
        }
        let asOf = filter.asOf(today: today)
        let summary = try await database.reportSummary(filter, asOf: asOf)
        let (overdueTotal, overdue) = try await database.overdueItems(
            officeCode: filter.officeCode, agencyCode: filter.agencyCode, asOf: today, limit: 200)
        func row(_ counts: ReportSummary.Counts) -> [String: Any] {
            [
                "received": counts.received, "resolvedEarly": counts.resolvedEarly, "resolvedOnTime": counts.resolvedOnTime,
                "resolvedLate": counts.resolvedLate, "closedWithoutResult": counts.closedWithoutResult,
                "inProgressWithinDeadline": counts.inProgressWithinDeadline, "inProgressOverdue": counts.inProgressOverdue,
            ]
        }
        let total = summary.total
        values["report"] = row(total).merging([
            "asOf": LocalDate.vietnameseForm(asOf.description), "fromWords": LocalDate.vietnameseForm(filter.from.description),
            "toWords": LocalDate.vietnameseForm(filter.to.description),
            "onTimeShare": Self.share(total.resolvedEarly + total.resolvedOnTime, of: total.resolved),
        ]) { $1 }
        let underToday = wardsBy == "today"
        let wardRows = underToday ? summary.wardsToday(reference, today: today) : summary.wards(reference)
        let wards = wardRows.map { ward in
            row(ward.counts).merging([
                "name": ward.name, "code": ward.agencyCode, "unitCode": ward.unitCode, "successors": ward.successors.joined(separator: "; "),
            ]) { $1 }
        }
        values["wardsToday"] = underToday
        values["hasSuccessors"] = wardRows.contains { !$0.successors.isEmpty }
        let agencyRows = summary.agencies(reference).map { agency in
            row(summary.counts(of: agency.code)).merging(["name": agency.name, "code": agency.code]) { $1 }
        }
        values["serviceRows"] = ServiceType.allCases.map { service in
            row(summary.byService[service] ?? .init()).merging(["name": PostalServiceReport.serviceName(service), "code": service.rawValue]) { $1 }
        }
        values["wards"] = wards
        values["agencyRows"] = agencyRows
        values["hasWards"] = !wards.isEmpty
        values["hasAgencyRows"] = !agencyRows.isEmpty
        values["hasOverdue"] = !overdue.isEmpty
        values["chart"] = DailyChart.svg(summary.daily)
        values["overdueTotal"] = overdueTotal
        values["overdue"] = overdue.map { item -> [String: Any] in
            [
                "trackingNumber": item.trackingNumber, "kind": item.kind == .dossier ? "Hồ sơ" : "Kết quả", "statusWords": item.status.words(.vi),
                "officeName": reference.office(item.officeCode)?.name ?? item.officeCode, "dueDate": LocalDate.vietnameseForm(item.dueDate),
                "daysOverdue": item.daysOverdue(asOf: today), "agencyName": reference.agency(item.agencyCode)?.name ?? item.agencyCode,
                "lastEventAt": item.lastEventAt.map(ReceiptData.vietnameseTime) ?? "",
            ]
        }
        var exportQuery = "from=\(filter.from)&to=\(filter.to)"
        if let office = filter.officeCode { exportQuery += "&officeCode=\(office)" }
        if let agency = filter.agencyCode { exportQuery += "&agencyCode=\(agency)" }
        values["exportQuery"] = exportQuery
        let quarter = (filter.to.components.month - 1) / 3 + 1
        values["postalReportQuery"] = "period=\(filter.to.components.year)-Q\(quarter)" + (filter.officeCode.map { "&officeCode=\($0)" } ?? "")
        return html(pages.dashboard.render(values), status: .ok)
    }

    /// "96,5%" (Vietnamese decimal comma), in whole arithmetic; "—" when there is nothing to share.
    static func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "—" }
        let tenths = part * 1000 / whole
        return "\(tenths / 10),\(tenths % 10)%"
    }

    private func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
