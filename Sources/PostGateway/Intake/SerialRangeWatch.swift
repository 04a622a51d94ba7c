import Foundation
import Logging
import ServiceLifecycle

/// Tells the operator in the log when an S10 series runs low, for as long as it stays low. A new block of numbers
/// comes from the post after paperwork: a warning logged once at a start months before the range ran out is no
/// warning, so the ledger's counters are looked at again every `interval`, a series running out is logged at once and
/// again each `repeatAfter`, and one that has just run out is logged at once. The metric and the readiness check say
/// the same whenever they are asked.
struct SerialRangeWatch: Service {
    /// What the log last said of a series.
    struct Said: Sendable, Equatable {
        let word: String
        let at: Date
    }

    let database: AppDatabase
    let series: [TrackingSeries]
    var interval: Duration = .seconds(600)
    var repeatAfter: TimeInterval = 24 * 3600
    let clock: @Sendable () -> Date
    let logger: Logger

    func run() async throws {
        var said: [String: Said] = [:]
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                said = try await check(after: said)
            } catch is CancellationError {
                return
            } catch {
                logger.error("serial ranges could not be read; will retry", metadata: ["error": .error(error)])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Logs what is due and answers what the log has now said.
    func check(after said: [String: Said]) async throws -> [String: Said] {
        let now = clock()
        var said = said
        for standing in try await database.serialsLeft(series) {
            guard Self.isDue(standing, after: said[standing.series.prefix], now: now, repeatAfter: repeatAfter) else { continue }
            logger.warning(
                standing.isExhausted
                    ? "S10 serials exhausted: items of this prefix are refused until tracking.serialRanges gives it a new range"
                    : "S10 serials running out: ask the post for the next range and add it to tracking.serialRanges",
                metadata: ["prefix": "\(standing.series.prefix)", "serials.left": "\(standing.left)"])
            said[standing.series.prefix] = Said(word: standing.word, at: now)
        }
        return said
    }

    /// Whether the log should speak of a standing now: never of a series with room; of one running out or exhausted
    /// when the log has not said that word of it yet (it ran out), or said it `repeatAfter` ago or more.
    static func isDue(_ standing: TrackingSeries.Standing, after said: Said?, now: Date, repeatAfter: TimeInterval) -> Bool {
        guard standing.isRunningOut else { return false }
        guard let said, said.word == standing.word else { return true }
        return now.timeIntervalSince(said.at) >= repeatAfter
    }
}
