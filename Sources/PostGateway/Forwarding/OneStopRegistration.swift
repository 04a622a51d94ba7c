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
    init(_ submission: IntakeSubmission, trackingNumber: TrackingNumber?, sealedIdNumber: String) {
        MaBuuGui = trackingNumber?.description ?? ""
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

    /// The frozen payload: canonical JSON text (sorted keys), written without JSONEncoder, which showed in
    /// intake profiles.
    func json() -> String {
        JSONValue.object([
            "MaBuuGui": .string(MaBuuGui), "MaTTHC": .string(MaTTHC), "MaCoQuan": .string(MaCoQuan),
            "KenhThucHien": .integer(Int64(KenhThucHien)), "LoaiDichVu": .integer(Int64(LoaiDichVu)), "ChuHoSo": .string(ChuHoSo),
            "SoGiayTo": .string(SoGiayTo), "SoDienThoai": .string(SoDienThoai), "Email": .string(Email), "DiaChi": .string(DiaChi),
            "HinhThucTraKetQua": .integer(Int64(HinhThucTraKetQua)), "DiaChiNhanKetQua": .string(DiaChiNhanKetQua),
            "DanhSachGiayTo": .array(DanhSachGiayTo.map { document in
                .object(["TenGiayTo": .string(document.TenGiayTo), "SoLuong": .integer(Int64(document.SoLuong)),
                         "LoaiBan": .integer(Int64(document.LoaiBan))])
            }),
            "LePhi": .integer(LePhi), "NgayGui": .string(NgayGui),
        ]).canonicalText
    }

    /// A registration's payload with everything but its tracking number, rendered before the number is known: on the
    /// request's own thread, not in the single writer, which only puts the number in (the JSON of one registration was
    /// a few per cent of the writer's time). The text is exactly `json()`'s once the number is in.
    struct Template: Sendable {
        private let head: String
        private let tail: String

        init(_ submission: IntakeSubmission) {
            // Written straight into bytes, cut where the number goes: building a `JSONValue` and searching its text for
            // the number's place cost more than the rest of validating an intake.
            var writer = JSONWriter(capacity: 1024)
            var numberAt = 0
            OneStopRegistration(submission, trackingNumber: nil, sealedIdNumber: submission.sealedIdNumber)
                .write(into: &writer, numberAt: &numberAt)
            head = String(decoding: writer.bytes[..<numberAt], as: UTF8.self)
            tail = String(decoding: writer.bytes[numberAt...], as: UTF8.self)
        }

        /// A tracking number is capital letters and digits: nothing in it needs escaping.
        func json(trackingNumber: TrackingNumber) -> String { head + trackingNumber.description + tail }
    }

    /// The members in sorted order, which is `json()`'s text; `numberAt` is where MaBuuGui's text starts, inside its quotes.
    private func write(into writer: inout JSONWriter, numberAt: inout Int) {
        writer.object { writer in
            writer.key("ChuHoSo"); writer.string(ChuHoSo)
            writer.key("DanhSachGiayTo")
            writer.array(DanhSachGiayTo) { writer, document in
                writer.object { writer in
                    writer.key("LoaiBan"); writer.integer(document.LoaiBan)
                    writer.key("SoLuong"); writer.integer(document.SoLuong)
                    writer.key("TenGiayTo"); writer.string(document.TenGiayTo)
                }
            }
            writer.key("DiaChi"); writer.string(DiaChi)
            writer.key("DiaChiNhanKetQua"); writer.string(DiaChiNhanKetQua)
            writer.key("Email"); writer.string(Email)
            writer.key("HinhThucTraKetQua"); writer.integer(HinhThucTraKetQua)
            writer.key("KenhThucHien"); writer.integer(KenhThucHien)
            writer.key("LePhi"); writer.integer(Int(LePhi))
            writer.key("LoaiDichVu"); writer.integer(LoaiDichVu)
            writer.key("MaBuuGui"); numberAt = writer.bytes.count + 1; writer.string(MaBuuGui)
            writer.key("MaCoQuan"); writer.string(MaCoQuan)
            writer.key("MaTTHC"); writer.string(MaTTHC)
            writer.key("NgayGui"); writer.string(NgayGui)
            writer.key("SoDienThoai"); writer.string(SoDienThoai)
            writer.key("SoGiayTo"); writer.string(SoGiayTo)
        }
    }
}
