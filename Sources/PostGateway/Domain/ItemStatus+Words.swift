/// Plain words for where an item is, for the citizen's tracking page and the staff pages.
extension ItemStatus {
    func words(_ language: Language) -> String {
        switch (self, language) {
        case (.accepted, .vi): "Bưu điện đã nhận hồ sơ"
        case (.accepted, .en): "Accepted at the post office"
        case (.dispatched, .vi): "Đang vận chuyển"
        case (.dispatched, .en): "In transit"
        case (.arrived, .vi): "Đã đến bưu cục phục vụ cơ quan giải quyết"
        case (.arrived, .en): "Arrived at the office serving the agency"
        case (.handedOver, .vi): "Đã bàn giao cho Bộ phận Một cửa"
        case (.handedOver, .en): "Handed over to the one-stop desk"
        case (.created, .vi): "Kết quả đã sẵn sàng, chờ bưu điện nhận"
        case (.created, .en): "Result ready, awaiting pick-up by the post"
        case (.pickedUp, .vi): "Bưu điện đã nhận kết quả tại Bộ phận Một cửa"
        case (.pickedUp, .en): "Result picked up at the desk"
        case (.outForDelivery, .vi): "Đang phát kết quả"
        case (.outForDelivery, .en): "Out for delivery"
        case (.delivered, .vi): "Đã phát kết quả thành công"
        case (.delivered, .en): "Delivered"
        case (.deliveryFailed, .vi): "Phát không thành công, sẽ phát lại"
        case (.deliveryFailed, .en): "Delivery attempt failed; it will be tried again"
        case (.returnedToAgency, .vi): "Đã hoàn trả kết quả cho cơ quan"
        case (.returnedToAgency, .en): "Returned to the agency"
        case (.heldAtOffice, .vi): "Kết quả đang giữ tại bưu cục, mời đến nhận"
        case (.heldAtOffice, .en): "Held at the post office for collection"
        }
    }
}

/// The national portal's dossier statuses (DESIGN §3), in the words a citizen reads.
enum OneStopStatusWords {
    static func words(_ status: Int, _ language: Language) -> String? {
        switch (status, language) {
        case (1, .vi): "Chờ tiếp nhận"
        case (1, .en): "Awaiting intake"
        case (2, .vi): "Cơ quan đã tiếp nhận hồ sơ"
        case (2, .en): "Received by the agency"
        case (3, .vi): "Hồ sơ bị từ chối tiếp nhận"
        case (3, .en): "Rejected by the agency"
        case (4, .vi): "Đang giải quyết"
        case (4, .en): "Being processed"
        case (5, .vi): "Cơ quan yêu cầu bổ sung hồ sơ"
        case (5, .en): "The agency asks for more documents"
        case (6, .vi): "Chờ thực hiện nghĩa vụ tài chính"
        case (6, .en): "Awaiting payment of fees"
        case (7, .vi): "Công dân đã rút hồ sơ"
        case (7, .en): "Withdrawn"
        case (8, .vi): "Dừng xử lý"
        case (8, .en): "Processing stopped"
        case (9, .vi): "Đã có kết quả"
        case (9, .en): "Result ready"
        case (10, .vi): "Đã trả kết quả"
        case (10, .en): "Result returned"
        default: nil
        }
    }
}

/// What a citizen should do next when the one-stop's status asks something of them (rejected, supplement,
/// fees, stopped), in plain words; nil when there is nothing to do but wait.
enum OneStopStatusGuidance {
    static func words(_ status: Int, resultByPost: Bool, _ language: Language) -> String? {
        switch (status, language) {
        case (3, .vi): "Cơ quan không tiếp nhận hồ sơ này. Lý do ghi trong thông báo của cơ quan; hồ sơ sẽ được trả lại. Bạn có thể nộp lại hồ sơ đã sửa tại bưu cục."
        case (3, .en): "The agency did not accept this dossier. Its notice gives the reason; the dossier will be returned. You may hand in a corrected dossier at a post office."
        case (5, .vi): "Cơ quan cần thêm giấy tờ. Mang giấy tờ bổ sung và phiếu gửi này đến bưu cục gần nhất: bưu điện sẽ gửi bổ sung kèm theo hồ sơ này."
        case (5, .en): "The agency needs more documents. Bring them with this receipt to any post office: the post sends them on as a supplement to this dossier."
        case (6, .vi): "Cơ quan yêu cầu nộp phí, lệ phí hoặc nghĩa vụ tài chính trước khi giải quyết tiếp."
        case (6, .en): "The agency asks for fees or other payments before it goes on."
        case (8, .vi): "Cơ quan đã dừng xử lý hồ sơ. Liên hệ Bộ phận Một cửa để biết lý do."
        case (8, .en): "The agency has stopped processing this dossier. Ask its one-stop desk why."
        case (9, .vi) where resultByPost: "Đã có kết quả. Bưu điện sẽ nhận kết quả tại cơ quan và phát đến địa chỉ bạn đã đăng ký."
        case (9, .en) where resultByPost: "The result is ready. The post will collect it from the agency and deliver it to the address you gave."
        case (9, .vi): "Đã có kết quả. Mời bạn đến Bộ phận Một cửa để nhận."
        case (9, .en): "The result is ready. Collect it at the one-stop desk."
        default: nil
        }
    }
}
