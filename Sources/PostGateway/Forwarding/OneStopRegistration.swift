import Foundation

/// The body of `POST /lgsp/bcci/hoso` (ONESTOP_API.md §1), built once at intake and frozen in the outbox
/// so that every retry sends an identical payload (the one-stop answers 409 to a different one).
struct OneStopRegistration: Codable, Sendable, Equatable {
    struct Document: Codable, Sendable, Equatable {
        let TenGiayTo: String
        let SoLuong: Int
        let LoaiBan: Int
    }

    let MaBuuGui: String
    let MaTTHC: String
    let MaCoQuan: String
    let KenhThucHien: Int
    let LoaiDichVu: Int
    let ChuHoSo: String
    let SoGiayTo: String
    let SoDienThoai: String
    let Email: String
    let DiaChi: String
    let HinhThucTraKetQua: Int
    let DiaChiNhanKetQua: String
    let DanhSachGiayTo: [Document]
    let LePhi: Int64
    let NgayGui: String

    /// Channel 3 is the public postal service in the national portal's codes.
    static let postalChannel = 3

    /// `sealedIdNumber`: the ID number as the ledger keeps it; the forwarder opens it when it sends.
    init(_ submission: IntakeSubmission, trackingNumber: TrackingNumber, sealedIdNumber: String) {
        MaBuuGui = trackingNumber.description
        MaTTHC = submission.procedure.code
        MaCoQuan = submission.agency.code
        KenhThucHien = Self.postalChannel
        LoaiDichVu = submission.service.oneStopCode
        ChuHoSo = submission.applicant.fullName
        SoGiayTo = sealedIdNumber
        SoDienThoai = submission.applicant.phone
        Email = submission.applicant.email ?? ""
        DiaChi = submission.applicant.address
        HinhThucTraKetQua = submission.service.resultByPost ? 1 : 0
        DiaChiNhanKetQua = submission.resultAddress ?? ""
        DanhSachGiayTo = submission.documents.map { .init(TenGiayTo: $0.name, SoLuong: $0.copies, LoaiBan: $0.kind.oneStopCode) }
        LePhi = submission.administrativeFee
        NgayGui = LocalTime.compact(submission.acceptedAt)
    }

    /// The frozen payload: JSON with its keys in sorted order.
    func payloadText() throws -> String {
        String(decoding: try JSONEncoder.sortedKeys().encode(self), as: UTF8.self)
    }
}
