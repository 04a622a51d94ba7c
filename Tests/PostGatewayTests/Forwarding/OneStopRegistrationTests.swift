import Crypto
import Foundation
import Testing

@testable import PostGateway

@Suite struct OneStopRegistrationTests {
    /// A submission as the validator makes it, with the applicant's address and the note as given.
    func submission(address: String, changes: (inout [String: Any]) -> Void = { _ in }) throws -> IntakeSubmission {
        let pins = TrackingPins(key: SymmetricKey(size: .bits256))
        let validator = IntakeValidator(
            reference: TestSupport.reference,
            pins: pins, idNumbers: .ephemeral())
        let body = TestSupport.intake { form in
            var applicant = form["applicant"] as! [String: Any]
            applicant["address"] = address
            form["applicant"] = applicant
            form["resultAddress"] = address
            changes(&form)
        }
        return try validator.validate(
            try JSONValue(parsing: Data(buffer: TestSupport.json(body))), idempotencyKey: "registration-key",
            acceptedAt: TestSupport.mondayMorning, acceptedBy: "test")
    }

    @Test(arguments: ["Số 12, tổ 5, phường Tân Thịnh", #"Ngõ "MaBuuGui":"" số 3, \ tổ 7"#, "Xóm Đồng\u{301} Bẩm"])
    func thePayloadDecodesToTheRegistrationWithItsTrackingNumberAndTheAddressAsTyped(address: String) throws {
        let submission = try submission(address: address)
        let number = TrackingNumber(prefix: "PH", serial: 123_456)
        let registration = OneStopRegistration(submission, trackingNumber: number, sealedIdNumber: submission.sealedIdNumber)
        let payload = try registration.payloadText()
        let decoded = try JSONDecoder().decode(OneStopRegistration.self, from: Data(payload.utf8))
        #expect(decoded == registration)
        #expect(decoded.MaBuuGui == number.description)
        #expect(decoded.DiaChi == address)
        // Keys in sorted order: the same registration is always the same bytes.
        #expect(try JSONValue(parsing: Data(payload.utf8)).canonicalText == payload)
    }

    @Test func thePayloadKeepsEveryDocumentAndTheSendOnlyService() throws {
        let submission = try submission(address: "Số 1") { form in
            form["service"] = "sendOnly"
            form["resultAddress"] = nil
            form["resultAddressUnitCode"] = nil
            form["documents"] = [
                ["name": #"Tờ khai "mẫu 01" \ bản chính"#, "copies": 2, "kind": "certifiedCopy"],
                ["name": "Ảnh 4x6", "copies": 3, "kind": "copy"], ["name": "Giấy ủy quyền", "copies": 1, "kind": "original"],
            ]
        }
        let number = TrackingNumber(prefix: "PH", serial: 99_999_999)
        let payload = try OneStopRegistration(submission, trackingNumber: number, sealedIdNumber: submission.sealedIdNumber).payloadText()
        let decoded = try JSONDecoder().decode(OneStopRegistration.self, from: Data(payload.utf8))
        #expect(decoded.DanhSachGiayTo.map(\.SoLuong) == [2, 3, 1])
        #expect(decoded.DanhSachGiayTo.map(\.TenGiayTo) == [#"Tờ khai "mẫu 01" \ bản chính"#, "Ảnh 4x6", "Giấy ủy quyền"])
        #expect(decoded.DiaChiNhanKetQua == "" && decoded.HinhThucTraKetQua == 0)
    }
}
