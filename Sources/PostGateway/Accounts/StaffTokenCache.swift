import Synchronization

/// API tokens the ledger has just vouched for, so that a counter sending intake after intake is not looked up in the
/// ledger on every request: that read was an eighth of an intake's time on the request's thread, most of it SQLite
/// starting a read after each commit of other intakes.
///
/// A kept token is looked up again once it is `lifetime` old. Tokens are revoked from the command line, another
/// process this one is never told about, so a revoked token stops working on a running server within that time.
/// A token the ledger does not know is never kept: a token made a moment ago works at once.
final class StaffTokenCache: Sendable {
    private struct Entry {
        let identity: StaffIdentity
        let checkedAt: ContinuousClock.Instant
    }

    static let defaultLifetime: Duration = .seconds(1)

    /// Zero keeps nothing: every request is looked up.
    let lifetime: Duration
    /// Past this many tokens the cache starts again (a gateway has a token per counter or scanner, not thousands).
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: Duration = defaultLifetime, capacity: Int = 1024) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The identity of the token with this hash: kept, or `lookUp`'s answer, which is kept if it names someone.
    func identity(tokenHash: String, now: ContinuousClock.Instant = .now,
                  lookUp: () async throws -> StaffIdentity?) async throws -> StaffIdentity? {
        if let entry = entries.withLock({ $0[tokenHash] }), entry.checkedAt.duration(to: now) < lifetime {
            return entry.identity
        }
        // Dated from before the look-up: a revocation committed while it ran counts from then.
        let identity = try await lookUp()
        entries.withLock { entries in
            guard let identity, lifetime > .zero else {
                entries[tokenHash] = nil
                return
            }
            if entries.count >= capacity && entries[tokenHash] == nil { entries.removeAll(keepingCapacity: true) }
            entries[tokenHash] = Entry(identity: identity, checkedAt: now)
        }
        return identity
    }
}
