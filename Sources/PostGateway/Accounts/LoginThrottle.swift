import Crypto
import Foundation

/// How hard a login is after failed attempts, counted per account and per address. The first few failures cost
/// nothing; each further one doubles the wait before the next attempt is even checked (1 s, 2 s, 4 s …), up to 15
/// minutes. Nothing ever locks: a lock an outsider can trigger is a way to keep staff, `admin` included, out.
///
/// The account is the username as typed, known or not, so that an outsider learns nothing of which usernames
/// exist: both get the same answers, in the same order, after the same bcrypt work.
enum LoginThrottle {
    struct Rule: Sendable {
        let freeFailures: Int
        var maxWaitSeconds = 15 * 60
    }

    static let perAccount = Rule(freeFailures: 3)
    /// The counters of one office often reach the gateway from one address (NAT): more room before it slows.
    static let perAddress = Rule(freeFailures: 20)
    /// Failures older than this are forgotten.
    static let memory: TimeInterval = 24 * 3600

    /// The seconds still to wait before an attempt is checked, or nil when it may be checked now.
    static func wait(failures: Int, lastFailure: Date?, now: Date, rule: Rule) -> Int? {
        guard failures >= rule.freeFailures, let lastFailure else { return nil }
        let doublings = min(failures - rule.freeFailures, 30)
        let delay = min(1 << doublings, rule.maxWaitSeconds)
        let waited = now.timeIntervalSince(lastFailure)
        return waited >= Double(delay) ? nil : max(1, Int((Double(delay) - waited).rounded(.up)))
    }

    /// The ledger's key for a username: hashed, so that a password typed into the username field is never stored.
    static func accountKey(_ username: String) -> String {
        "account:" + Hex.string(SHA256.hash(data: Data(username.utf8)))
    }

    static func addressKey(_ address: String) -> String { "address:" + address }
}
