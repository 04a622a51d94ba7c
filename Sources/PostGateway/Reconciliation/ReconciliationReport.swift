import Foundation

/// A run as its readers see it — the API, the JSON, CSV and HTML files in the reports folder — with no personal
/// data: item numbers, codes, statuses and money only.
struct ReconciliationReport: Sendable {
    let run: ReconciliationRunRecord
    let findings: [ReconciliationFinding]
    /// Agency names for the page, by code.
    let agencyNames: [String: String]

    /// The run without its findings, as the list shows it.
    static func runJSON(_ run: ReconciliationRunRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(run.id ?? 0), "from": .string(run.fromDay), "to": .string(run.toDay), "dryRun": .bool(run.dryRun),
            "origin": .string(run.origin.rawValue), "state": .string(run.state.rawValue), "requestedAt": .string(LocalTime.iso(run.requestedAt)),
            "startedAt": run.startedAt.map { .string(LocalTime.iso($0)) } ?? .null,
            "finishedAt": run.finishedAt.map { .string(LocalTime.iso($0)) } ?? .null,
            "error": run.error.map(JSONValue.string) ?? .null,
            "links": .object([
                "self": .string("/api/v1/reconciliations/\(run.id ?? 0)"),
                "html": .string("/api/v1/reconciliations/\(run.id ?? 0)?format=html"),
                "csv": .string("/api/v1/reconciliations/\(run.id ?? 0)?format=csv"),
            ]),
        ]
        if let summary = run.summary.flatMap({ try? JSONValue(parsing: Data($0.utf8)) }) {
            object["summary"] = summary
        } else {
            object["summary"] = .null
        }
        return .object(object)
    }

    static func findingJSON(_ finding: ReconciliationFinding, language: Language) -> JSONValue {
        .object([
            "trackingNumber": .string(finding.trackingNumber), "kind": .string(finding.kind.rawValue), "title": .string(finding.kind.title(language)),
            "agencyCode": finding.agencyCode.map(JSONValue.string) ?? .null, "gateway": finding.gatewayValue.map(JSONValue.string) ?? .null,
            "oneStop": finding.oneStopValue.map(JSONValue.string) ?? .null, "ahead": finding.ahead.map { .string($0.rawValue) } ?? .null,
            "repair": .string(finding.repair.rawValue), "repaired": .bool(finding.repaired), "remains": .bool(finding.remains),
            "action": .string(finding.action(language)),
        ])
    }

    func json(language: Language = .vi) -> String {
        guard case .object(var object) = Self.runJSON(run) else { return "{}" }
        object["findings"] = .array(findings.map { Self.findingJSON($0, language: language) })
        return JSONValue.object(object).canonicalText
    }

    static let csvHeader = "trackingNumber,kind,agencyCode,gateway,oneStop,ahead,repair,repaired,action"

    /// One line per finding (RFC 4180 quoting), for a spreadsheet.
    func csv(language: Language = .vi) -> String {
        var lines = [Self.csvHeader]
        lines.reserveCapacity(findings.count + 1)
        for finding in findings {
            lines.append(
                CSV.line([
                    finding.trackingNumber, finding.kind.rawValue, finding.agencyCode ?? "", finding.gatewayValue ?? "",
                    finding.oneStopValue ?? "", finding.ahead?.rawValue ?? "", finding.repair.rawValue, finding.repaired ? "1" : "0",
                    finding.action(language),
                ]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A page a supervisor can read and print: the summary, the fee totals per agency, each finding.
    func html() -> String {
        let e = Markup.escaped
        let summary = run.figures
        var page = """
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Đối soát \(e(run.fromDay)) – \(e(run.toDay))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
            th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eee}
            td.n{text-align:right;font-variant-numeric:tabular-nums}.bad{background:#fde2e2}.state{font-weight:bold;font-size:1.2rem}
            @media print{body{margin:0}}
            </style></head><body>
            <h1>Biên bản đối soát sổ hồ sơ bưu chính công ích</h1>
            <p>Kỳ đối soát: <strong>\(e(LocalDate.vietnameseForm(run.fromDay)))</strong> đến <strong>\(e(LocalDate.vietnameseForm(run.toDay)))</strong>
            · Lần chạy số \(run.id ?? 0)\(run.dryRun ? " · <strong>chạy thử, không sửa gì</strong>" : "")</p>
            <p class="state" id="state" data-state="\(run.state.rawValue)">\(e(Self.stateWords(run.state)))</p>

            """
        if let error = run.error { page += "<p class=\"bad\" id=\"error\">Lỗi: \(e(error))</p>\n" }
        if let summary {
            page += """
                <h2>Tổng hợp</h2>
                <table id="summary"><tbody>
                <tr><th>Hồ sơ trong sổ của cổng</th><td class="n">\(summary.gatewayDossiers)</td></tr>
                <tr><th>Hồ sơ trong sổ của một cửa</th><td class="n">\(summary.oneStopDossiers)</td></tr>
                <tr><th>Khớp số hiệu</th><td class="n">\(summary.matched)</td></tr>
                <tr><th>Phát hiện</th><td class="n">\(summary.findings)</td></tr>
                <tr><th>Đã tự sửa</th><td class="n">\(summary.repaired)</td></tr>
                <tr><th>Đang chờ chuyển tiếp</th><td class="n">\(summary.awaitingForwarding)</td></tr>
                <tr><th>Cần người xử lý</th><td class="n">\(summary.remaining)</td></tr>
                </tbody></table>
                <h2>Lệ phí thu hộ theo cơ quan (đồng)</h2>
                <table id="agencies"><thead><tr><th>Cơ quan</th><th>Hồ sơ (cổng)</th><th>Lệ phí (cổng)</th><th>Hồ sơ (một cửa)</th><th>Lệ phí (một cửa)</th></tr></thead><tbody>

                """
            for agency in summary.agencies {
                let name = agencyNames[agency.agencyCode].map { "\(e($0)) " } ?? ""
                page +=
                    "<tr\(agency.agree ? "" : " class=\"bad\"")><td>\(name)<code>\(e(agency.agencyCode))</code></td>"
                    + "<td class=\"n\">\(agency.gatewayDossiers)</td><td class=\"n\">\(Money.formatted(agency.gatewayFees))</td>"
                    + "<td class=\"n\">\(agency.oneStopDossiers)</td><td class=\"n\">\(Money.formatted(agency.oneStopFees))</td></tr>\n"
            }
            page += "</tbody></table>\n"
        }
        if let orders = run.orderFigures { page += Self.ordersHTML(orders, agencyNames: agencyNames) }
        page += """
            <h2>Các phát hiện (\(findings.count))</h2>
            <table id="findings"><thead><tr><th>Số hiệu (hoặc mã hồ sơ)</th><th>Loại</th><th>Cổng</th><th>Một cửa</th><th>Xử lý</th></tr></thead><tbody>

            """
        for finding in findings {
            page +=
                "<tr\(finding.remains ? " class=\"bad\"" : "") data-kind=\"\(finding.kind.rawValue)\"><td><code>\(e(finding.trackingNumber))</code></td>"
                + "<td>\(e(finding.kind.title(.vi)))</td><td>\(e(finding.gatewayValue ?? "—"))</td><td>\(e(finding.oneStopValue ?? "—"))</td>"
                + "<td>\(e(finding.action(.vi)))</td></tr>\n"
        }
        return page + "</tbody></table>\n</body></html>\n"
    }

    /// The result-only orders' part of the page: the counts, and the cash to collect on delivery per agency.
    static func ordersHTML(_ orders: ReconciliationOrderFigures, agencyNames: [String: String]) -> String {
        let e = Markup.escaped
        var part = """
            <h2>Đơn trả kết quả qua bưu chính (dịch vụ chỉ trả kết quả)</h2>
            <table id="orders"><tbody>
            <tr><th>Đơn trong sổ của cổng</th><td class="n">\(orders.gatewayOrders)</td></tr>
            <tr><th>Đơn trong sổ của một cửa</th><td class="n">\(orders.oneStopOrders)</td></tr>
            <tr><th>Khớp mã hồ sơ</th><td class="n">\(orders.matched)</td></tr>
            </tbody></table>
            <h2>Tiền thu khi phát theo cơ quan (đồng)</h2>
            <table id="orderAgencies"><thead><tr><th>Cơ quan</th><th>Đơn (cổng)</th><th>Tiền thu (cổng)</th><th>Đơn (một cửa)</th><th>Tiền thu (một cửa)</th></tr></thead><tbody>

            """
        for agency in orders.agencies {
            let name = agencyNames[agency.agencyCode].map { "\(e($0)) " } ?? ""
            part +=
                "<tr\(agency.agree ? "" : " class=\"bad\"")><td>\(name)<code>\(e(agency.agencyCode))</code></td>"
                + "<td class=\"n\">\(agency.gatewayOrders)</td><td class=\"n\">\(Money.formatted(agency.gatewayCashOnDelivery))</td>"
                + "<td class=\"n\">\(agency.oneStopOrders)</td><td class=\"n\">\(Money.formatted(agency.oneStopCashOnDelivery))</td></tr>\n"
        }
        return part + "</tbody></table>\n"
    }

    static func stateWords(_ state: ReconciliationRunRecord.State) -> String {
        switch state {
        case .queued: "Đang chờ chạy"
        case .running: "Đang chạy"
        case .agreed: "Hai sổ khớp nhau"
        case .repaired: "Đã tự sửa mọi chênh lệch"
        case .findings: "Còn chênh lệch cần người xử lý"
        case .failed: "Không hoàn thành được"
        }
    }

    /// Writes `reconciliation-<id>.json`, `.csv` and `.html` into `directory`; answers the paths.
    func write(to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = (directory as NSString).appendingPathComponent("reconciliation-\(run.id ?? 0)")
        let files = [(base + ".json", json()), (base + ".csv", csv()), (base + ".html", html())]
        for (path, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
        return files.map(\.0)
    }
}
