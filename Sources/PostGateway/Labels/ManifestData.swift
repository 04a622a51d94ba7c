import Foundation

/// A Biên bản giao nhận hồ sơ (Decision 45/2016 Art 7.3) as printed: the batch of items handed to one desk,
/// each with its item number and what it contains, and the signatures. Its data comes from handovers (the
/// scanning issue); the printing is here with the other paper forms.
struct ManifestData {
    struct Line: Sendable {
        let trackingNumber: String
        let procedureName: String
        let originals: Int
        let copies: Int
        let administrativeFee: Int64
    }

    static let fieldNames: Set<String> = [
        "manifestNumber", "agencyName", "agencyCode", "officeName", "officeCode", "createdAt", "isSigned", "signedAt",
        "receivedBy", "items", "index", "trackingNumber", "procedureName", "originals", "copies", "administrativeFee",
        "itemCount", "totalFees",
    ]

    let context: [String: Any]

    init(
        number: String, agency: ReferenceData.Agency, office: ReferenceData.Office, createdAt: Date, signedAt: Date?,
        receivedBy: String?, lines: [Line]
    ) {
        context = [
            "manifestNumber": number,
            "agencyName": agency.name,
            "agencyCode": agency.code,
            "officeName": office.name,
            "officeCode": office.code,
            "createdAt": ReceiptData.vietnameseTime(createdAt),
            "isSigned": signedAt != nil,
            "signedAt": signedAt.map(ReceiptData.vietnameseTime) ?? "",
            "receivedBy": receivedBy ?? "",
            "items": lines.enumerated().map { index, line in
                [
                    "index": index + 1, "trackingNumber": line.trackingNumber, "procedureName": line.procedureName,
                    "originals": line.originals, "copies": line.copies, "administrativeFee": Money.formatted(line.administrativeFee),
                ] as [String: Any]
            },
            "itemCount": lines.count,
            "totalFees": Money.formatted(lines.reduce(0) { $0 + $1.administrativeFee }),
        ]
    }
}
