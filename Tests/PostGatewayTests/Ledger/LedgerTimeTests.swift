import Foundation
import GRDB
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct LedgerTimeTests {
    /// A bound written for SQL is the text a record's Date is stored as, and reads back to the same millisecond.
    @Test func writesTheTextGRDBStoresAndReadsBack() async {
        await propertyCheck(input: Gen.int(in: 946_684_800_000...4_102_444_799_999)) { milliseconds in
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let written = LedgerTime.string(date)
            #expect(written.utf8.count == 23 && written.dropFirst(10).hasPrefix(" "))
            let read = Date.fromDatabaseValue(written.databaseValue)
            #expect(read.map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
            #expect(read.map(LedgerTime.string) == written)
        }
    }

    /// Text order is time order, which the reports' and the PIN guard's range queries rely on.
    @Test func textOrderIsTimeOrder() async {
        await propertyCheck(input: Gen.int(in: 946_684_800_000...4_102_444_799_999), Gen.int(in: 0...100_000_000_000)) { start, step in
            let earlier = Date(timeIntervalSince1970: Double(start) / 1000)
            let later = Date(timeIntervalSince1970: Double(start + step) / 1000)
            #expect(LedgerTime.string(earlier) <= LedgerTime.string(later))
        }
    }
}
