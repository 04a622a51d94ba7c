import Synchronization

/// The sandbox's knobs, changed at run time through `/_sandbox`: faults to inject and the demo autopilot.
final class SandboxControls: Sendable {
    struct Faults: Sendable, Equatable {
        var errorRate = 0.0
        var latencyMs = 0
        var dropResponseRate = 0.0
        var callbackErrorRate = 0.0
    }

    struct Autopilot: Sendable, Equatable {
        var enabled = false
        var receiveAfterSeconds = 5
        var resultAfterSeconds = 20
        /// How often a citizen who filed online orders delivery by post (0: never).
        var orderEverySeconds = 30
    }

    /// Faults of the message providers' stand-ins, apart from the one-stop's: a test can break one and not the other.
    struct MessageFaults: Sendable, Equatable {
        var errorRate = 0.0
        var dropResponseRate = 0.0
        /// Numbers (`84…`) Zalo answers have no account (-118): their messages go by SMS.
        var noZaloPhones: Set<String> = []
        /// How long an access token the sandbox hands out stays good.
        var accessTokenSeconds = 3600
    }

    private let state = Mutex<(faults: Faults, autopilot: Autopilot, messages: MessageFaults)>((Faults(), Autopilot(), MessageFaults()))

    init(autopilot: Autopilot = Autopilot()) {
        state.withLock { $0.autopilot = autopilot }
    }

    var faults: Faults {
        state.withLock { $0.faults }
    }

    var autopilot: Autopilot {
        state.withLock { $0.autopilot }
    }

    var messageFaults: MessageFaults {
        state.withLock { $0.messages }
    }

    func set(_ faults: Faults) { state.withLock { $0.faults = faults } }
    func set(_ faults: MessageFaults) { state.withLock { $0.messages = faults } }
    func set(_ autopilot: Autopilot) { state.withLock { $0.autopilot = autopilot } }

    /// True with probability `rate`.
    static func roll(_ rate: Double) -> Bool { rate > 0 && Double.random(in: 0..<1) < rate }
}
