import Foundation
import Hummingbird

/// `POST /api/v1/reconciliations` (start a run), `GET /api/v1/reconciliations` (the runs, newest first) and
/// `GET /api/v1/reconciliations/{id}` (one run with its findings; `?format=csv|html` for the report).
struct ReconciliationController: Sendable {
    let database: AppDatabase
    let reconciler: Reconciler
    let queue: ReconciliationService.Queue
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int

    /// The longest range one run may cover: a year of a province's dossiers.
    static let maxDays = 366

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("reconciliations", use: start)
        group.get("reconciliations", use: list)
        group.get("reconciliations/{id}", use: show)
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        let form = try FieldChecker.form(try await request.jsonBody(limit: maxBodyBytes))
        let parsed = try Self.parse(form, today: LocalDate(clock()))
        let run = try await reconciler.queue(.init(from: parsed.from, to: parsed.to, dryRun: parsed.dryRun, origin: .api))
        queue.submit(run)
        return Response.json(
            ReconciliationReport.runJSON(run), status: .accepted,
            headers: [.location: "/api/v1/reconciliations/\(run.id!)"])
    }

    /// `{"date"}` or `{"from","to"}` (local days, not in the future, at most a year), and `"dryRun"`.
    static func parse(_ form: [String: JSONValue], today: LocalDate) throws(Problem) -> (from: LocalDate, to: LocalDate, dryRun: Bool) {
        var check = FieldChecker()
        check.refuseUnknown(form, allowed: ["date", "from", "to", "dryRun"], at: "")
        func day(_ key: String) -> LocalDate? {
            guard let text = check.string(form[key], at: key, maxLength: 10) else { return nil }
            guard let day = LocalDate(iso: text) else {
                check.report(FieldIssue(key, .invalidDate))
                return nil
            }
            if today < day {
                check.report(FieldIssue(key, .outOfRange, "2000-01-01", today.description))
                return nil
            }
            return day
        }
        var range: (LocalDate, LocalDate)?
        if form["date"] != nil {
            if form["from"] != nil { check.report(FieldIssue("from", .unknownField)) }
            if form["to"] != nil { check.report(FieldIssue("to", .unknownField)) }
            if let date = day("date") { range = (date, date) }
        } else {
            let from = day("from")
            let to = day("to")
            if let from, let to {
                if to < from {
                    check.report(FieldIssue("to", .invalidRange))
                } else if to.daysSinceEpoch - from.daysSinceEpoch >= maxDays {
                    check.report(FieldIssue("to", .tooMany, String(maxDays)))
                } else {
                    range = (from, to)
                }
            }
        }
        var dryRun = false
        switch form["dryRun"] {
        case nil: break
        case .bool(let flag)?: dryRun = flag
        case let other?: check.report(FieldIssue("dryRun", .wrongType, "boolean", other.kind))
        }
        guard check.issues.isEmpty, let range else { throw Problem.validation(check.issues) }
        return (range.0, range.1, dryRun)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        var issues: [FieldIssue] = []
        let query = request.uri.queryParameters
        for (key, _) in query where key != "limit" && key != "before" { issues.append(FieldIssue(String(key), .unknownField)) }
        let limit = query["limit"].map { Int($0) ?? 0 } ?? 50
        if !(1...200).contains(limit) { issues.append(FieldIssue("limit", .outOfRange, "1", "200")) }
        let before = query["before"].map { text in Int64(text).flatMap { String($0) == text ? $0 : nil } ?? 0 }
        if let before, before < 1 { issues.append(FieldIssue("before", .invalidCursor)) }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        let runs = try await database.reconciliationRuns(before: before, limit: limit)
        let next: JSONValue = runs.count == limit ? .string(String(runs.last!.id!)) : .null
        return Response.json(.object(["items": .array(runs.map(ReconciliationReport.runJSON)), "nextCursor": next]))
    }

    /// A run covers the whole ledger (the one-stop's ledger knows no post offices), so a supervisor sees the findings
    /// about their own office's dossiers; a number the gateway does not know belongs to no office, and only admins see it.
    private func visible<Finding>(_ findings: [Finding], to staff: StaffIdentity, number: (Finding) -> String) async throws -> [Finding] {
        guard let own = staff.officeCode else { return findings }
        let offices = try await database.officeCodes(ofTrackingNumbers: Set(findings.map(number)))
        return findings.filter { offices[number($0)] == own }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        guard let id = Int64(try context.parameters.require("id")), id > 0 else {
            throw Problem.malformed(FieldIssue("id", .outOfRange, "1", String(Int64.max)), vi: "Mã lần đối soát không hợp lệ.", en: "Invalid run id.")
        }
        var issues: [FieldIssue] = []
        let query = request.uri.queryParameters
        for (key, _) in query where !["format", "limit", "after"].contains(String(key)) { issues.append(FieldIssue(String(key), .unknownField)) }
        let format = query["format"].map(String.init) ?? "json"
        if !["json", "csv", "html"].contains(format) { issues.append(FieldIssue("format", .notOneOf, "json, csv, html")) }
        let limit = query["limit"].map { Int($0) ?? 0 } ?? 500
        if !(1...5000).contains(limit) { issues.append(FieldIssue("limit", .outOfRange, "1", "5000")) }
        // The cursor is the sequence number a page gave, spelled as it gave it: `Int` alone would take "0001" or 200 zeros.
        let after = query["after"].map { text in Int(text).flatMap { String($0) == text ? $0 : nil } ?? -1 } ?? 0
        if after < 0 { issues.append(FieldIssue("after", .invalidCursor)) }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        guard let run = try await database.reconciliationRun(id: id) else {
            throw Problem.notFound(vi: "Không có lần đối soát \(id).", en: "No reconciliation run \(id).")
        }
        let language = Language(request)
        if format != "json" {
            let findings = try await visible(try await database.reconciliationFindings(runId: id).map(\.finding), to: context.staff) {
                $0.trackingNumber
            }
            let report = ReconciliationReport(run: run, findings: findings, agencyNames: reconciler.agencyNames)
            let (type, text) =
                format == "csv" ? ("text/csv; charset=utf-8", report.csv(language: language)) : ("text/html; charset=utf-8", report.html())
            return Response(
                status: .ok, headers: [.contentType: type, .contentSecurityPolicy: ContentSecurityPolicy.printable],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let page = try await database.reconciliationFindings(runId: id, afterSeq: after, limit: limit)
        guard case .object(var object) = ReconciliationReport.runJSON(run) else { throw Problem(.internalServerError, .internalError) }
        let shown = try await visible(page, to: context.staff) { $0.finding.trackingNumber }
        object["findings"] = .array(shown.map { ReconciliationReport.findingJSON($0.finding, language: language) })
        object["nextFindingsCursor"] = page.count == limit ? .string(String(page.last!.seq)) : .null
        return Response.json(.object(object))
    }
}
