import Foundation

/// Reading the one-stop contract's compact formats back (LocalTime.compact and LocalDate.compact write them).
extension LocalDate {
    /// `yyyyMMdd`: eight ASCII digits naming a real day; nil for anything else.
    init?(compact text: some StringProtocol) {
        guard text.utf8.count == 8, text.isASCIIDigits else { return nil }
        let digits = String(text)
        self.init(iso: "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))")
    }
}

extension LocalTime {
    /// `yyyyMMddHHmmss` in Vietnam's local time; nil unless it names a real instant.
    static func instant(compact text: String) -> Date? {
        guard text.utf8.count == 14, let day = LocalDate(compact: text.prefix(8)),
            text.isASCIIDigits,
            let hour = Int(text.dropFirst(8).prefix(2)), let minute = Int(text.dropFirst(10).prefix(2)),
            let second = Int(text.suffix(2)), hour < 24, minute < 60, second < 60
        else { return nil }
        return Date(timeIntervalSince1970: Double(day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset(at: day.startInstant)))
    }
}
