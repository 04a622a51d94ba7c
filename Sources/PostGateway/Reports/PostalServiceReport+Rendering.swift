/// Circular 17 Art 13's report as JSON, as CSV and as a page to print and sign.
extension PostalServiceReport {
    static func serviceName(_ service: ServiceType) -> String {
        switch service {
        case .sendOnly: "Chuyển phát hồ sơ giải quyết TTHC"
        case .sendAndReturn: "Chuyển phát hồ sơ và trả kết quả giải quyết TTHC"
        case .resultOnly: "Chuyển trả kết quả giải quyết TTHC"
        }
    }

    func json() -> JSONValue {
        func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }
        return .object([
            "period": .string(period.description), "from": .string(period.first.description), "to": .string(period.last.description),
            "dueBefore": .string(period.dueBefore.description), "officeCode": officeCode.map(JSONValue.string) ?? .null,
            "services": .array(
                services.map { service in
                    .object([
                        "service": .string(service.service.rawValue), "name": .string(Self.serviceName(service.service)),
                        "volume": int(service.volume), "revenue": .integer(service.revenue), "feesCollected": .integer(service.feesCollected),
                    ])
                }),
            "results": .object([
                "items": int(results.items), "delivered": int(results.delivered), "returnedToAgency": int(results.returnedToAgency),
                "cashOnDeliveryCollected": .integer(results.cashOnDeliveryCollected),
            ]),
            "complaints": .object([
                "received": int(complaints.received), "resolved": int(complaints.resolved),
                "resolvedWithinDeadline": int(complaints.resolvedWithinDeadline), "resolvedLate": int(complaints.resolvedLate),
                "upheld": int(complaints.upheld), "pendingAtEnd": int(complaints.pendingAtEnd),
            ]),
            "lostItems": int(lostItems), "damagedItems": int(damagedItems),
            "compensation": .object(["cases": int(compensationCases), "amount": .integer(compensationAmount)]),
            "safety": .object([
                "itemsCarried": int(itemsCarried), "itemsLostOrDamaged": int(lostItems + damagedItems), "safePercent": .string(safePercent),
            ]),
        ])
    }

    /// `section,item,value,amount`: one figure a line, amounts in đồng.
    func csv() -> String {
        var lines: [[String]] = [["section", "item", "volume", "amount"]]
        lines.append(["period", period.description, "", ""])
        lines.append(["dueBefore", period.dueBefore.description, "", ""])
        for service in services {
            lines.append(["service", service.service.rawValue, String(service.volume), String(service.revenue)])
            lines.append(["feesCollectedOnBehalf", service.service.rawValue, "", String(service.feesCollected)])
        }
        lines.append(["results", "items", String(results.items), ""])
        lines.append(["results", "delivered", String(results.delivered), String(results.cashOnDeliveryCollected)])
        lines.append(["results", "returnedToAgency", String(results.returnedToAgency), ""])
        for (item, value) in [
            ("received", complaints.received), ("resolved", complaints.resolved),
            ("resolvedWithinDeadline", complaints.resolvedWithinDeadline), ("resolvedLate", complaints.resolvedLate),
            ("upheld", complaints.upheld), ("pendingAtEnd", complaints.pendingAtEnd),
        ] {
            lines.append(["complaints", item, String(value), ""])
        }
        lines.append(["incidents", "lost", String(lostItems), ""])
        lines.append(["incidents", "damaged", String(damagedItems), ""])
        lines.append(["compensation", "cases", String(compensationCases), String(compensationAmount)])
        lines.append(["safety", "itemsCarried", String(itemsCarried), ""])
        lines.append(["safety", "safePercent", safePercent, ""])
        return CSV.document(lines)
    }

    /// The page to print: the figures in the order Art 13 lists them, the office (or the whole network), the period
    /// and the day the report is due.
    func html(officeName: String?) -> String {
        let e = Markup.escaped
        let money = { (amount: Int64) in e(Money.formatted(amount)) }
        var rows = ""
        for (index, service) in services.enumerated() {
            rows +=
                "<tr><td>\(index + 1)</td><td>\(e(Self.serviceName(service.service)))</td><td class=n>\(service.volume)</td>"
                + "<td class=n>\(money(service.revenue))</td><td class=n>\(money(service.feesCollected))</td></tr>"
        }
        rows +=
            "<tr><td>\(services.count + 1)</td><td>Phát trả kết quả giải quyết TTHC (cước đã thu khi nhận gửi)</td><td class=n>\(results.items)</td>"
            + "<td class=n>—</td><td class=n>\(money(results.cashOnDeliveryCollected))</td></tr>"
        return """
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Báo cáo dịch vụ bưu chính công ích \(e(period.vietnameseName))</title>
            <style>
            body{font-family:system-ui,"DejaVu Sans",sans-serif;margin:1.5rem;color:#1a1a1a;max-width:60rem}
            h1{font-size:1.2rem;text-align:center;text-transform:uppercase}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
            th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left}th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .sign{display:flex;justify-content:space-between;margin-top:3rem}@media print{body{margin:0}}
            </style></head><body>
            <h1>Báo cáo tình hình cung ứng dịch vụ bưu chính công ích trong việc tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính</h1>
            <p>Kỳ báo cáo: <strong id="period">\(e(period.vietnameseName))</strong> (từ \(e(LocalDate.vietnameseForm(period.first.description)))
            đến \(e(LocalDate.vietnameseForm(period.last.description)))). Đơn vị: <strong>\(e(officeName ?? "Toàn mạng lưới"))</strong>.
            Hạn gửi báo cáo: trước ngày <strong id="due">\(e(LocalDate.vietnameseForm(period.dueBefore.description)))</strong>
            (Thông tư 17/2017/TT-BTTTT, Điều 13).</p>
            <h2>1. Dịch vụ, sản lượng và doanh thu</h2>
            <table><thead><tr><th>STT</th><th>Dịch vụ</th><th>Sản lượng (bưu gửi)</th><th>Doanh thu cước (đồng)</th><th>Thu hộ (đồng)</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            <p>Kết quả đã phát: \(results.delivered); chuyển trả cơ quan: \(results.returnedToAgency).</p>
            <h2>2. Khiếu nại và kết quả giải quyết</h2>
            <table><tbody>
            <tr><td>Số khiếu nại nhận trong kỳ</td><td class=n id="complaints-received">\(complaints.received)</td></tr>
            <tr><td>Đã giải quyết trong kỳ</td><td class=n>\(complaints.resolved)</td></tr>
            <tr><td>— trong thời hạn</td><td class=n>\(complaints.resolvedWithinDeadline)</td></tr>
            <tr><td>— quá thời hạn</td><td class=n>\(complaints.resolvedLate)</td></tr>
            <tr><td>— bưu điện có lỗi</td><td class=n>\(complaints.upheld)</td></tr>
            <tr><td>Chưa giải quyết cuối kỳ</td><td class=n>\(complaints.pendingAtEnd)</td></tr>
            </tbody></table>
            <h2>3. Bưu gửi bị mất, hư hỏng</h2>
            <table><tbody>
            <tr><td>Bị mất</td><td class=n id="lost">\(lostItems)</td></tr>
            <tr><td>Bị hư hỏng</td><td class=n id="damaged">\(damagedItems)</td></tr>
            </tbody></table>
            <h2>4. Bồi thường</h2>
            <table><tbody>
            <tr><td>Số vụ bồi thường</td><td class=n id="compensation-cases">\(compensationCases)</td></tr>
            <tr><td>Tổng số tiền bồi thường (đồng)</td><td class=n id="compensation-amount">\(money(compensationAmount))</td></tr>
            </tbody></table>
            <h2>5. Mức độ an toàn</h2>
            <p>\(itemsCarried) bưu gửi được chuyển phát trong kỳ; \(lostItems + damagedItems) bị mất hoặc hư hỏng;
            tỷ lệ an toàn <strong id="safe">\(e(safePercent))%</strong>.</p>
            <div class="sign"><div>Người lập biểu<br><br><br></div><div>Thủ trưởng đơn vị<br><br><br></div></div>
            </body></html>
            """
    }
}
