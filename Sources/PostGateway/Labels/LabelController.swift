import Foundation
import HTTPTypes
import Hummingbird

/// `GET /api/v1/labels/{trackingNumber}?format=svg|zpl` and `GET /api/v1/dossiers/{trackingNumber}/receipt`.
struct LabelController: Sendable {
    let database: AppDatabase
    let renderer: LabelRenderer
    let pins: TrackingPins

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("labels/{trackingNumber}", use: label)
        group.get("dossiers/{trackingNumber}/receipt", use: receipt)
    }

    @Sendable func label(_ request: Request, context: AppRequestContext) async throws -> Response {
        let trackingNumber = try TrackingNumber(path: context.parameters.require("trackingNumber"))
        var issues: [FieldIssue] = []
        for (key, _) in request.uri.queryParameters where key != "format" { issues.append(FieldIssue(String(key), .unknownField)) }
        let formatText = request.uri.queryParameters["format"].map(String.init) ?? "svg"
        let format = LabelRenderer.Format(rawValue: formatText)
        if format == nil { issues.append(FieldIssue("format", .notOneOf, LabelRenderer.Format.allCases.map(\.rawValue).joined(separator: ", "))) }
        guard issues.isEmpty, let format else { throw Problem.validation(issues) }
        // A result item's label is printed by the office serving the agency, which collects it, not only at intake.
        let detail = try await detail(trackingNumber, for: context.staff, orByTheServingOffice: true)
        let body = try renderer.render(detail, trackingNumber: trackingNumber, format: format)
        return Response(
            status: .ok,
            headers: [
                .contentType: format.contentType, .cacheControl: "private, no-store",
                .contentDisposition: "inline; filename=\"\(trackingNumber).\(format.rawValue)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    @Sendable func receipt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let trackingNumber = try TrackingNumber(path: context.parameters.require("trackingNumber"))
        let detail = try await detail(trackingNumber, for: context.staff)
        // A result-only order has no dossier to list: its receipt is the order's.
        let html =
            detail.dossier.service == .resultOnly
            ? renderer.templates.orderReceipt.render(
                try OrderReceiptData(detail: detail, reference: renderer.reference, publicBaseURL: renderer.publicBaseURL, pins: pins).context)
            : renderer.templates.receipt.render(
                try ReceiptData(detail: detail, reference: renderer.reference, publicBaseURL: renderer.publicBaseURL, pins: pins).context)
        // The receipt carries personal data and the PIN: never cached, never indexed.
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "private, no-store",
                .contentSecurityPolicy: ContentSecurityPolicy.printable,
                HTTPField.Name("X-Robots-Tag")!: "noindex",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Receipts and labels are printed by the office that took the dossier in, a result item's label also by the office
    /// that collects results from the dossier's desk (reference data); others get 404. Not by whichever office the item
    /// is at: any clerk may scan an item as arrived at their own office, and that must not open the names and
    /// addresses a label carries.
    private func detail(_ trackingNumber: TrackingNumber, for staff: StaffIdentity, orByTheServingOffice: Bool = false) async throws -> DossierDetail
    {
        guard let detail = try await database.dossierDetail(trackingNumber: trackingNumber),
            staff.mayAct(at: detail.dossier.officeCode)
                || orByTheServingOffice && detail.items.contains(where: { $0.kind == .result && $0.trackingNumber == trackingNumber.description })
                    && renderer.reference.agency(detail.dossier.agencyCode).map({ staff.mayAct(at: $0.servingOfficeCode) }) == true
        else {
            throw Problem.notFound(vi: "Không có bưu gửi \(trackingNumber).", en: "No item \(trackingNumber).")
        }
        return detail
    }
}
