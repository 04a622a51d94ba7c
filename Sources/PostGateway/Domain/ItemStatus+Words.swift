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
