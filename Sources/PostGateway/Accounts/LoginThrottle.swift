import Foundation

/// How hard a login is after failed attempts on one account: the first three failures cost nothing, each
/// further one doubles the wait before the next attempt is even checked (1 s, 2 s, 4 s … 64 s), and the
/// tenth locks the account until an admin resets its password. A per-address limit sits in front of this.
enum LoginThrottle {
    static let freeFailures = 3
    static let lockAfter = 10

    enum Verdict: Equatable, Sendable {
        case proceed
        case wait(seconds: Int)
        case locked
    }

    static func verdict(failures: Int, lastFailure: Date?, now: Date) -> Verdict {
        if failures >= lockAfter { return .locked }
        guard failures >= freeFailures, let lastFailure else { return .proceed }
        let delay = 1 << (failures - freeFailures)
        let waited = now.timeIntervalSince(lastFailure)
        return waited >= Double(delay) ? .proceed : .wait(seconds: max(1, Int((Double(delay) - waited).rounded(.up))))
    }
}
