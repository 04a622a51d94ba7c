import Foundation

/// A calendar day in Vietnam (Asia/Ho_Chi_Minh), the unit of every legal deadline.
///
/// Stored as days since 1970-01-01 so that adding working days is integer arithmetic, not a Calendar
/// round trip per day; converting to and from `Date` goes through Foundation's Calendar in the local zone.
package struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    let daysSinceEpoch: Int

    init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    init(year: Int, month: Int, day: Int) {
        // Days from civil (Howard Hinnant's algorithm), proleptic Gregorian.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        daysSinceEpoch = era * 146_097 + dayOfEra - 719_468
    }

    /// Parses `YYYY-MM-DD`; nil for anything else, including impossible days like 2026-02-30.
    package init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy(\.isASCIIDigits),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(checkedYear: year, month: month, day: day)
    }

    /// The day of a date read from text; nil for an impossible one like 2026-02-30, which `init(year:month:day:)`
    /// would carry over into March.
    init?(checkedYear year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        self.init(year: year, month: month, day: day)
        guard components == (year, month, day) else { return nil }
    }

    /// The local day on which an instant falls.
    package init(_ date: Date) {
        self = LocalTime.Reading(date).day
    }

    var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// ISO weekday: Monday 1 … Sunday 7 (1970-01-01 was a Thursday).
    var isoWeekday: Int { ((daysSinceEpoch % 7) + 7 + 3) % 7 + 1 }

    package func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// Midnight at the start of this day in Vietnam, as an instant.
    package var startInstant: Date {
        LocalTime.calendar.date(from: DateComponents(year: components.year, month: components.month, day: components.day))!
    }

    package var description: String {
        let (year, month, day) = components
        return LocalTime.pad(year, 4) + "-" + LocalTime.pad(month) + "-" + LocalTime.pad(day)
    }

    /// `2026-11-24` → `24/11/2026`, as dates are written on Vietnamese forms; other text comes back as it was.
    static func vietnameseForm(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        return parts.count == 3 ? "\(parts[2])/\(parts[1])/\(parts[0])" : iso
    }

    /// `yyyyMMdd`, the one-stop contract's day.
    package var compact: String {
        let (year, month, day) = components
        return LocalTime.pad(year, 4) + LocalTime.pad(month) + LocalTime.pad(day)
    }

    package static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
