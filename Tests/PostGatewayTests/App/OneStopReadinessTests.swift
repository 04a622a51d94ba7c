import Synchronization
import Testing

@testable import PostGateway

/// `/ready` is public: calling it in a loop must not make the gateway call the one-stop at the caller's pace, and a
/// one-stop that hangs must not make `/ready` hang.
@Suite struct OneStopReadinessTests {
    @Test func manyAsksWithinTheAgeCallTheOneStopOnce() async {
        let calls = Mutex(0)
        let readiness = OneStopReadiness(maxAge: .seconds(60)) {
            calls.withLock { $0 += 1 }
            return true
        }
        #expect(await readiness.isUp())
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { await readiness.isUp() } }
            for await up in group { #expect(up) }
        }
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func aOneStopThatDoesNotAnswerInTimeIsUnreachable() async {
        // A probe that would answer "up" after an hour, unless it is stopped first.
        let readiness = OneStopReadiness(timeout: .milliseconds(100)) {
            (try? await Task.sleep(for: .seconds(3600))) != nil
        }
        #expect(await readiness.isUp() == false)
    }

    @Test func anAnswerOlderThanTheAgeIsAskedAgain() async throws {
        let up = Mutex(true)
        let start = ContinuousClock.now
        let elapsed = Mutex(Duration.zero)
        let readiness = OneStopReadiness(maxAge: .seconds(2), now: { start + elapsed.withLock { $0 } }, probe: { up.withLock { $0 } })
        #expect(await readiness.isUp())
        up.withLock { $0 = false }
        elapsed.withLock { $0 = .seconds(1) }
        #expect(await readiness.isUp())  // still the last answer
        elapsed.withLock { $0 = .seconds(3) }
        #expect(await readiness.isUp() == false)
    }
}
