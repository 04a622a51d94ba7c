import Foundation
import GRDB
import PropertyBased
import Testing
@testable import PostGateway

@Suite struct LedgerTimeTests {
    static func read(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { LedgerTime.date(utf8: $0) }
    }

    /// The fast reading of first tracking lookups gives back the instant the ledger wrote, to the millisecond, as GRDB does.
    @Test func readsBackEveryInstantItWrites() async {
        await propertyCheck(input: Gen.int(in: 946_684_800_000...4_102_444_799_999)) { milliseconds in
            let written = LedgerTime.string(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            let read = Self.read(written)
            #expect(read.map(LedgerTime.string) == written)
            let byGRDB = Date.fromDatabaseValue(written.databaseValue)
            #expect(read.map { abs($0.timeIntervalSince(byGRDB!)) < 0.000_5 } == true)
        }
    }

    /// Ten seconds of consecutive milliseconds: the nearest double to some of them over 1000 falls just short.
    @Test func readsBackEveryMillisecondOfARun() {
        var wrong: [String] = []
        for milliseconds in Int64(2_171_398_491_000)..<2_171_398_501_000 {
            let written = LedgerTime.string(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            if Self.read(written).map(LedgerTime.string) != written { wrong.append(written) }
        }
        let misread = wrong.count
        #expect(misread == 0, "for example \(wrong.prefix(3))")
    }

    @Test(arguments: ["2026-11-21 09:30:00", "2026-02-30 09:30:00.000", "2026-11-21T09:30:00.123", "2026-13-01 09:30:00.000", "2026-11-21 24:00:00.000",
                      "2026-11-2a 09:30:00.000", "2026-11-21 09:30:00.1234", ""])
    func leavesAnyOtherTextToGRDB(_ text: String) {
        #expect(Self.read(text) == nil)
    }
}
