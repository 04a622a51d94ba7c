import Foundation

extension ResultOrder {
    /// Reads a `ketqua.dathang` body, naming every bad field at once. The desk and the commune are those in force on
    /// `day`: an order for a closed desk or an abolished commune would send a courier where no one is.
    static func parse(_ form: [String: JSONValue], reference: ReferenceData, on day: LocalDate) throws(Problem) -> ResultOrder {
        var check = FieldChecker()
        let dossierCode = check.string(form["MaHoSo"], at: "MaHoSo", maxLength: 50)
        let procedureCode = check.string(form["MaTTHC"], at: "MaTTHC", maxLength: 50)
        let agency = check.agency(form["MaCoQuan"], at: "MaCoQuan", on: day, in: reference)
        let channel = check.integer(form["KenhNop"], at: "KenhNop", in: 1...2).flatMap(OrderChannel.init(kenhNop:))
        let status = check.integer(form["TrangThaiHoSo"], at: "TrangThaiHoSo", in: 1...10).flatMap { OneStopStatus(rawValue: Int($0)) }
        let appointment = check.string(form["NgayHenTra"], at: "NgayHenTra", required: false, maxLength: 8).flatMap { text in
            LocalDate(compact: text)
                ?? {
                    check.report(FieldIssue("NgayHenTra", .invalidCompactDate))
                    return nil
                }()
        }
        let occurredAt = check.string(form["ThoiDiem"], at: "ThoiDiem", maxLength: 14).flatMap { text in
            LocalTime.instant(compact: text)
                ?? {
                    check.report(FieldIssue("ThoiDiem", .invalidCompactTime))
                    return nil
                }()
        }
        let name = check.string(form["NguoiNhan"], at: "NguoiNhan", maxLength: 100)
        let phone = check.mobile(form["SoDienThoai"], at: "SoDienThoai")
        let address = check.string(form["DiaChiNhanKetQua"], at: "DiaChiNhanKetQua", maxLength: 300)
        let unit = check.unit(form["MaDonViHanhChinh"], at: "MaDonViHanhChinh", required: true, on: day, in: reference)
        // An order for a dossier rejected, withdrawn, stopped or returned has no result to carry.
        if let status, [.rejected, .withdrawn, .stopped, .resultReturned].contains(status) {
            check.report(FieldIssue("TrangThaiHoSo", .notOneOf, "1, 2, 4, 5, 6, 9"))
        }
        var result: OneStopEvent.Result?
        switch form["KetQua"] {
        case nil, .null?:
            if status == .resultReady { check.report(FieldIssue("KetQua", .required)) }
        case .object(let fields)?:
            let count = check.integer(fields["SoLuongGiayTo"], at: "KetQua.SoLuongGiayTo", in: 0...10_000)
            let cash = check.money(fields["TienThuKhiPhat"], at: "KetQua.TienThuKhiPhat")
            // Whether the postage is paid changes nothing here: TienThuKhiPhat already holds it when it is not.
            _ = check.bool(fields["CuocDaThanhToan"], at: "KetQua.CuocDaThanhToan", default: false)
            if let count, let cash { result = .init(documentCount: Int(count), cashOnDelivery: cash) }
        case let other?:
            check.report(FieldIssue("KetQua", .wrongType, "object", other.kind))
        }
        guard check.issues.isEmpty, let dossierCode, let procedureCode, let agency, let channel, let status, let occurredAt, let name,
            let phone, let address, let unit
        else { throw .validation(check.issues) }
        return ResultOrder(
            dossierCode: dossierCode, procedureCode: procedureCode, agencyCode: agency.code, channel: channel, status: status,
            appointmentDate: appointment, occurredAt: occurredAt,
            receiver: Receiver(name: name, phone: phone, address: address, unitCode: unit.code), result: result)
    }
}
