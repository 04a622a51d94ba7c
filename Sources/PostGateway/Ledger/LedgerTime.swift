import Foundation

/// Instants as the ledger stores them: `yyyy-MM-dd HH:mm:ss.SSS` in UTC, the text form GRDB reads back as a
/// `Date`. Formatted here with integer arithmetic because GRDB's DateFormatter showed in intake profiles.
enum LedgerTime {
    static func string(_ date: Date) -> String {
        let utc = LocalTime.Reading(date, offsetSeconds: 0)
        let pad = LocalTime.pad
        return "\(utc.day) \(pad(utc.hour, 2)):\(pad(utc.minute, 2)):\(pad(utc.second, 2)).\(pad(utc.millisecond, 3))"
    }
}
