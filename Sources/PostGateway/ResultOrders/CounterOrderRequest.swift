import Foundation

/// A result order a clerk takes at the counter from a citizen's appointment slip (giấy hẹn), checked field by field.
struct CounterOrderRequest: Sendable, Equatable {
    /// The clerk's key (`Idempotency-Key`), scoped to the office as the ledger keeps it.
    let ledgerKey: String
    /// Keyed hash of the body's canonical JSON: the same key with another body is refused.
    let requestHash: String
    let office: ReferenceData.Office
    /// `MaHoSo`, as printed (or encoded) on the appointment slip.
    let dossierCode: String
    let receiver: ResultOrder.Receiver
    /// Paid at the counter, in đồng; the fees the citizen still owes are collected on delivery.
    let postage: Int64
    /// The channel the receiver agreed to be told by; nil: no messages.
    var notifyBy: NoticeChannel? = nil

    static let fields: Set<String> = [
        "officeCode", "dossierCode", "receiver", "deliveryAddress", "deliveryUnitCode", "postage", "notifications",
    ]

    /// Reads the body; the commune is the one in force on `day`.
    static func parse(
        _ body: JSONValue, idempotencyKey: String?, reference: ReferenceData, pins: TrackingPins, on day: LocalDate
    ) throws(Problem) -> CounterOrderRequest {
        var check = FieldChecker()
        let form = try FieldChecker.form(body)
        check.refuseUnknown(form, allowed: fields, at: "")
        let key = IntakeValidator.checkIdempotencyKey(idempotencyKey, into: &check)
        let office = check.office(form["officeCode"], at: "officeCode", in: reference)
        let dossierCode = check.string(form["dossierCode"], at: "dossierCode", maxLength: 50)
        var name: String?
        var phone: String?
        if let receiver = check.object(form["receiver"], at: "receiver") {
            check.refuseUnknown(receiver, allowed: ["fullName", "phone"], at: "receiver")
            name = check.string(receiver["fullName"], at: "receiver.fullName", maxLength: 100)
            phone = check.mobile(receiver["phone"], at: "receiver.phone")
        }
        let address = check.string(form["deliveryAddress"], at: "deliveryAddress", maxLength: 300)
        let unit = check.unit(form["deliveryUnitCode"], at: "deliveryUnitCode", required: true, on: day, in: reference)
        let postage = form["postage"] == nil ? 0 : check.money(form["postage"], at: "postage")
        let consent: NoticeConsent? = form["notifications"].map { check.choice($0, at: "notifications") } ?? NoticeConsent.none
        guard check.issues.isEmpty, let key, let office, let dossierCode, let name, let phone, let address, let unit, let postage, let consent
        else {
            throw .validation(check.issues)
        }
        return CounterOrderRequest(
            ledgerKey: "\(office.code) \(key)", requestHash: pins.requestHash(body.canonicalBytes), office: office, dossierCode: dossierCode,
            receiver: .init(name: name, phone: phone, address: address, unitCode: unit.code), postage: postage, notifyBy: consent.channel)
    }

    /// Call 6's body for the item number the ledger reserved, frozen so that a retry sends the same bytes.
    func payload(resultNumber: TrackingNumber, at time: Date) -> String {
        JSONValue.object([
            "MaHoSo": .string(dossierCode), "MaBuuGuiKetQua": .string(resultNumber.description), "NguoiNhan": .string(receiver.name),
            "SoDienThoai": .string(receiver.phone), "DiaChiNhanKetQua": .string(receiver.address),
            "MaDonViHanhChinh": .string(receiver.unitCode), "NgayDangKy": .string(LocalTime.compact(time)),
        ]).canonicalText
    }
}
