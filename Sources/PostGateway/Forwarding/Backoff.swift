import Foundation

/// Exponential backoff with full jitter: the n-th retry waits a random time in [0, min(cap, base · 2ⁿ)], so that
/// a one-stop coming back is not met by every message at once.
struct Backoff: Sendable {
    var base: TimeInterval = 1
    var cap: TimeInterval = 15 * 60

    func delay(afterAttempt attempt: Int, random: Double = .random(in: 0...1)) -> TimeInterval {
        let ceiling = min(cap, base * pow(2, Double(min(attempt, 30))))
        return ceiling * random
    }
}
