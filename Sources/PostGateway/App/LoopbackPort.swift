import Foundation

/// Loopback ports for benchmarks and tests that start servers beside each other; a real deployment names its ports.
package enum LoopbackPort {
    /// A port the kernel chooses: bind to port 0, read what it chose, let it go.
    package static func free() throws -> Int {
        guard let port = bound(to: 0) else { throw POSIXError(.EADDRINUSE) }
        return port
    }

    /// Whether `port` can be bound on 127.0.0.1 now.
    package static func isFree(_ port: Int) -> Bool { bound(to: port) == port }

    /// Binds a socket to `port` on 127.0.0.1, answers the port it got and closes it; nil when it could not bind.
    private static func bound(to port: Int) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
