import Synchronization
import Testing
@testable import PostGateway

@Suite struct StaffTokenCacheTests {
    let clerk = StaffIdentity(name: "token:1", role: .clerk, officeCode: "250000")
    let start = ContinuousClock.now

    /// A look-up that counts its calls and answers what `answer` holds at the time.
    final class Ledger: Sendable {
        let answer: Mutex<StaffIdentity?>
        let reads = Atomic<Int>(0)
        init(_ answer: StaffIdentity?) { self.answer = Mutex(answer) }
        func lookUp() -> StaffIdentity? {
            reads.add(1, ordering: .relaxed)
            return answer.withLock { $0 }
        }
    }

    @Test func aKnownTokenIsLookedUpOnceForItsLifetimeAndAgainAfter() async throws {
        let cache = StaffTokenCache(lifetime: .seconds(1))
        let ledger = Ledger(clerk)
        for offset in [0, 300, 999] {
            let found = try await cache.identity(tokenHash: "h", now: start + .milliseconds(offset)) { ledger.lookUp() }
            #expect(found == clerk)
        }
        #expect(ledger.reads.load(ordering: .relaxed) == 1)
        _ = try await cache.identity(tokenHash: "h", now: start + .milliseconds(1000)) { ledger.lookUp() }
        #expect(ledger.reads.load(ordering: .relaxed) == 2)
    }

    @Test func aRevokedTokenIsRefusedOnceItsEntryIsOldAndIsNotKeptAfter() async throws {
        let cache = StaffTokenCache(lifetime: .seconds(1))
        let ledger = Ledger(clerk)
        _ = try await cache.identity(tokenHash: "h", now: start) { ledger.lookUp() }
        ledger.answer.withLock { $0 = nil }  // revoked from the command line
        #expect(try await cache.identity(tokenHash: "h", now: start + .milliseconds(500)) { ledger.lookUp() } == clerk)
        #expect(try await cache.identity(tokenHash: "h", now: start + .milliseconds(1001)) { ledger.lookUp() } == nil)
        #expect(try await cache.identity(tokenHash: "h", now: start + .milliseconds(1002)) { ledger.lookUp() } == nil)
        #expect(ledger.reads.load(ordering: .relaxed) == 3)
    }

    @Test func anUnknownTokenIsLookedUpEveryTimeSoThatANewOneWorksAtOnce() async throws {
        let cache = StaffTokenCache()
        let ledger = Ledger(nil)
        for _ in 0..<3 { #expect(try await cache.identity(tokenHash: "new", now: start) { ledger.lookUp() } == nil) }
        ledger.answer.withLock { $0 = clerk }  // created from the command line
        #expect(try await cache.identity(tokenHash: "new", now: start) { ledger.lookUp() } == clerk)
        #expect(ledger.reads.load(ordering: .relaxed) == 4)
    }

    @Test func aZeroLifetimeKeepsNothingAndAFullCacheStartsAgain() async throws {
        let ledger = Ledger(clerk)
        let uncached = StaffTokenCache(lifetime: .zero)
        for _ in 0..<2 { _ = try await uncached.identity(tokenHash: "h", now: start) { ledger.lookUp() } }
        #expect(ledger.reads.load(ordering: .relaxed) == 2)

        let small = StaffTokenCache(capacity: 2)
        let counted = Ledger(clerk)
        for hash in ["a", "b", "a", "b", "c", "a"] { _ = try await small.identity(tokenHash: hash, now: start) { counted.lookUp() } }
        // a, b read; a, b kept; c starts the cache again; a is read again.
        #expect(counted.reads.load(ordering: .relaxed) == 4)
    }
}
