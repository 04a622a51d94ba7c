import Foundation

/// Instants as the ledger stores them: `yyyy-MM-dd HH:mm:ss.SSS` in UTC, the text form GRDB reads back as a
/// `Date`. Formatted here with integer arithmetic because GRDB's DateFormatter showed in intake profiles.
enum LedgerTime {
    static func string(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let dayMilliseconds: Int64 = 86_400_000
        let days = milliseconds >= 0 ? milliseconds / dayMilliseconds : -((-milliseconds + dayMilliseconds - 1) / dayMilliseconds)
        let within = Int(milliseconds - days * dayMilliseconds)
        let pad = LocalTime.pad
        return "\(LocalDate(daysSinceEpoch: Int(days))) \(pad(within / 3_600_000, 2)):\(pad(within / 60_000 % 60, 2))"
            + ":\(pad(within / 1000 % 60, 2)).\(pad(within % 1000, 3))"
    }
}
