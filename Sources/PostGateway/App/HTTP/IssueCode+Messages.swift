extension IssueCode {
    /// The message shown to the clerk, with `{0}`, `{1}` … replaced by the issue's arguments.
    func message(_ language: Language, _ arguments: [String]) -> String {
        let templates = self.templates
        var text = language == .vi ? templates.vi : templates.en
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }

    /// Both languages side by side, so that neither can be forgotten.
    private var templates: (vi: String, en: String) {
        switch self {
        case .required: ("Trường này là bắt buộc.", "This field is required.")
        case .wrongType: ("Sai kiểu dữ liệu: cần {0}, nhận được {1}.", "Wrong type: expected {0}, got {1}.")
        case .unknownField: ("Trường này không được hỗ trợ.", "This field is not supported.")
        case .empty: ("Không được để trống.", "Must not be empty.")
        case .tooLong: ("Quá dài: tối đa {0} ký tự.", "Too long: at most {0} characters.")
        case .controlCharacter:
            ("Không được chứa ký tự điều khiển (chỉ nhận xuống dòng và tab).", "Must not hold control characters (only line breaks and tabs).")
        case .joiningCharacter:
            (
                "Không được bắt đầu bằng một dấu đứng riêng (như dấu sắc chưa có chữ cái), hay bắt đầu hoặc kết thúc bằng ký tự ghép vào chữ bên cạnh.",
                "Must not start with a lone combining mark, nor start or end with a character that joins the one beside it."
            )
        case .bidiControl:
            (
                "Không được chứa ký tự điều khiển hướng viết (U+202A–U+202E, U+2066–U+2069).",
                "Must not hold bidirectional control characters (U+202A–U+202E, U+2066–U+2069)."
            )
        case .wrongPassword: ("Mật khẩu hiện tại không đúng.", "The current password is wrong.")
        case .passwordTooShort: ("Mật khẩu mới phải có ít nhất {0} ký tự.", "The new password must have at least {0} characters.")
        case .passwordUnchanged: ("Mật khẩu mới phải khác mật khẩu hiện tại.", "The new password must differ from the current one.")
        case .noteRequiredOffRoute:
            (
                "Bưu gửi không đi qua bưu cục {0}: hãy ghi chú lý do khi quét ngoài tuyến.",
                "The item's route does not pass office {0}: a scan off its route needs a note saying why."
            )
        case .notOneOf: ("Giá trị không hợp lệ: chỉ nhận {0}.", "Invalid value: must be one of {0}.")
        case .outOfRange: ("Phải là số nguyên từ {0} đến {1}.", "Must be a whole number from {0} to {1}.")
        case .invalidIdNumber: ("Số CCCD phải gồm đúng 12 chữ số.", "The citizen ID number must be exactly 12 digits.")
        case .invalidPhone:
            (
                "Số điện thoại di động không hợp lệ (dạng 0912345678 hoặc +84912345678).",
                "Not a Vietnamese mobile number (like 0912345678 or +84912345678)."
            )
        case .invalidEmail: ("Địa chỉ email không hợp lệ.", "Not a valid email address.")
        case .invalidMoney: ("Số tiền phải là số nguyên đồng, không âm.", "Money must be a whole, non-negative number of đồng.")
        case .unknownProcedure: ("Không có thủ tục mã {0} trong danh mục.", "No procedure with code {0} in the catalogue.")
        case .unknownAgency: ("Không có cơ quan mã {0}.", "No agency with code {0}.")
        case .unknownOffice: ("Không có bưu cục mã {0}.", "No post office with code {0}.")
        case .procedureNotPostal:
            (
                "Thủ tục {0} yêu cầu công dân có mặt trực tiếp, không nhận qua bưu chính công ích.",
                "Procedure {0} requires the citizen in person and cannot go through the postal service."
            )
        case .procedureNotAtAgency: ("Thủ tục {0} ({1}) không thuộc thẩm quyền của {2}.", "Procedure {0} ({1}) is not handled by {2}.")
        case .resultNotByPost:
            (
                "Kết quả của thủ tục {0} phải nhận trực tiếp tại cơ quan, không trả qua bưu chính; chọn dịch vụ chỉ gửi hồ sơ.",
                "The result of procedure {0} must be collected in person, not returned by post; choose send-only."
            )
        case .agencyClosed:
            ("{0} không còn tiếp nhận hồ sơ từ ngày {1}: đã hợp nhất vào {2}.", "{0} no longer takes dossiers from {1}: it was merged into {2}.")
        case .agencyNotYetOpen: ("{0} chỉ tiếp nhận hồ sơ từ ngày {1}.", "{0} takes dossiers only from {1}.")
        case .unknownUnit: ("Không có đơn vị hành chính cấp xã mã {0}.", "No commune-level unit with code {0}.")
        case .unitEnded:
            ("{0} (mã {1}) không còn từ ngày {2}: đã hợp nhất vào {3}.", "{0} (code {1}) no longer exists from {2}: it was merged into {3}.")
        case .unitOrProvince:
            (
                "Chọn xã, phường nhận kết quả (trong tỉnh) hoặc tỉnh, thành phố (ngoài tỉnh), không chọn cả hai.",
                "Give the commune of the result address (in the province) or its province (outside it), not both."
            )
        case .unknownProvince: ("Không có tỉnh, thành phố mã {0}.", "No province with code {0}.")
        case .provinceInTheMap: ("Địa chỉ thuộc {0}: hãy chọn xã, phường nhận kết quả.", "The address lies in {0}: give its commune or ward instead.")
        case .resultAddressRequired:
            ("Cần địa chỉ nhận kết quả khi chọn dịch vụ gửi hồ sơ và nhận kết quả.", "A result address is required for the send-and-return service.")
        case .resultAddressNotExpected:
            (
                "Dịch vụ chỉ gửi hồ sơ không chuyển trả kết quả; bỏ địa chỉ nhận kết quả hoặc chọn dịch vụ gửi và nhận.",
                "The send-only service returns no result; drop the result address or choose send-and-return."
            )
        case .tooMany: ("Quá nhiều mục: tối đa {0}.", "Too many entries: at most {0}.")
        case .idempotencyKeyMissing:
            ("Thiếu tiêu đề Idempotency-Key (mỗi lần tiếp nhận một khóa riêng).", "The Idempotency-Key header is required (one key per intake).")
        case .idempotencyKeyInvalid:
            ("Idempotency-Key phải gồm 8–255 ký tự ASCII in được.", "The Idempotency-Key must be 8–255 printable ASCII characters.")
        case .idempotencyKeyReused:
            ("Khóa Idempotency-Key này đã được dùng cho một hồ sơ khác.", "This Idempotency-Key was already used for a different dossier.")
        case .invalidTrackingNumber:
            ("Số hiệu bưu gửi không đúng dạng S10 (ví dụ PH000000155VN).", "Not an S10 tracking number (like PH000000155VN).")
        case .badCheckDigit:
            (
                "Số hiệu bưu gửi sai số kiểm tra (số kiểm tra đúng là {0}); hãy kiểm tra lại mã đã nhập.",
                "The tracking number's check digit is wrong (it should be {0}); check what was typed."
            )
        case .invalidTime:
            (
                "Thời điểm phải theo ISO 8601 có múi giờ (ví dụ 2026-11-23T09:30:00+07:00).",
                "The time must be ISO 8601 with an offset (like 2026-11-23T09:30:00+07:00)."
            )
        case .timeInFuture: ("Thời điểm quét không được ở tương lai.", "A scan cannot happen in the future.")
        case .notPrintableASCII: ("Phải là chuỗi ASCII in được, tối đa {0} ký tự.", "Must be printable ASCII, at most {0} characters.")
        case .invalidUnixTime: ("Phải là thời điểm Unix tính bằng giây, từ 1 đến 12 chữ số.", "Must be Unix time in seconds, 1 to 12 digits.")
        case .timeBeforeLastEvent:
            ("Thời điểm quét không được trước lần ghi nhận gần nhất của bưu gửi ({0}).", "A scan cannot happen before the item's last event ({0}).")
        case .itemUnknown: ("Không có bưu gửi {0}.", "No item {0}.")
        case .notADossierItem:
            ("{0} là bưu gửi kết quả, không phải hồ sơ gửi đến cơ quan.", "{0} is a result item, not a dossier on its way to the desk.")
        case .itemNotArrived: ("{0} chưa ở trạng thái đã đến (hiện: {1}).", "{0} has not arrived (it is {1}).")
        case .unknownDossierCode:
            (
                "Hệ thống một cửa không có hồ sơ mã {0}: hãy xem lại mã trên giấy hẹn.",
                "The one-stop has no dossier {0}: check the code on the appointment slip."
            )
        case .notAResultItem:
            ("{0} là bưu gửi hồ sơ, không phải kết quả nhận tại cơ quan.", "{0} is a dossier item, not a result collected at the desk.")
        case .resultNotWaitingAtDesk:
            (
                "Kết quả {0} không còn chờ nhận tại cơ quan (hiện: {1}, hoặc hồ sơ chưa có kết quả).",
                "Result {0} is not waiting at the desk (it is {1}, or the dossier has no result yet)."
            )
        case .itemOfOtherAgency: ("{0} gửi đến cơ quan {1}, không phải cơ quan của biên bản.", "{0} goes to agency {1}, not this manifest's.")
        case .itemAtOtherOffice: ("{0} đang ở bưu cục {1}, không phải bưu cục của biên bản.", "{0} is at office {1}, not this manifest's.")
        case .itemOnOpenManifest: ("{0} đã có trong biên bản {1} chưa ký.", "{0} is already on open manifest {1}.")
        case .duplicateItem: ("{0} bị liệt kê hai lần.", "{0} is listed twice.")
        case .identityCheckRequired:
            (
                "Phải kiểm tra giấy tờ tùy thân của người nhận trước khi phát (identityChecked: true).",
                "The recipient's identity document must be checked before delivery (identityChecked: true)."
            )
        case .notAwaitingSupplement: ("Hồ sơ {0} không ở trạng thái cơ quan yêu cầu bổ sung.", "Dossier {0} is not waiting for a supplement.")
        case .supplementMismatch:
            (
                "Hồ sơ bổ sung phải cùng thủ tục và cùng cơ quan với hồ sơ {0}.",
                "A supplement must be for the same procedure and agency as dossier {0}."
            )
        case .personalDataInNote: ("Ghi chú không được chứa số giấy tờ hay số điện thoại.", "A note must not hold an ID or phone number.")
        case .invalidCompactDate: ("Ngày phải có dạng yyyyMMdd.", "Dates must look like yyyyMMdd.")
        case .invalidCompactTime: ("Thời điểm phải có dạng yyyyMMddHHmmss (giờ Việt Nam).", "Times must look like yyyyMMddHHmmss (Vietnam time).")
        case .invalidDate: ("Ngày phải có dạng YYYY-MM-DD.", "Dates must look like YYYY-MM-DD.")
        case .invalidRange: ("Ngày bắt đầu phải không sau ngày kết thúc.", "The start date must not be after the end date.")
        case .compensationWithoutFault:
            ("Chỉ bồi thường khi bưu điện có lỗi (upheld = true).", "Compensation is paid only when the post was at fault (upheld = true).")
        case .complaintTooLate:
            (
                "Đã hết thời hạn khiếu nại: 6 tháng sau hạn J + n ({0}), tức đến hết ngày {1}.",
                "Too late to complain: the limit is 6 months after the J + n day ({0}), that is until {1}."
            )
        case .invalidPeriod:
            (
                "Kỳ báo cáo phải có dạng 2026-Q1 … 2026-Q4 (quý), 2026-H1 (6 tháng đầu năm) hoặc 2026 (năm).",
                "The period must be 2026-Q1 … 2026-Q4 (a quarter), 2026-H1 (the first half-year) or 2026 (a year)."
            )
        case .invalidCursor:
            ("Con trỏ trang không hợp lệ; hãy dùng nextCursor của trang trước.", "Invalid page cursor; use the previous page's nextCursor.")
        case .feeDiffersFromCatalogue:
            (
                "Lệ phí thu hộ {0} đồng khác mức trong danh mục ({1} đồng).",
                "The administrative fee of {0} đồng differs from the catalogue's ({1} đồng)."
            )
        }
    }
}
