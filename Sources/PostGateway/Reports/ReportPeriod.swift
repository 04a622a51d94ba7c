/// A period of Circular 17 Art 13's report: a quarter, the first half-year or a year, with the day the report is
/// due (before the 10th of the month after a quarter; before 10 July for the half-year; before 10 January for a year).
struct ReportPeriod: Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case quarter(Int)
        case firstHalf, year
    }

    let year: Int
    let kind: Kind

    /// `2026-Q3`, `2026-H1` or `2026`.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count == 4, parts[0].isASCIIDigits, let year = Int(parts[0]), year >= 2000 else { return nil }
        self.year = year
        if parts.count == 1 {
            kind = .year
            return
        }
        switch parts[1] {
        case "Q1": kind = .quarter(1)
        case "Q2": kind = .quarter(2)
        case "Q3": kind = .quarter(3)
        case "Q4": kind = .quarter(4)
        case "H1": kind = .firstHalf
        default: return nil
        }
    }

    var first: LocalDate {
        switch kind {
        case .quarter(let q): LocalDate(year: year, month: 3 * (q - 1) + 1, day: 1)
        case .firstHalf, .year: LocalDate(year: year, month: 1, day: 1)
        }
    }

    var last: LocalDate {
        switch kind {
        case .quarter(let q): q == 4 ? LocalDate(year: year, month: 12, day: 31) : LocalDate(year: year, month: 3 * q + 1, day: 1).adding(days: -1)
        case .firstHalf: LocalDate(year: year, month: 6, day: 30)
        case .year: LocalDate(year: year, month: 12, day: 31)
        }
    }

    /// The report must reach the ministry before this day.
    var dueBefore: LocalDate { last.adding(days: 1).adding(days: 9) }

    var description: String {
        switch kind {
        case .quarter(let q): "\(year)-Q\(q)"
        case .firstHalf: "\(year)-H1"
        case .year: "\(year)"
        }
    }

    /// "Quý III năm 2026", "6 tháng đầu năm 2026", "Năm 2026".
    var vietnameseName: String {
        switch kind {
        case .quarter(let q): "Quý \(["I", "II", "III", "IV"][q - 1]) năm \(year)"
        case .firstHalf: "6 tháng đầu năm \(year)"
        case .year: "Năm \(year)"
        }
    }
}
