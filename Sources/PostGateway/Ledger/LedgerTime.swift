import Foundation
import GRDB

/// Instants as the ledger stores them: GRDB's text form, `yyyy-MM-dd HH:mm:ss.SSS` in UTC. Queries that compare
/// times compare this text, whose order is the instants' order, so a bound given to SQL must be written the same way.
package enum LedgerTime {
    package static func string(_ date: Date) -> String {
        // A Date's database value is always this text: GRDB never stores one otherwise.
        String.fromDatabaseValue(date.databaseValue)!
    }
}
