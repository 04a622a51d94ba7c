import Foundation

extension OneStopEvent {
    /// What a verified callback body turned out to be.
    enum Parsed: Sendable, Equatable {
        case event(OneStopEvent)
        /// A result-only order, or a change to one (contract v2, call 5).
        case order(ResultOrder)
        /// A `Loai` this gateway does not know: acknowledged and kept, never applied (Standard Webhooks asks
        /// receivers to ignore event types they do not handle).
        case unsupportedType(String)
    }

    /// Reads a callback body, naming every bad field at once. Fields the contract does not define are ignored,
    /// so a one-stop that adds one does not stop its callbacks.
    /// An order is read against the desks and communes in force on `day`.
    static func parse(_ body: JSONValue, reference: ReferenceData, on day: LocalDate) throws(Problem) -> Parsed {
        var check = FieldChecker()
        let form = try FieldChecker.form(body)
        // Without a `Loai`, the body is read as a status change, so that its other bad fields are named too.
        let type = check.string(form["Loai"], at: "Loai", maxLength: 64)
        if type == ResultOrder.type { return .order(try ResultOrder.parse(form, reference: reference, on: day)) }
        if let type, type != statusType { return .unsupportedType(type) }

        // A dossier the post never carried has no MaBuuGui: its MaHoSo names it.
        let namesDossierCode = form["MaHoSo"].map { $0 != .null } ?? false
        let trackingNumber = check.string(form["MaBuuGui"], at: "MaBuuGui", required: !namesDossierCode, maxLength: 13)
            .flatMap { check.trackingNumber($0, at: "MaBuuGui") }
        let status = check.integer(form["TrangThaiHoSo"], at: "TrangThaiHoSo", in: 1...10).flatMap { OneStopStatus(rawValue: Int($0)) }
        let occurredAt = check.string(form["ThoiDiem"], at: "ThoiDiem", maxLength: 14).flatMap { text in
            LocalTime.instant(compact: text)
                ?? {
                    check.report(FieldIssue("ThoiDiem", .invalidCompactTime))
                    return nil
                }()
        }
        let namesItem = form["MaBuuGui"].map { $0 != .null } ?? false
        let dossierCode = check.string(form["MaHoSo"], at: "MaHoSo", required: status == .received || !namesItem, maxLength: 50)
        let appointment = check.string(form["NgayHenTra"], at: "NgayHenTra", required: status == .received, maxLength: 8).flatMap { text in
            LocalDate(compact: text)
                ?? {
                    check.report(FieldIssue("NgayHenTra", .invalidCompactDate))
                    return nil
                }()
        }
        let content = check.string(form["NoiDung"], at: "NoiDung", required: false, maxLength: 2000)
        var result: Result?
        switch form["KetQua"] {
        case nil, .null?:
            // Status 9 brings the result, and with it the cash to collect on delivery: acknowledging it without would
            // create a result item that collects nothing. Refused, so the one-stop sends it again, whole.
            if status == .resultReady { check.report(FieldIssue("KetQua", .required)) }
        case .object(let fields)?:
            let count = check.integer(fields["SoLuongGiayTo"], at: "KetQua.SoLuongGiayTo", in: 0...10_000)
            let cash = check.money(fields["TienThuKhiPhat"], at: "KetQua.TienThuKhiPhat")
            if let count, let cash { result = Result(documentCount: Int(count), cashOnDelivery: cash) }
        case let other?:
            check.report(FieldIssue("KetQua", .wrongType, "object", other.kind))
        }
        guard check.issues.isEmpty, type != nil, trackingNumber != nil || dossierCode != nil, let status, let occurredAt else {
            throw .validation(check.issues)
        }
        return .event(
            OneStopEvent(
                trackingNumber: trackingNumber, status: status, occurredAt: occurredAt, dossierCode: dossierCode,
                appointmentDate: appointment, content: content, result: result))
    }

    /// The standard mã hồ sơ: agency code, `YYMMDD`, a daily sequence (`000.00.12.H55-261121-0001`). Others are
    /// accepted (DESIGN §2) but worth a warning in the log.
    static func isStandardDossierCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty else { return false }
        return parts[1].count == 6 && parts[1].isASCIIDigits && !parts[2].isEmpty && parts[2].isASCIIDigits
    }
}
