import Foundation
import GRDB
import PropertyBased
import Synchronization
import Testing

@testable import PostGateway

/// The log keeps telling the operator about a series running low while the gateway runs, not only at its start.
@Suite struct SerialRangeWatchTests {
    static let day: TimeInterval = 24 * 3600

    /// Over any run of checks (serials issued, the clock moving on, now and then a new block of 100 from the post), a
    /// low series has been logged with its present word within the last day at every check, a series with room is not
    /// logged, and the log says the same word of the series at most once a day while it stays so.
    @Test func aLowSeriesIsLoggedAtOnceAndDailyAndNoMoreOften() async throws {
        let checks = zip(Gen.int(in: 0...12), Gen.double(in: 0...(2 * Self.day)), Gen.int(in: 0...9)).array(of: 1...40)
        await propertyCheck(input: checks) { checks in
            var blocks = [1_000...1_099]
            var issued = 0
            var now = Date(timeIntervalSince1970: 1_800_000_000)
            var said: SerialRangeWatch.Said?
            var logged: [(word: String, at: Date)] = []
            for (count, elapsed, draw) in checks {
                if draw == 0 { blocks.append((blocks.count + 1) * 1_000...(blocks.count + 1) * 1_000 + 99) }
                let series = try! TrackingSeries(prefix: "PH", ranges: blocks)
                issued = min(issued + count, series.size)
                // The counter after `issued` serials, walked through the ranges as intake walks them.
                var last = 0
                for _ in 0..<issued { last = series.serial(after: last)! }
                let standing = series.standing(after: last)
                #expect(standing.left == series.size - issued)
                now += elapsed
                let due = SerialRangeWatch.isDue(standing, after: said, now: now, repeatAfter: Self.day)
                #expect(!due || standing.isRunningOut, "a series with room logged")
                if due {
                    said = .init(word: standing.word, at: now)
                    logged.append((standing.word, now))
                }
                if standing.isRunningOut {
                    #expect(said?.word == standing.word && now.timeIntervalSince(said!.at) < Self.day, "a low series left unsaid")
                }
            }
            for (earlier, later) in zip(logged, logged.dropFirst()) where earlier.word == later.word {
                #expect(later.at.timeIntervalSince(earlier.at) >= Self.day, "the same word twice within a day")
            }
        }
    }

    @Test func checksOfTheLedgerWarnWhenTheSeriesRunsLowAgainADayLaterAndWhenItRunsOut() async throws {
        let database = try TestSupport.ledger()
        let series = try TrackingSeries(prefix: "PH", ranges: [1...20])
        let logs = CapturedLogs()
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let watch = SerialRangeWatch(database: database, series: [series], clock: { now.withLock { $0 } }, logger: logs.logger)
        func issue(_ count: Int) async throws {
            try await database.write { db in for _ in 0..<count { _ = try AppDatabase.nextSerial(series, in: db) } }
        }
        func lines() -> [String] { logs.text.split(separator: "\n").map(String.init) }

        try await issue(18)
        var said = try await watch.check(after: [:])
        #expect(lines().isEmpty, "2 of 20 left is a tenth, not under it")

        try await issue(1)
        said = try await watch.check(after: said)
        #expect(lines().count == 1)
        #expect(lines().last?.hasPrefix("warning S10 serials running out") == true)
        #expect(lines().last?.contains(#""prefix": PH"#) == true && lines().last?.contains(#""serials.left": 1"#) == true)

        now.withLock { $0 += 3600 }
        said = try await watch.check(after: said)
        #expect(lines().count == 1, "an hour later: said already")

        now.withLock { $0 += Self.day }
        said = try await watch.check(after: said)
        #expect(lines().count == 2 && lines().last?.contains("running out") == true, "a day later: said again")

        try await issue(1)
        said = try await watch.check(after: said)
        #expect(lines().count == 3 && lines().last?.hasPrefix("warning S10 serials exhausted") == true, "run out: said at once")
        #expect(said["PH"]?.word == "exhausted")
    }
}
