import Foundation

/// How many wrong PINs a dossier takes: after `limit` wrong PINs within `window`, across all its codes (its PH
/// number, its results' PK numbers, its mã hồ sơ) and from any address, its PIN view stays closed for `closedFor`.
/// A 6-digit PIN has a million values: per-minute limits per client and per code alone let one fall in days.
///
/// While closed, the right PIN is answered exactly like a wrong one, and attempts are not counted (so a guesser
/// cannot keep it closed for ever); the code-only journey still shows, and the counter still sees everything.
struct PinGuard: Sendable {
    var limit = 10
    var window: TimeInterval = 24 * 3600
    var closedFor: TimeInterval = 24 * 3600

    enum Verdict: Equatable, Sendable {
        /// The PIN may be checked.
        case open
        /// The PIN view is closed until then.
        case closed(until: Date)
    }
}
