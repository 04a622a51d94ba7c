import Foundation

/// Times are stored in UTC and shown and computed in Vietnam's zone: this is the one place that zone is named.
enum LocalTime {
    private static func floorDivision(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    /// `2026-11-21T09:30:00.123+07:00`: what the API shows. Milliseconds are rounded from the instant itself,
    /// so that a time read back from the ledger (stored to the millisecond) prints exactly as it did when written.
    static func iso(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = Date(timeIntervalSince1970: TimeInterval(floorDivision(milliseconds, 1000)))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: seconds)
        let offset = zone.secondsFromGMT(for: seconds) / 60
        let local = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d", parts.year!, parts.month!, parts.day!,
                           parts.hour!, parts.minute!, parts.second!, Int(milliseconds - floorDivision(milliseconds, 1000) * 1000))
        return local + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
    }

    /// An instant cut to whole milliseconds, the ledger's precision, so what is answered equals what is stored.
    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// `yyyyMMddHHmmss` in local time: the one-stop contract's time format.
    static func compact(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }
}
