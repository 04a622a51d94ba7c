import Foundation
import GRDB

/// Instants as the ledger stores them: GRDB's text form, `yyyy-MM-dd HH:mm:ss.SSS` in UTC. Queries that compare
/// times compare this text, whose order is the instants' order, so a bound given to SQL must be written the same way.
package enum LedgerTime {
    /// The text GRDB stores for `date`. Written here, not asked of GRDB's one shared `DateFormatter`, because every
    /// write stamps several instants and that formatter serialises them all behind one lock. The arithmetic is the
    /// formatter's: milliseconds since 1970, taken from the reference date and rounded to the nearest, on the proleptic Gregorian
    /// calendar; `LedgerTimeTests` checks it against GRDB's text. Outside 1970–9999 GRDB's own answer is given.
    package static func string(_ date: Date) -> String {
        let milliseconds = ((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000).rounded()
        guard milliseconds >= 0, milliseconds < 253_402_300_800_000 else {
            // A Date's database value is always this text: GRDB never stores one otherwise.
            return String.fromDatabaseValue(date.databaseValue)!
        }
        let (days, inDay) = Int(milliseconds).quotientAndRemainder(dividingBy: 86_400_000)
        let (year, month, day) = civil(daysSince1970: days)
        let fields = [
            (year, 4, UInt8(ascii: "-")), (month, 2, UInt8(ascii: "-")), (day, 2, UInt8(ascii: " ")),
            (inDay / 3_600_000, 2, UInt8(ascii: ":")), (inDay / 60_000 % 60, 2, UInt8(ascii: ":")),
            (inDay / 1000 % 60, 2, UInt8(ascii: ".")), (inDay % 1000, 3, 0),
        ]
        return String(unsafeUninitializedCapacity: 23) { text in
            var end = 0
            for (value, width, separator) in fields {
                var rest = value
                for position in (end..<end + width).reversed() {
                    text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += width
                if separator != 0 {
                    text[end] = separator
                    end += 1
                }
            }
            return end
        }
    }

    /// Year, month and day of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`, for days ≥ 0).
    private static func civil(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468  // from 0000-03-01, so that a leap day ends its year
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
