import Synchronization
import Testing
@testable import PostGateway

/// `/ready` is public: calling it in a loop must not make the gateway call the one-stop at the caller's pace, and a
/// one-stop that hangs must not make `/ready` hang.
@Suite struct OneStopReadinessTests {
    @Test func manyAsksWithinTheAgeCallTheOneStopOnce() async {
        let calls = Mutex(0)
        let readiness = OneStopReadiness(maxAge: .seconds(60)) { calls.withLock { $0 += 1 }; return true }
        #expect(await readiness.isUp())
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { await readiness.isUp() } }
            for await up in group { #expect(up) }
        }
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func aOneStopThatDoesNotAnswerInTimeIsUnreachable() async {
        let readiness = OneStopReadiness(timeout: .milliseconds(100)) {
            try? await Task.sleep(for: .seconds(30))
            return true
        }
        let started = ContinuousClock.now
        #expect(await readiness.isUp() == false)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func anAnswerOlderThanTheAgeIsAskedAgain() async throws {
        let up = Mutex(true)
        let readiness = OneStopReadiness(maxAge: .milliseconds(50)) { up.withLock { $0 } }
        #expect(await readiness.isUp())
        up.withLock { $0 = false }
        #expect(await readiness.isUp())  // still the last answer
        try await Task.sleep(for: .milliseconds(100))
        #expect(await readiness.isUp() == false)
    }
}
