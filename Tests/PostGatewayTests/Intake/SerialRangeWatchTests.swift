import Foundation
import GRDB
import PropertyBased
import Synchronization
import Testing

@testable import PostGateway

/// The log keeps telling the operator about a series running low while the gateway runs, not only at its start.
@Suite struct SerialRangeWatchTests {
    static let day: TimeInterval = 24 * 3600

    /// Over any run of checks (the counter moving on, the clock moving on), a low series has been logged with its
    /// present word within the last day at every check, a series with room is never logged, and the log says the same
    /// word of the same series at most once a day.
    @Test func aLowSeriesIsLoggedAtOnceAndDailyAndNoMoreOften() async throws {
        let series = try TrackingSeries(prefix: "PH", ranges: [1_000...1_099])
        let checks = zip(Gen.int(in: 0...12), Gen.double(in: 0...(2 * Self.day))).array(of: 1...30)
        await propertyCheck(input: checks) { checks in
            var last = 999
            var now = Date(timeIntervalSince1970: 1_800_000_000)
            var said: SerialRangeWatch.Said?
            var logged: [(word: String, at: Date)] = []
            for (issued, elapsed) in checks {
                last = min(last + issued, 1_099)
                now += elapsed
                let standing = series.standing(after: last)
                if SerialRangeWatch.isDue(standing, after: said, now: now, repeatAfter: Self.day) {
                    said = .init(word: standing.word, at: now)
                    logged.append((standing.word, now))
                }
                if standing.isRunningOut {
                    #expect(said?.word == standing.word && now.timeIntervalSince(said!.at) < Self.day)
                } else {
                    #expect(logged.isEmpty)
                }
            }
            for (earlier, later) in zip(logged, logged.dropFirst()) where earlier.word == later.word {
                #expect(later.at.timeIntervalSince(earlier.at) >= Self.day)
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
