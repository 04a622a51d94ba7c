import Foundation

/// The receipt of a result order taken at the counter (labels/order-receipt.html.mustache): the item number, its QR
/// and the tracking PIN, the dossier the appointment slip names, where the result goes, and what is paid now and what
/// on delivery.
struct OrderReceiptData {
    static let fieldNames: Set<String> = LabelData.fieldNames.union([
        "pin", "acceptedAt", "appointmentDate", "hasAppointmentDate", "receiverName", "receiverPhone", "deliveryAddress", "agencyAddress",
    ])

    let context: [String: Any]

    init(detail: DossierDetail, reference: ReferenceData, publicBaseURL: String, pins: TrackingPins) throws {
        let dossier = detail.dossier
        let number = try TrackingNumber(parsing: detail.items[0].trackingNumber)
        let label = try LabelData(detail: detail, trackingNumber: number, reference: reference, publicBaseURL: publicBaseURL)
        var context: [String: Any] = label.svgFields
        context["pin"] = pins.pin(for: number)
        context["acceptedAt"] = ReceiptData.vietnameseTime(dossier.acceptedAt)
        context["appointmentDate"] = dossier.appointmentDate.map(LocalDate.vietnameseForm) ?? ""
        context["hasAppointmentDate"] = dossier.appointmentDate != nil
        context["receiverName"] = dossier.applicantName
        context["receiverPhone"] = dossier.applicantPhone
        context["deliveryAddress"] = dossier.resultAddress ?? dossier.applicantAddress
        context["agencyAddress"] = reference.agency(dossier.agencyCode)?.address ?? ""
        // Where the order was taken, not the office that will collect the result (the label's office).
        if let office = reference.office(dossier.officeCode) {
            context["officeCode"] = office.code
            context["officeName"] = office.name
            context["officeAddress"] = office.address
        }
        self.context = context
    }
}
