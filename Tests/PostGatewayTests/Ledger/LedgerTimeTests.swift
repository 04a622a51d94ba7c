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

    /// The text written here is GRDB's own for the same Date, to the millisecond, for instants that fall between two
    /// milliseconds too (a clock's `Date()` does) and on the days calendars get wrong: leap days, ends of years.
    @Test func isTheTextGRDBWritesForTheSameInstant() async {
        await propertyCheck(count: 5000, input: Gen.int(in: 0...7_258_118_399_999), Gen.double(in: 0..<1)) { milliseconds, fraction in
            let date = Date(timeIntervalSince1970: (Double(milliseconds) + fraction) / 1000)
            #expect(LedgerTime.string(date) == String.fromDatabaseValue(date.databaseValue))
        }
        let edges = [
            "1970-01-01 00:00:00.000", "2000-02-29 23:59:59.999", "2024-02-29 12:00:00.500", "2025-12-31 23:59:59.999",
            "2100-03-01 00:00:00.001", "2400-02-29 00:00:00.000", "9999-12-31 23:59:59.999",
        ]
        for edge in edges {
            let date = Date.fromDatabaseValue(edge.databaseValue)!
            #expect(LedgerTime.string(date) == edge)
            #expect(LedgerTime.string(date.addingTimeInterval(0.000_4)) == String.fromDatabaseValue(date.addingTimeInterval(0.000_4).databaseValue))
        }
        // Outside the years written here, GRDB's answer.
        let early = Date(timeIntervalSince1970: -86_400 * 365.25 * 100)
        #expect(LedgerTime.string(early) == String.fromDatabaseValue(early.databaseValue))
    }

    /// An instant taken from the clock is cut to the ledger's millisecond once, and then the API's time, the ledger's
    /// text and the time read back from the ledger all name the same millisecond, whatever fraction the clock had.
    @Test func theAPIShowsTheMillisecondTheLedgerStores() async {
        await propertyCheck(count: 5000, input: Gen.int(in: 946_684_800_000...4_102_444_799_999), Gen.double(in: 0..<1)) { milliseconds, fraction in
            let taken = LocalTime.millisecondPrecision(Date(timeIntervalSince1970: (Double(milliseconds) + fraction) / 1000))
            let stored = LedgerTime.string(taken)
            let read = Date.fromDatabaseValue(stored.databaseValue)!
            #expect(LedgerTime.string(read) == stored)
            #expect(String(LocalTime.iso(taken).dropFirst(20).prefix(3)) == String(stored.suffix(3)), "\(stored) \(LocalTime.iso(taken))")
            #expect(LocalTime.iso(read) == LocalTime.iso(taken))
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
