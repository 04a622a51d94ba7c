import Foundation

/// Instants as the ledger stores them: `yyyy-MM-dd HH:mm:ss.SSS` in UTC, the text form GRDB reads back as a
/// `Date`. Formatted here with integer arithmetic because GRDB's DateFormatter showed in intake profiles.
enum LedgerTime {
    static func string(_ date: Date) -> String {
        let utc = LocalTime.Reading(date, offsetSeconds: 0)
        let pad = LocalTime.pad
        return "\(utc.day) \(pad(utc.hour, 2)):\(pad(utc.minute, 2)):\(pad(utc.second, 2)).\(pad(utc.millisecond, 3))"
    }

    /// The instant `string` wrote, read back from its UTF-8 bytes with integer arithmetic; nil for any other text, which
    /// the caller leaves to GRDB. GRDB's own reading goes through date components and a calendar, which showed in the
    /// profiles of first tracking lookups (a date for every event).
    static func date(utf8 text: UnsafeBufferPointer<UInt8>) -> Date? {
        // yyyy-MM-dd HH:mm:ss.SSS
        guard text.count == 23, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"), text[10] == UInt8(ascii: " "),
              text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"), text[19] == UInt8(ascii: ".") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(text[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23),
              hour < 24, minute < 60, second < 60, let date = LocalDate(checkedYear: year, month: month, day: day) else { return nil }
        let days = date.daysSinceEpoch
        let milliseconds = ((Int64(days) * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
        // The nearest double to a millisecond count over 1000 can fall just short of it, and then reads back (which cuts
        // to the millisecond below) one millisecond early: step up to the first double that reads back as written.
        var seconds = Double(milliseconds) / 1000
        while Int64((seconds * 1000).rounded(.down)) < milliseconds { seconds = seconds.nextUp }
        return Date(timeIntervalSince1970: seconds)
    }
}
