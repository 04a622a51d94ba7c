extension IssueCode {
    /// The message shown to the clerk, with `{0}`, `{1}` … replaced by the issue's arguments.
    func message(_ language: Language, _ arguments: [String]) -> String {
        var text = template(language)
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }

    private func template(_ language: Language) -> String {
        switch (self, language) {
        case (.required, .vi): "Trường này là bắt buộc."
        case (.required, .en): "This field is required."
        case (.wrongType, .vi): "Sai kiểu dữ liệu: cần {0}, nhận được {1}."
        case (.wrongType, .en): "Wrong type: expected {0}, got {1}."
        case (.unknownField, .vi): "Trường này không được hỗ trợ."
        case (.unknownField, .en): "This field is not supported."
        case (.empty, .vi): "Không được để trống."
        case (.empty, .en): "Must not be empty."
        case (.tooLong, .vi): "Quá dài: tối đa {0} ký tự."
        case (.tooLong, .en): "Too long: at most {0} characters."
        case (.notOneOf, .vi): "Giá trị không hợp lệ: chỉ nhận {0}."
        case (.notOneOf, .en): "Invalid value: must be one of {0}."
        case (.outOfRange, .vi): "Phải là số nguyên từ {0} đến {1}."
        case (.outOfRange, .en): "Must be a whole number from {0} to {1}."
        case (.invalidIdNumber, .vi): "Số CCCD phải gồm đúng 12 chữ số."
        case (.invalidIdNumber, .en): "The citizen ID number must be exactly 12 digits."
        case (.invalidPhone, .vi): "Số điện thoại di động không hợp lệ (dạng 0912345678 hoặc +84912345678)."
        case (.invalidPhone, .en): "Not a Vietnamese mobile number (like 0912345678 or +84912345678)."
        case (.invalidEmail, .vi): "Địa chỉ email không hợp lệ."
        case (.invalidEmail, .en): "Not a valid email address."
        case (.invalidMoney, .vi): "Số tiền phải là số nguyên đồng, không âm."
        case (.invalidMoney, .en): "Money must be a whole, non-negative number of đồng."
        case (.unknownProcedure, .vi): "Không có thủ tục mã {0} trong danh mục."
        case (.unknownProcedure, .en): "No procedure with code {0} in the catalogue."
        case (.unknownAgency, .vi): "Không có cơ quan mã {0}."
        case (.unknownAgency, .en): "No agency with code {0}."
        case (.unknownOffice, .vi): "Không có bưu cục mã {0}."
        case (.unknownOffice, .en): "No post office with code {0}."
        case (.procedureNotPostal, .vi): "Thủ tục {0} yêu cầu công dân có mặt trực tiếp, không nhận qua bưu chính công ích."
        case (.procedureNotPostal, .en): "Procedure {0} requires the citizen in person and cannot go through the postal service."
        case (.procedureNotAtAgency, .vi): "Thủ tục {0} (cấp {1}) không thuộc thẩm quyền của {2}."
        case (.procedureNotAtAgency, .en): "Procedure {0} ({1} level) is not handled by {2}."
        case (.resultAddressRequired, .vi): "Cần địa chỉ nhận kết quả khi chọn dịch vụ gửi hồ sơ và nhận kết quả."
        case (.resultAddressRequired, .en): "A result address is required for the send-and-return service."
        case (.resultAddressNotExpected, .vi): "Dịch vụ chỉ gửi hồ sơ không chuyển trả kết quả; bỏ địa chỉ nhận kết quả hoặc chọn dịch vụ gửi và nhận."
        case (.resultAddressNotExpected, .en): "The send-only service returns no result; drop the result address or choose send-and-return."
        case (.tooMany, .vi): "Quá nhiều mục: tối đa {0}."
        case (.tooMany, .en): "Too many entries: at most {0}."
        case (.idempotencyKeyMissing, .vi): "Thiếu tiêu đề Idempotency-Key (mỗi lần tiếp nhận một khóa riêng)."
        case (.idempotencyKeyMissing, .en): "The Idempotency-Key header is required (one key per intake)."
        case (.idempotencyKeyInvalid, .vi): "Idempotency-Key phải gồm 8–255 ký tự ASCII in được."
        case (.idempotencyKeyInvalid, .en): "The Idempotency-Key must be 8–255 printable ASCII characters."
        case (.idempotencyKeyReused, .vi): "Khóa Idempotency-Key này đã được dùng cho một hồ sơ khác."
        case (.idempotencyKeyReused, .en): "This Idempotency-Key was already used for a different dossier."
        case (.invalidTrackingNumber, .vi): "Số hiệu bưu gửi không đúng dạng S10 (ví dụ PH000000155VN)."
        case (.invalidTrackingNumber, .en): "Not an S10 tracking number (like PH000000155VN)."
        case (.badCheckDigit, .vi): "Số hiệu bưu gửi sai số kiểm tra (số kiểm tra đúng là {0}); hãy kiểm tra lại mã đã nhập."
        case (.badCheckDigit, .en): "The tracking number's check digit is wrong (it should be {0}); check what was typed."
        case (.invalidDate, .vi): "Ngày phải có dạng YYYY-MM-DD."
        case (.invalidDate, .en): "Dates must look like YYYY-MM-DD."
        case (.invalidRange, .vi): "Ngày bắt đầu phải không sau ngày kết thúc."
        case (.invalidRange, .en): "The start date must not be after the end date."
        case (.invalidCursor, .vi): "Con trỏ trang không hợp lệ; hãy dùng nextCursor của trang trước."
        case (.invalidCursor, .en): "Invalid page cursor; use the previous page's nextCursor."
        case (.feeDiffersFromCatalogue, .vi): "Lệ phí thu hộ {0} đồng khác mức trong danh mục ({1} đồng)."
        case (.feeDiffersFromCatalogue, .en): "The administrative fee of {0} đồng differs from the catalogue's ({1} đồng)."
        }
    }
}
