import Foundation
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct ReceiptTimeTests {
    /// Whatever fraction of a millisecond the instant has, the receipt's minute and day are those of the API's time.
    @Test func theReceiptsTimeIsTheMinuteTheAPIShows() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 946_684_800_000...4_102_444_799_999), Gen.double(in: 0..<1)) { milliseconds, fraction in
            let date = Date(timeIntervalSince1970: (Double(milliseconds) + fraction) / 1000)
            let iso = LocalTime.iso(date)  // 2026-11-23T09:30:00.000+07:00
            let day = iso.prefix(10).split(separator: "-")
            let expected = "\(iso.dropFirst(11).prefix(5)) ngày \(day[2])/\(day[1])/\(day[0])"
            #expect(ReceiptData.vietnameseTime(date) == expected, "\(iso)")
        }
        #expect(ReceiptData.vietnameseTime(Date(timeIntervalSince1970: 1_795_401_000)) == "09:30 ngày 23/11/2026")
        // Stored as 09:30:00.000, so not 09:29 on the receipt.
        #expect(ReceiptData.vietnameseTime(Date(timeIntervalSince1970: 1_795_401_000 - 0.000_3)) == "09:30 ngày 23/11/2026")
    }
}
