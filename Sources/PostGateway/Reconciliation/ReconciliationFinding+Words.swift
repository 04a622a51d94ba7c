extension ReconciliationFinding.Kind {
    func title(_ language: Language) -> String {
        switch (self, language) {
        case (.missingAtOneStop, .vi): "Thiếu ở hệ thống một cửa"
        case (.missingAtOneStop, .en): "Missing at the one-stop"
        case (.missingInGateway, .vi): "Thiếu ở cổng bưu chính"
        case (.missingInGateway, .en): "Missing in the gateway"
        case (.statusDisagreement, .vi): "Lệch trạng thái hồ sơ"
        case (.statusDisagreement, .en): "Status disagreement"
        case (.dossierCodeDisagreement, .vi): "Lệch mã hồ sơ"
        case (.dossierCodeDisagreement, .en): "Dossier code disagreement"
        case (.feeDisagreement, .vi): "Lệch lệ phí thu hộ"
        case (.feeDisagreement, .en): "Fee disagreement"
        case (.resultItemDisagreement, .vi): "Lệch bưu gửi kết quả"
        case (.resultItemDisagreement, .en): "Result item disagreement"
        case (.handoverTimeDisagreement, .vi): "Lệch thời điểm bàn giao"
        case (.handoverTimeDisagreement, .en): "Handover time disagreement"
        case (.orderMissingInGateway, .vi): "Đơn trả kết quả thiếu ở cổng bưu chính"
        case (.orderMissingInGateway, .en): "Result order missing in the gateway"
        case (.cashOnDeliveryDisagreement, .vi): "Lệch tiền thu khi phát"
        case (.cashOnDeliveryDisagreement, .en): "Cash on delivery disagreement"
        case (.resultProgressDisagreement, .vi): "Lệch tiến độ trả kết quả"
        case (.resultProgressDisagreement, .en): "Result progress disagreement"
        }
    }
}

extension ReconciliationFinding {
    /// What was done, or what a person should do.
    func action(_ language: Language) -> String {
        switch (repair, repaired, language) {
        case (.resend, true, .vi): return "Đã gửi lại hệ thống một cửa qua hàng đợi chuyển tiếp."
        case (.resend, true, .en): return "Sent to the one-stop again through the outbox."
        case (.resend, false, .vi): return "Sẽ gửi lại hệ thống một cửa qua hàng đợi chuyển tiếp (chạy thử: chưa làm)."
        case (.resend, false, .en): return "Would send it to the one-stop again through the outbox (dry run: not done)."
        case (.takeStatus, true, .vi): return "Đã cập nhật cổng theo sổ của hệ thống một cửa."
        case (.takeStatus, true, .en): return "The gateway took the one-stop's value."
        case (.takeStatus, false, .vi): return "Sẽ cập nhật cổng theo sổ của hệ thống một cửa (chạy thử, hoặc mã hồ sơ đã thuộc hồ sơ khác)."
        case (.takeStatus, false, .en): return "Would take the one-stop's value (dry run, or the code already belongs to another dossier)."
        case (.awaitForwarding, _, .vi): return "Tin nhắn chuyển tiếp đang trên đường đi; đợt đối soát sau sẽ kiểm tra lại."
        case (.awaitForwarding, _, .en): return "A forwarding message is on its way; the next run checks again."
        case (.forAPerson, _, _): return personAction(language)
        }
    }

    private func personAction(_ language: Language) -> String {
        if refusedByOneStop {
            return language == .vi
                ? "Hệ thống một cửa đã từ chối một tin nhắn của hồ sơ này (xem tin chết trong hàng đợi chuyển tiếp): thống nhất dữ liệu với bộ phận một cửa rồi gửi lại tin."
                : "The one-stop refused a message of this dossier (see the outbox's dead messages): settle the data with the desk, then requeue it."
        }
        return switch (kind, ahead, language) {
        case (.missingInGateway, _, .vi):
            "Hệ thống một cửa có bưu gửi mà cổng không tiếp nhận: đối chiếu số hiệu với Phiếu gửi hồ sơ giấy tại quầy."
        case (.missingInGateway, _, .en):
            "The one-stop holds an item the gateway never took in: check the number against the counter's paper Phiếu."
        case (.statusDisagreement, .gateway?, .vi):
            "Cổng ghi nhận trạng thái xa hơn sổ một cửa: liên hệ bộ phận một cửa để xác minh hồ sơ."
        case (.statusDisagreement, .gateway?, .en):
            "The gateway is further along than the one-stop's ledger: ask the desk to check the dossier."
        case (.statusDisagreement, _, .vi):
            "Một cửa đã có kết quả nhưng cổng chưa nhận thông báo kèm tiền thu khi phát: đề nghị một cửa gửi lại thông báo."
        case (.statusDisagreement, _, .en):
            "The result is ready but the gateway lacks the callback with the cash to collect: ask the one-stop to resend it."
        case (.dossierCodeDisagreement, _, .vi): "Hai bên ghi mã hồ sơ khác nhau: xác minh với bộ phận một cửa."
        case (.dossierCodeDisagreement, _, .en): "The two ledgers hold different dossier codes: check with the desk."
        case (.feeDisagreement, _, .vi): "Lệ phí thu hộ khác nhau: đối chiếu biên lai thu tiền và báo cáo kế toán."
        case (.feeDisagreement, _, .en): "The fees collected differ: check the receipt against the accounts."
        case (.handoverTimeDisagreement, _, .vi): "Thời điểm bàn giao khác nhau: đối chiếu Biên bản giao nhận đã ký."
        case (.handoverTimeDisagreement, _, .en): "The handover times differ: check the signed handover manifest."
        case (.resultItemDisagreement, _, .vi): "Bưu gửi kết quả khác nhau: đối chiếu số hiệu kết quả với bộ phận một cửa."
        case (.resultItemDisagreement, _, .en): "The result items differ: check the result's item number with the desk."
        case (.missingAtOneStop, _, .vi):
            "Hồ sơ chưa có ở hệ thống một cửa: kiểm tra hàng đợi chuyển tiếp; đơn trả kết quả nhận tại quầy thì đăng ký lại đơn với bộ phận một cửa."
        case (.missingAtOneStop, _, .en):
            "The one-stop lacks this dossier: check the outbox; for a result order taken at a counter, register the order with the desk again."
        case (.orderMissingInGateway, _, .vi):
            "Hệ thống một cửa có đơn trả kết quả mà cổng chưa nhận được: đề nghị bộ phận một cửa gửi lại đơn, hoặc nhận đơn tại quầy theo giấy hẹn của công dân."
        case (.orderMissingInGateway, _, .en):
            "The one-stop has a result order the gateway never got: ask the desk to send the order again, or take it at the counter from the citizen's appointment slip."
        case (.cashOnDeliveryDisagreement, _, .vi):
            "Tiền thu khi phát khác nhau: thống nhất số tiền với bộ phận một cửa trước khi phát; không thu theo số chưa thống nhất."
        case (.cashOnDeliveryDisagreement, _, .en):
            "The cash to collect on delivery differs: settle the amount with the desk before the item goes out for delivery."
        case (.resultProgressDisagreement, _, .vi):
            "Tiến độ trả kết quả hai bên khác nhau mà cổng không có tin để gửi lại (một cửa ghi bước cổng chưa báo): đối chiếu hành trình bưu gửi kết quả với bộ phận một cửa."
        case (.resultProgressDisagreement, _, .en):
            "The result progress differs and the gateway has no report to send again (the one-stop shows a step the gateway never reported): check the result item's journey with the desk."
        }
    }
}
