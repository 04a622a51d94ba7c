import Foundation
import Hummingbird

/// `POST /api/v1/dossiers` (counter intake) and the staff reads of dossiers.
struct DossierController: Sendable {
    let batcher: IntakeBatcher
    let validator: IntakeValidator
    let database: AppDatabase
    let pins: TrackingPins
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int
    let maxPageSize: Int
    let publicBaseURL: String

    static let defaultPageSize = 50

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("dossiers", use: create)
        group.get("dossiers", use: list)
        group.get("dossiers/{trackingNumber}", use: show)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.jsonBody(limit: maxBodyBytes)
        let submission = try validator.validate(
            body, idempotencyKey: request.headers[.idempotencyKey], acceptedAt: LocalTime.millisecondPrecision(clock()),
            acceptedBy: context.staff.name, acceptedFrom: context.clientAddress)
        // A clerk takes dossiers in at their own office only; another office is as unknown to them as a made-up one.
        guard context.staff.mayAct(at: submission.office.code) else {
            throw Problem.validation([FieldIssue("officeCode", .unknownOffice, submission.office.code)])
        }
        let language = Language(request)
        let warnings = submission.warnings
        let accepted: AcceptedDossier
        let replayed: Bool
        let outcome: IntakeOutcome
        do {
            // Its last use: the submission is moved to the writer, not copied (`IntakeBatcher.submit`).
            outcome = try await batcher.submit(consume submission)
        } catch is IntakeBatcher.ShuttingDown {
            throw Problem(.serviceUnavailable, .unavailable) { language in
                language == .vi
                    ? "Hệ thống đang dừng; hãy gửi lại sau ít phút, cùng Idempotency-Key."
                    : "The gateway is stopping; send again in a few minutes with the same Idempotency-Key."
            }
        }
        switch outcome {
        case .accepted(let dossier):
            metrics.intakesAccepted.increment()
            (accepted, replayed) = (dossier, false)
        case .replayed(let dossier):
            metrics.intakesReplayed.increment()
            (accepted, replayed) = (dossier, true)
        case .keyReused:
            metrics.intakesRefused.increment()
            throw Problem.validation([FieldIssue("Idempotency-Key", .idempotencyKeyReused)])
        case .supplementRefused(let issue):
            metrics.intakesRefused.increment()
            throw Problem.validation([issue])
        }
        let receipt = IntakeReceiptView(accepted, warnings: warnings, language: language, publicBaseURL: publicBaseURL)
        var headers: HTTPFields = [.location: receipt.links.`self`, .cacheControl: "no-store"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return try .json(encoding: receipt, status: .created, headers: headers)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> DossierView {
        let trackingNumber = try TrackingNumber(path: context.parameters.require("trackingNumber"))
        guard let detail = try await database.dossierDetail(trackingNumber: trackingNumber),
            context.staff.mayAct(at: detail.dossier.officeCode)
        else {
            throw Problem.notFound(vi: "Không có bưu gửi \(trackingNumber).", en: "No item \(trackingNumber).")
        }
        let idNumber = try detail.dossier.applicantIdSealed.map(database.idNumbers.open)
        // The whole number only for the office that took the dossier in; admins, who belong to none, see it masked.
        let ownOffice = context.staff.officeCode == detail.dossier.officeCode
        return DossierView(detail, idNumber: ownOffice ? idNumber : idNumber.map(IdNumberSealer.mask))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> DossierPageView {
        var query = try DossierListQuery(request.uri.queryParameters, maxPageSize: maxPageSize, defaultPageSize: Self.defaultPageSize)
        query.filter.officeCode = try context.staff.office(asked: query.filter.officeCode)
        // One more than asked tells whether another page follows.
        let rows = try await database.dossierSummaries(query.filter, before: query.before, limit: query.limit + 1)
        let page = Array(rows.prefix(query.limit))
        let next = rows.count > query.limit ? page.last.map { DossierListQuery.cursor(after: $0.id) } : nil
        return DossierPageView(page, nextCursor: next)
    }
}
