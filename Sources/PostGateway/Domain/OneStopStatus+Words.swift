/// The national portal's dossier statuses (DESIGN §3), in the words a citizen reads.
extension OneStopStatus {
    func words(_ language: Language) -> String {
        switch (self, language) {
        case (.registered, .vi): "Chờ tiếp nhận"
        case (.registered, .en): "Awaiting intake"
        case (.received, .vi): "Cơ quan đã tiếp nhận hồ sơ"
        case (.received, .en): "Received by the agency"
        case (.rejected, .vi): "Hồ sơ bị từ chối tiếp nhận"
        case (.rejected, .en): "Rejected by the agency"
        case (.processing, .vi): "Đang giải quyết"
        case (.processing, .en): "Being processed"
        case (.supplementRequested, .vi): "Cơ quan yêu cầu bổ sung hồ sơ"
        case (.supplementRequested, .en): "The agency asks for more documents"
        case (.financialObligation, .vi): "Chờ thực hiện nghĩa vụ tài chính"
        case (.financialObligation, .en): "Awaiting payment of fees"
        case (.withdrawn, .vi): "Công dân đã rút hồ sơ"
        case (.withdrawn, .en): "Withdrawn"
        case (.stopped, .vi): "Dừng xử lý"
        case (.stopped, .en): "Processing stopped"
        case (.resultReady, .vi): "Đã có kết quả"
        case (.resultReady, .en): "Result ready"
        case (.resultReturned, .vi): "Đã trả kết quả"
        case (.resultReturned, .en): "Result returned"
        }
    }

    /// What a citizen should do next when the status asks something of them (rejected, supplement, fees, stopped,
    /// result ready), in plain words; nil when there is nothing to do but wait.
    func guidance(resultByPost: Bool, _ language: Language) -> String? {
        switch (self, language) {
        case (.rejected, .vi):
            "Cơ quan không tiếp nhận hồ sơ này. Lý do ghi trong thông báo của cơ quan; hồ sơ sẽ được trả lại. Bạn có thể nộp lại hồ sơ đã sửa tại bưu cục."
        case (.rejected, .en):
            "The agency did not accept this dossier. Its notice gives the reason; the dossier will be returned. You may hand in a corrected dossier at a post office."
        case (.supplementRequested, .vi):
            "Cơ quan cần thêm giấy tờ. Mang giấy tờ bổ sung và phiếu gửi này đến bưu cục gần nhất: bưu điện sẽ gửi bổ sung kèm theo hồ sơ này."
        case (.supplementRequested, .en):
            "The agency needs more documents. Bring them with this receipt to any post office: the post sends them on as a supplement to this dossier."
        case (.financialObligation, .vi): "Cơ quan yêu cầu nộp phí, lệ phí hoặc nghĩa vụ tài chính trước khi giải quyết tiếp."
        case (.financialObligation, .en): "The agency asks for fees or other payments before it goes on."
        case (.stopped, .vi): "Cơ quan đã dừng xử lý hồ sơ. Liên hệ Bộ phận Một cửa để biết lý do."
        case (.stopped, .en): "The agency has stopped processing this dossier. Ask its one-stop desk why."
        case (.resultReady, .vi) where resultByPost: "Đã có kết quả. Bưu điện sẽ nhận kết quả tại cơ quan và phát đến địa chỉ bạn đã đăng ký."
        case (.resultReady, .en) where resultByPost:
            "The result is ready. The post will collect it from the agency and deliver it to the address you gave."
        case (.resultReady, .vi): "Đã có kết quả. Mời bạn đến Bộ phận Một cửa để nhận."
        case (.resultReady, .en): "The result is ready. Collect it at the one-stop desk."
        default: nil
        }
    }
}
