import PropertyBased
import Testing

@testable import PostGateway

@Suite struct TrackingSeriesTests {
    /// Two small disjoint ranges with a gap, so that a brute-force count over 1…300 can check every answer.
    static func series(_ first: Int, _ length: Int, gap: Int, _ secondLength: Int) throws -> TrackingSeries {
        try TrackingSeries(prefix: "PH", ranges: [(first + length + gap)...(first + length + gap + secondLength), first...(first + length)])
    }

    @Test func theNextSerialIsTheSmallestOfOursAboveTheCounterAndTheCountLeftIsExact() async {
        await propertyCheck(
            input: Gen.int(in: 1...60), Gen.int(in: 0...40), Gen.int(in: 1...40), Gen.int(in: 0...40), Gen.int(in: 0...300)
        ) { first, length, gap, secondLength, last in
            let series = try! Self.series(first, length, gap: gap, secondLength)
            let ours = (1...300).filter { serial in series.ranges.contains { $0.contains(serial) } }
            #expect(series.serial(after: last) == ours.first { $0 > last })
            #expect(series.left(after: last) == ours.filter { $0 > last }.count)
            #expect(series.size == ours.count)
        }
    }

    @Test func overlappingRangesOfOnePrefixAreRefused() {
        #expect(throws: TrackingSeries.Invalid.overlapping(10...20, 20...30)) {
            try TrackingSeries(prefix: "PH", ranges: [20...30, 10...20])
        }
        #expect(throws: TrackingSeries.Invalid.outOfBounds(0...5)) { try TrackingSeries(prefix: "PH", ranges: [0...5]) }
        #expect(throws: TrackingSeries.Invalid.empty) { try TrackingSeries(prefix: "PH", ranges: []) }
    }

    @Test func aTenthLeftIsRunningOutAndNoneLeftIsExhausted() throws {
        let series = try TrackingSeries(prefix: "PH", ranges: [1_000...1_999])
        #expect(series.standing(after: 0).word == "ok")
        #expect(series.standing(after: 1_899).word == "ok")  // 100 of 1,000 left: a tenth, not under it
        #expect(series.standing(after: 1_900).word == "runningOut")
        #expect(series.standing(after: 1_999).word == "exhausted")
    }

    @Test func rangesAreReadAsOperatorsWriteThemAndAnythingElseIsRefused() async {
        #expect(TrackingSeries.ranges("10000000-19999999, 30000000-30999999") == [10_000_000...19_999_999, 30_000_000...30_999_999])
        for bad in ["", "1-", "-5", "9-3", "1..5", "1-123456789", "a-b", "1-2-3"] { #expect(TrackingSeries.ranges(bad) == nil, "\(bad)") }
        await propertyCheck(input: Gen.int(in: 1...TrackingNumber.maxSerial), Gen.int(in: 0...1_000_000)) { lower, width in
            let upper = min(TrackingNumber.maxSerial, lower + width)
            #expect(TrackingSeries.ranges("\(lower)-\(upper)") == [lower...upper])
        }
    }
}
