import Foundation
import Synchronization

/// Counts requests per key in fixed one-minute windows and says when a key has had its share. Memory stays
/// bounded: all counts are dropped when the window turns, so a flood of distinct keys lasts a minute at most.
final class RateLimiter: Sendable {
    private struct State {
        var windowStart: Int64 = 0
        var counts: [String: Int] = [:]
    }

    let limitPerMinute: Int
    private let state = Mutex(State())

    init(limitPerMinute: Int) {
        self.limitPerMinute = limitPerMinute
    }

    /// nil when the request may go ahead (and is counted); otherwise the seconds until the window turns.
    func retryAfter(_ key: String, now: Date) -> Int? {
        let second = Int64(now.timeIntervalSince1970)
        let window = second - second % 60
        return state.withLock { state in
            if state.windowStart != window {
                state.windowStart = window
                state.counts.removeAll(keepingCapacity: true)
            }
            let count = state.counts[key, default: 0]
            guard count < limitPerMinute else { return Int(window + 60 - second) }
            state.counts[key] = count + 1
            return nil
        }
    }
}
