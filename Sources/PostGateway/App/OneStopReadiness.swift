import Synchronization

/// The one-stop as `/ready` reports it. `/ready` is public, and each answer used to call the province's system: now
/// it is asked at most once per `maxAge` (one probe at a time; meanwhile the last answer stands: only before the first
/// answer may callers probe side by side), and a probe slower than `timeout` counts as unreachable, so a load
/// balancer's readiness check gets its answer in time.
final class OneStopReadiness: Sendable {
    private struct State {
        var last: (up: Bool, at: ContinuousClock.Instant)?
        var probing = false
    }

    private let probe: @Sendable () async -> Bool
    private let now: @Sendable () -> ContinuousClock.Instant
    private let maxAge: Duration
    private let timeout: Duration
    private let state = Mutex(State())

    init(
        maxAge: Duration = .seconds(2), timeout: Duration = .seconds(2), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        probe: @escaping @Sendable () async -> Bool
    ) {
        self.probe = probe
        self.now = now
        self.maxAge = maxAge
        self.timeout = timeout
    }

    func isUp() async -> Bool {
        let asked = now()
        let known: Bool? = state.withLock { state in
            if let last = state.last, asked - last.at < maxAge || state.probing { return last.up }
            state.probing = true
            return nil
        }
        if let known { return known }
        let up = await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.probe() }
            group.addTask {
                try? await Task.sleep(for: self.timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? false
        }
        let answered = now()
        state.withLock { $0 = State(last: (up, answered), probing: false) }
        return up
    }
}
