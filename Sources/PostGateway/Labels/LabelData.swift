import Foundation

/// What a label, a receipt or a manifest can show, as named fields for the templates in `labels/`.
///
/// The names are a fixed list so that a template referring to an unknown one stops the start (see
/// `LabelTemplates`) instead of printing a blank where a province expected a value.
struct LabelData {
    static let fieldNames: Set<String> = Set([
        "trackingNumber", "trackingURL", "kindTitle", "serviceName",
        "senderName", "senderAddress", "recipientName", "recipientAddress",
        "procedureCode", "procedureName", "oneStopCode",
        "feeCollected", "cashOnDelivery", "postage", "totalCollected", "dueDate",
        "officeCode", "officeName", "officeAddress", "agencyName", "acceptedDate",
    ]).union(svgGraphicNames).union(zplGraphicNames)
    static let svgGraphicNames: Set<String> = ["qrSVG", "qrSVGSide", "barcodeSVG", "barcodeSVGWidth"]
    static let zplGraphicNames: Set<String> = ["qrZPL"]

    /// The text fields; graphics are drawn only for the format asked for.
    let fields: [String: String]
    let qr: QRCode
    let barcode: Code128

    /// - Parameter trackingNumber: the item to label, the dossier's own or its result's.
    init(detail: DossierDetail, trackingNumber: TrackingNumber, reference: ReferenceData, publicBaseURL: String) throws {
        let dossier = detail.dossier
        let number = trackingNumber.description
        let item = detail.items.first { $0.trackingNumber == number } ?? detail.items[0]
        let agency = reference.agency(dossier.agencyCode)
        let office = reference.office(item.officeCode) ?? reference.office(dossier.officeCode)
        let agencyName = agency?.name ?? dossier.agencyCode
        let url = "\(publicBaseURL)/t/\(number)"
        qr = try QRCode(url, errorCorrection: .medium)
        barcode = try Code128(number)
        let isResult = item.kind == .result
        fields = [
            "trackingNumber": number,
            "trackingURL": url,
            "kindTitle": isResult ? "KẾT QUẢ TTHC" : "HỒ SƠ TTHC",
            "serviceName": Self.serviceName(dossier.service),
            // A dossier goes from the citizen to the desk; a result from the desk back to the citizen.
            "senderName": isResult ? agencyName : dossier.applicantName,
            "senderAddress": isResult ? (agency?.address ?? "") : dossier.applicantAddress,
            "recipientName": isResult ? dossier.applicantName : agencyName,
            "recipientAddress": isResult ? (dossier.resultAddress ?? dossier.applicantAddress) : (agency?.address ?? ""),
            "procedureCode": dossier.procedureCode,
            "procedureName": dossier.procedureName,
            "oneStopCode": dossier.oneStopCode ?? "(chưa có)",
            "feeCollected": Money.formatted(isResult ? 0 : dossier.administrativeFee),
            "cashOnDelivery": Money.formatted(item.cashOnDelivery),
            "postage": Money.formatted(dossier.postage),
            "totalCollected": Money.formatted(dossier.postage + dossier.administrativeFee),
            "dueDate": LocalDate.vietnameseForm(item.dueDate ?? dossier.dueDate),
            "officeCode": office?.code ?? item.officeCode,
            "officeName": office?.name ?? "",
            "officeAddress": office?.address ?? "",
            "agencyName": agencyName,
            "acceptedDate": LocalDate.vietnameseForm(LocalDate(dossier.acceptedAt).description),
        ]
    }

    /// The SVG drawings alone.
    var svgGraphics: [String: String] {
        [
            "qrSVG": LabelGraphics.svg(qr), "qrSVGSide": String(LabelGraphics.svgSide(qr)),
            "barcodeSVG": LabelGraphics.svg(barcode, height: 50), "barcodeSVGWidth": String(LabelGraphics.svgWidth(barcode)),
        ]
    }

    /// Text and the SVG drawings, for the receipt.
    var svgFields: [String: String] { fields.merging(svgGraphics) { _, drawing in drawing } }

    /// Text (escaped for ZPL as the template asks) and the QR graphic command.
    var zplFields: [String: String] {
        var fields = fields
        fields["qrZPL"] = LabelGraphics.zpl(qr, dotsPerModule: 5)
        return fields
    }
}

extension LabelData {
    static func serviceName(_ service: ServiceType) -> String {
        switch service {
        case .sendOnly: "Gửi hồ sơ"
        case .sendAndReturn: "Gửi hồ sơ và nhận kết quả"
        case .resultOnly: "Nhận kết quả"
        }
    }
}
