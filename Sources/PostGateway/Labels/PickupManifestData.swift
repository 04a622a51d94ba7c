import Foundation

/// What the pickup biên bản shows (labels/pickup-manifest.html.mustache): each result the courier collects at the
/// desk, its documents and the cash to collect on delivery, with totals, for the desk's officer and the courier to sign.
struct PickupManifestData {
    static let fieldNames: Set<String> = [
        "manifestNumber", "agencyName", "agencyCode", "officeName", "officeCode", "createdAt", "isSigned", "signedAt",
        "handedOverBy", "items", "index", "trackingNumber", "oneStopCode", "procedureName", "documentCount", "cashOnDelivery",
        "itemCount", "totalDocuments", "totalCash",
    ]

    let context: [String: Any]

    init(_ detail: HandoverDetail, agency: ReferenceData.Agency, office: ReferenceData.Office) {
        let handover = detail.handover
        context = [
            "manifestNumber": handover.number,
            "agencyName": agency.name,
            "agencyCode": agency.code,
            "officeName": office.name,
            "officeCode": office.code,
            "createdAt": ReceiptData.vietnameseTime(handover.createdAt),
            "isSigned": handover.signedAt != nil,
            "signedAt": handover.signedAt.map(ReceiptData.vietnameseTime) ?? "",
            "handedOverBy": handover.receivedBy ?? "",
            "items": detail.lines.enumerated().map { index, line in
                [
                    "index": index + 1, "trackingNumber": line.item.trackingNumber, "oneStopCode": line.dossier.oneStopCode ?? "",
                    "procedureName": line.dossier.procedureName, "documentCount": line.item.documentCount.map(String.init) ?? "",
                    "cashOnDelivery": Money.formatted(line.item.cashOnDelivery),
                ] as [String: Any]
            },
            "itemCount": detail.lines.count,
            "totalDocuments": detail.lines.reduce(0) { $0 + ($1.item.documentCount ?? 0) },
            "totalCash": Money.formatted(detail.lines.reduce(0) { $0 + $1.item.cashOnDelivery }),
        ]
    }
}
