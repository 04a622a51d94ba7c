import Foundation
import GRDB

/// Instants as the ledger stores them: GRDB's text form, `yyyy-MM-dd HH:mm:ss.SSS` in UTC. Queries that compare
/// times compare this text, whose order is the instants' order, so a bound given to SQL must be written the same way.
package enum LedgerTime {
    /// The text GRDB stores for `date`. Written here, not asked of GRDB's one shared `DateFormatter`, because every
    /// write stamps several instants and that formatter serialises them all behind one lock. The milliseconds are the
    /// formatter's (`LocalTime.milliseconds`), which every reading of an instant shows too; `LedgerTimeTests` checks
    /// the text against GRDB's. Outside 1970–9999 GRDB's own answer is given.
    package static func string(_ date: Date) -> String {
        let milliseconds = LocalTime.milliseconds(date)
        guard milliseconds >= 0, milliseconds < 253_402_300_800_000 else {
            // A Date's database value is always this text: GRDB never stores one otherwise.
            return String.fromDatabaseValue(date.databaseValue)!
        }
        let utc = LocalTime.Reading(millisecondsSince1970: Int64(milliseconds), offsetSeconds: 0)
        let pad = LocalTime.pad
        return "\(utc.day) \(pad(utc.hour, 2)):\(pad(utc.minute, 2)):\(pad(utc.second, 2)).\(pad(utc.millisecond, 3))"
    }
}
