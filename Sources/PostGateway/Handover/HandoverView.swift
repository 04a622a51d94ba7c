import Foundation
import Hummingbird

/// A manifest as the API shows it: number, parties, state, and each item.
struct HandoverView {
    let detail: HandoverDetail
    let reference: ReferenceData

    init(_ detail: HandoverDetail, reference: ReferenceData) {
        self.detail = detail
        self.reference = reference
    }

    static func summary(_ handover: HandoverRecord) -> JSONValue {
        let path = "/api/v1/\(HandoverController.path(handover.direction))/\(handover.id!)"
        return .object([
            "id": .integer(handover.id!),
            "number": .string(handover.number),
            "agencyCode": .string(handover.agencyCode),
            "officeCode": .string(handover.officeCode),
            "state": .string(handover.state),
            "createdAt": .string(LocalTime.iso(handover.createdAt)),
            "signedAt": handover.signedAt.map { .string(LocalTime.iso($0)) } ?? .null,
            // The desk officer who signed: receiving the dossiers, or handing the results over.
            (handover.direction == .dossiers ? "receivedBy" : "handedOverBy"): handover.receivedBy.map(JSONValue.string) ?? .null,
            "cancelledAt": handover.cancelledAt.map { .string(LocalTime.iso($0)) } ?? .null,
            // A cancelled manifest is not printed: it would look like one to sign.
            "links": .object(
                ["self": .string(path)].merging(
                    handover.isCancelled ? [:] : ["manifest": .string("\(path)/manifest")]
                ) { $1 }),
        ])
    }

    var json: JSONValue {
        guard case .object(var object) = Self.summary(detail.handover) else { return .null }
        object["agencyName"] = reference.agency(detail.handover.agencyCode).map { .string($0.name) } ?? .null
        object["items"] = .array(
            detail.lines.map { line in
                detail.handover.direction == .dossiers
                    ? .object([
                        "trackingNumber": .string(line.item.trackingNumber),
                        "status": .string(line.item.status.rawValue),
                        "procedureCode": .string(line.dossier.procedureCode),
                        "procedureName": .string(line.dossier.procedureName),
                        "administrativeFee": .integer(line.dossier.administrativeFee),
                    ])
                    : .object([
                        "trackingNumber": .string(line.item.trackingNumber),
                        "status": .string(line.item.status.rawValue),
                        "oneStopCode": line.dossier.oneStopCode.map(JSONValue.string) ?? .null,
                        "procedureName": .string(line.dossier.procedureName),
                        "documentCount": line.item.documentCount.map { .integer(Int64($0)) } ?? .null,
                        "cashOnDelivery": .integer(line.item.cashOnDelivery),
                    ])
            })
        return .object(object)
    }

    func response(status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if status == .created { headers[.location] = "/api/v1/\(HandoverController.path(detail.handover.direction))/\(detail.handover.id!)" }
        return .json(json, status: status, headers: headers)
    }
}
