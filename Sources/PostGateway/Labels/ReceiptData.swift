import Foundation

/// The Phiếu gửi hồ sơ handed to the citizen: what Circular 17 Art 9 requires of the contract (sender,
/// recipient, time and place, service, documents with original/copy, fees, quality, rights, liability),
/// with the tracking number, its QR and the citizen's tracking PIN.
struct ReceiptData {
    struct Document {
        let index: Int
        let name: String
        let copies: Int
        let kindName: String
    }

    static let fieldNames: Set<String> = LabelData.fieldNames.union([
        "applicantPhone", "applicantEmail", "hasApplicantEmail", "resultAddress", "hasResultAddress", "pin", "acceptedAt",
        "documents", "index", "name", "copies", "kindName", "documentCount", "note", "hasNote", "agencyAddress",
    ])

    let context: [String: Any]

    init(detail: DossierDetail, reference: ReferenceData, publicBaseURL: String, pins: TrackingPins) throws {
        let dossier = detail.dossier
        let dossierItem = detail.items.first { $0.kind == .dossier }!
        let number = try TrackingNumber(parsing: dossierItem.trackingNumber)
        let label = try LabelData(detail: detail, trackingNumber: number, reference: reference, publicBaseURL: publicBaseURL)
        var context: [String: Any] = label.svgFields
        context["applicantPhone"] = dossier.applicantPhone
        context["applicantEmail"] = dossier.applicantEmail ?? ""
        context["hasApplicantEmail"] = dossier.applicantEmail != nil
        context["resultAddress"] = dossier.resultAddress ?? ""
        context["hasResultAddress"] = dossier.resultAddress != nil
        context["pin"] = pins.pin(for: number)
        context["acceptedAt"] = Self.vietnameseTime(dossier.acceptedAt)
        context["documents"] = dossier.documents.enumerated().map { index, document in
            ["index": index + 1, "name": document.name, "copies": document.copies, "kindName": Self.kindName(document.kind)] as [String: Any]
        }
        context["documentCount"] = dossier.documents.reduce(0) { $0 + $1.copies }
        context["note"] = dossier.note ?? ""
        context["hasNote"] = dossier.note != nil
        context["agencyAddress"] = reference.agency(dossier.agencyCode)?.address ?? ""
        self.context = context
    }

    static func kindName(_ kind: DocumentKind) -> String {
        switch kind {
        case .original: "Bản chính"
        case .copy: "Bản sao"
        case .certifiedCopy: "Bản sao chứng thực"
        }
    }

    /// `09:30 ngày 23/11/2026`: the minute of the API's time (`LocalTime.Reading`, at the millisecond the ledger
    /// stores), so a receipt and an answer never name two minutes for one instant.
    static func vietnameseTime(_ date: Date) -> String {
        let reading = LocalTime.Reading(date)
        return LocalTime.pad(reading.hour) + ":" + LocalTime.pad(reading.minute) + " ngày " + LocalDate.vietnameseForm(reading.day.description)
    }
}
