import Foundation

/// The daily volume as an SVG bar chart, drawn on the server so the page needs no script: a bar per day for
/// dossiers received, a darker one beside it for those resolved, a scale on the left.
enum DailyChart {
    static func svg(_ days: [ReportSummary.Day], width: Int = 900, height: Int = 240) -> String {
        let e = Markup.escaped
        let left = 40
        let bottom = 24
        let top = 10
        let plotWidth = width - left - 10
        let plotHeight = height - bottom - top
        let peak = max(1, days.map { max($0.counts.received, $0.counts.resolved) }.max() ?? 1)
        let scale = niceCeiling(peak)
        let slot = Double(plotWidth) / Double(max(days.count, 1))
        let bar = max(1, slot * 0.4)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-labelledby="chart-title">
            <title id="chart-title">Số hồ sơ tiếp nhận và giải quyết theo ngày</title>
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(width - 10)" y2="\(top + plotHeight)" stroke="#888"/>
            <text x="\(left - 4)" y="\(top + 8)" text-anchor="end" font-size="11">\(scale)</text>
            <text x="\(left - 4)" y="\(top + plotHeight)" text-anchor="end" font-size="11">0</text>
            """
        for (index, day) in days.enumerated() {
            let x = Double(left) + Double(index) * slot
            for (offset, value, colour, words) in [
                (0.0, day.counts.received, "#6fa8dc", "tiếp nhận"), (bar, day.counts.resolved, "#0b5394", "giải quyết"),
            ] {
                let h = Double(plotHeight) * Double(value) / Double(scale)
                svg +=
                    "<rect class=\"bar\" x=\"\(fmt(x + offset))\" y=\"\(fmt(Double(top + plotHeight) - h))\" width=\"\(fmt(bar))\" height=\"\(fmt(h))\" fill=\"\(colour)\">"
                    + "<title>\(e(LocalDate.vietnameseForm(day.date.description))): \(value) \(words)</title></rect>"
            }
            // A date under the first day of each week, and under the first and last day.
            if index == 0 || index == days.count - 1 || day.date.isoWeekday == 1 && days.count <= 120 {
                let (_, month, dayOfMonth) = day.date.components
                svg += "<text x=\"\(fmt(x))\" y=\"\(height - 6)\" font-size=\"10\">\(dayOfMonth)/\(month)</text>"
            }
        }
        return svg + "</svg>"
    }

    /// 1, 2, 5 × 10ⁿ at or above `value`, so the scale reads well.
    static func niceCeiling(_ value: Int) -> Int {
        var step = 1
        while true {
            for factor in [1, 2, 5] where step * factor >= value { return step * factor }
            step *= 10
        }
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
