import Foundation

/// Times are stored in UTC and shown and computed in Vietnam's zone: this is the one place that zone is named.
package enum LocalTime {
    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    /// The wall-clock reading of an instant in Vietnam, from the zone's offset at that instant.
    struct Reading {
        let day: LocalDate
        let hour: Int
        let minute: Int
        let second: Int
        let millisecond: Int
        let offsetMinutes: Int

        init(_ date: Date) {
            self.init(date, offsetSeconds: LocalTime.offset(at: date))
        }

        /// The reading at a fixed offset from UTC (0 gives the UTC reading the ledger stores), of the millisecond the
        /// ledger stores the instant as.
        init(_ date: Date, offsetSeconds offset: Int) {
            self.init(millisecondsSince1970: Int64(LocalTime.milliseconds(date)), offsetSeconds: offset)
        }

        /// The reading of an instant already counted in whole milliseconds since 1970.
        init(millisecondsSince1970 milliseconds: Int64, offsetSeconds offset: Int) {
            let local = milliseconds + Int64(offset) * 1000
            let dayMilliseconds: Int64 = 86_400_000
            let days = local >= 0 ? local / dayMilliseconds : -((-local + dayMilliseconds - 1) / dayMilliseconds)
            let within = Int(local - days * dayMilliseconds)
            day = LocalDate(daysSinceEpoch: Int(days))
            hour = within / 3_600_000
            minute = within / 60_000 % 60
            second = within / 1000 % 60
            millisecond = within % 1000
            offsetMinutes = offset / 60
        }
    }

    /// Vietnam has kept UTC+7 without daylight saving since 1975, so the zone's offset is looked up once for
    /// instants after that and asked of the zone for anything older (whose offsets differed).
    private static let stableSince = Date(timeIntervalSince1970: 189_302_400)  // 1976-01-01
    private static let stableOffset = zone.secondsFromGMT(for: Date())

    static func offset(at date: Date) -> Int {
        date >= stableSince ? stableOffset : zone.secondsFromGMT(for: date)
    }

    /// `2026-11-21T09:30:00.123+07:00`: what the API shows, to the millisecond the ledger keeps.
    static func iso(_ date: Date) -> String {
        let reading = Reading(date)
        let offset = abs(reading.offsetMinutes)
        return "\(reading.day)T\(pad(reading.hour)):\(pad(reading.minute)):\(pad(reading.second)).\(pad(reading.millisecond, 3))"
            + (reading.offsetMinutes < 0 ? "-" : "+") + "\(pad(offset / 60)):\(pad(offset % 60))"
    }

    /// `yyyyMMddHHmmss` in local time: the one-stop contract's time format.
    package static func compact(_ date: Date) -> String {
        let reading = Reading(date)
        return reading.day.compact + pad(reading.hour) + pad(reading.minute) + pad(reading.second)
    }

    /// An instant cut to the millisecond the ledger stores it as, so what is answered equals what is stored.
    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: milliseconds(date) / 1000)
    }

    /// The whole milliseconds since 1970 the ledger stores an instant as: GRDB counts them from the reference date and
    /// rounds to the nearest. Flooring instead shows a time read back from the ledger (x.298 held as x.29799…) 1 ms early.
    static func milliseconds(_ date: Date) -> Double {
        ((date.timeIntervalSinceReferenceDate + Date.timeIntervalBetween1970AndReferenceDate) * 1000).rounded()
    }

    package static func pad(_ number: Int, _ width: Int = 2) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
