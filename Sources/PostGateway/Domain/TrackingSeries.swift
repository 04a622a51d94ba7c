/// The S10 serials this gateway may issue under one prefix: the ranges the post allocated to it.
///
/// Two gateways counting from 1 would print the same numbers on two items; the post avoids that by allocating each
/// province and office its own blocks. Serials are issued in order through the ranges and never reused: a counter
/// that reaches the end of one range goes on at the start of the next, and past the last one nothing is issued.
package struct TrackingSeries: Sendable, Equatable {
    let prefix: String
    /// In order, disjoint, within 1…`TrackingNumber.maxSerial`.
    let ranges: [ClosedRange<Int>]

    package enum Invalid: Error, Equatable {
        case outOfBounds(ClosedRange<Int>)
        case overlapping(ClosedRange<Int>, ClosedRange<Int>)
        case empty
    }

    /// No serial is left: the intake (or result item) is refused rather than given a number that is not ours.
    package struct Exhausted: Error, Equatable {
        let prefix: String
    }

    /// Every serial of the prefix: a gateway that was allocated no range counts from 1, as it always did.
    static func whole(_ prefix: String) -> TrackingSeries {
        TrackingSeries(prefix: prefix, checked: [1...TrackingNumber.maxSerial])
    }

    init(prefix: String, ranges: [ClosedRange<Int>]) throws(Invalid) {
        guard !ranges.isEmpty else { throw .empty }
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        if let outside = sorted.first(where: { $0.lowerBound < 1 || $0.upperBound > TrackingNumber.maxSerial }) {
            throw .outOfBounds(outside)
        }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.overlaps(later) {
            throw .overlapping(earlier, later)
        }
        self.init(prefix: prefix, checked: sorted)
    }

    private init(prefix: String, checked ranges: [ClosedRange<Int>]) {
        self.prefix = prefix
        self.ranges = ranges
    }

    /// How many serials the ranges hold.
    var size: Int { ranges.reduce(0) { $0 + $1.count } }

    /// The serial to issue after `last` (the ledger's counter, 0 before the first): the smallest of ours above it.
    func serial(after last: Int) -> Int? {
        guard let range = ranges.first(where: { $0.upperBound > last }) else { return nil }
        return max(range.lowerBound, last + 1)
    }

    /// How many serials are still ours to issue after `last`.
    func left(after last: Int) -> Int {
        ranges.reduce(0) { left, range in left + max(0, range.upperBound - max(range.lowerBound - 1, last)) }
    }

    /// A series beside the serials it has left, after the ledger's counter.
    struct Standing: Sendable, Equatable {
        let series: TrackingSeries
        let left: Int

        var isExhausted: Bool { left == 0 }
        /// Under a tenth of the series left: time for the operator to ask the post for the next block, which takes
        /// paperwork, while there are still weeks of numbers.
        var isRunningOut: Bool { left * 10 < series.size }
        /// What the readiness check and the start-up log say of it.
        var word: String { isExhausted ? "exhausted" : isRunningOut ? "runningOut" : "ok" }
    }

    func standing(after last: Int) -> Standing { Standing(series: self, left: left(after: last)) }

    /// Whether `count` serials from `first` on lie in one range (a seed writes them without asking the counter).
    func holds(_ count: Int, from first: Int) -> Bool {
        ranges.contains { $0.contains(first) && first + count - 1 <= $0.upperBound }
    }
}

extension TrackingSeries {
    /// Ranges as an operator writes them: `10000000-19999999`, several separated by spaces or commas.
    static func ranges(_ text: some StringProtocol) -> [ClosedRange<Int>]? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," })
        guard !parts.isEmpty else { return nil }
        var ranges: [ClosedRange<Int>] = []
        for part in parts {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, ends.allSatisfy({ !$0.isEmpty && $0.isASCIIDigits && $0.count <= 8 }),
                let lower = Int(ends[0]), let upper = Int(ends[1]), lower <= upper
            else { return nil }
            ranges.append(lower...upper)
        }
        return ranges
    }
}
