import Foundation
import Hummingbird

/// `GET /api/v1/pickups?officeCode=`: results ready at the desks an office serves, for the clerk who goes to
/// collect them (each then scanned `pickedUp`).
struct PickupController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("pickups", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let asked = request.uri.queryParameters.get("officeCode")
        if let code = asked, reference.office(code) == nil {
            throw Problem.validation([FieldIssue("officeCode", .unknownOffice, code)])
        }
        // A clerk sees the pickups of their own office only; another office's answers 404 like its items do.
        let officeCode = try context.staff.office(asked: asked)
        let pickups = try await database.pendingPickups(officeCode: officeCode)
        return .json(
            .object([
                "items": .array(
                    pickups.map { pickup in
                        .object([
                            "trackingNumber": .string(pickup.trackingNumber),
                            "dossierTrackingNumber": pickup.dossierTrackingNumber.map(JSONValue.string) ?? .null,
                            "oneStopCode": pickup.oneStopCode.map(JSONValue.string) ?? .null,
                            "agencyCode": .string(pickup.agencyCode),
                            "agencyName": reference.agency(pickup.agencyCode).map { .string($0.name) } ?? .null,
                            "officeCode": .string(pickup.officeCode),
                            "dueDate": pickup.dueDate.map(JSONValue.string) ?? .null,
                            "cashOnDelivery": .integer(pickup.cashOnDelivery),
                            "readyAt": .string(LocalTime.iso(pickup.readyAt)),
                            "links": .object(["label": .string("/api/v1/labels/\(pickup.trackingNumber)?format=svg")]),
                        ])
                    })
            ]), headers: [.cacheControl: "no-store"])
    }
}
