import Foundation
import Synchronization

@testable import PostGateway

/// Ports for the servers tests start. They lie below Linux's ephemeral range (32768–60999 by default), which the
/// kernel's own choice for port 0 and every client connection's local port come from: a port chosen there could be
/// taken by a parallel test's connection between this check and the server's bind, and the server would fail to start.
/// Each is handed out once per test process, in turn from a start that depends on the process id, so that two test
/// processes on one machine seldom meet either.
enum TestPorts {
    static let range = 20_000..<32_768
    private static let next = Mutex(range.lowerBound + Int(getpid()) * 211 % range.count)

    static func free() throws -> Int {
        for _ in 0..<range.count {
            let port = next.withLock { next in
                defer { next = next + 1 == range.upperBound ? range.lowerBound : next + 1 }
                return next
            }
            if LoopbackPort.isFree(port) { return port }
        }
        throw POSIXError(.EADDRINUSE)
    }
}

/// A free loopback port for a server a test starts.
func freePort() throws -> Int { try TestPorts.free() }
