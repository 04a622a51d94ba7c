import Foundation
import NIOCore

/// The reverse proxies (TLS terminators, load balancers) whose `X-Forwarded-For` header the gateway believes.
///
/// Behind a proxy every request comes from the proxy's address, so rate limits per client and the audit log's
/// addresses would lump all citizens together. A request from a trusted proxy is instead taken to come from the
/// right-most address in its `X-Forwarded-For` that is not itself a trusted proxy: what the first proxy saw.
/// Anything to the left of it was written by the client and may be forged. A request from any other peer is
/// taken to come from that peer, whatever its headers say.
struct TrustedProxies: Sendable, Equatable {
    /// An address block: `10.0.0.0/8`, `2001:db8::/32`, or one address (`192.0.2.7`).
    struct Network: Sendable, Equatable, CustomStringConvertible {
        let address: [UInt8]
        let prefixLength: Int

        init?(_ text: some StringProtocol) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let address = Self.packed(parts[0]) else { return nil }
            let length = parts.count == 2 ? Int(parts[1]) : address.count * 8
            guard let length, (0...address.count * 8).contains(length) else { return nil }
            // A block written in IPv4-mapped form is the IPv4 block, since mapped addresses are compared as IPv4.
            if let ipv4 = Self.ipv4(mappedIn: address), length >= 96 {
                (self.address, prefixLength) = (ipv4, length - 96)
            } else {
                (self.address, prefixLength) = (address, length)
            }
        }

        func contains(_ other: [UInt8]) -> Bool {
            // An IPv4 address is also its mapped IPv6 address, so an IPv6 block around ::ffff:0:0/96 (`::/0`) holds it.
            if other.count == 4, address.count == 16 { return contains(Self.mappedPrefix + other) }
            guard other.count == address.count else { return false }
            let whole = prefixLength / 8
            let rest = prefixLength % 8
            guard other.prefix(whole) == address.prefix(whole) else { return false }
            guard rest > 0 else { return true }
            let mask = UInt8(0xFF) << (8 - rest)
            return other[whole] & mask == address[whole] & mask
        }

        var description: String { "\(Self.text(address))/\(prefixLength)" }

        /// The 4 or 16 bytes of an IPv4 or IPv6 address in text, or nil if it is none. An IPv4-mapped IPv6
        /// address (`::ffff:192.0.2.7`) is its IPv4 address: a socket listening on `::` sees every IPv4 client so.
        static func bytes(_ text: some StringProtocol) -> [UInt8]? {
            packed(text).map { ipv4(mappedIn: $0) ?? $0 }
        }

        /// The bytes as written, mapped or not.
        private static func packed(_ text: some StringProtocol) -> [UInt8]? {
            switch try? SocketAddress(ipAddress: String(text), port: 0) {
            case .v4(let address)?: withUnsafeBytes(of: address.address.sin_addr) { Array($0) }
            case .v6(let address)?: withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            default: nil
            }
        }

        /// `::ffff:0:0/96`: an IPv4 address is these 12 bytes, then its own 4.
        private static let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]

        /// The IPv4 address inside `::ffff:0:0/96`, if that is where the bytes are.
        private static func ipv4(mappedIn bytes: [UInt8]) -> [UInt8]? {
            bytes.count == 16 && bytes.starts(with: mappedPrefix) ? Array(bytes.suffix(4)) : nil
        }

        /// The address in its usual text: dotted for IPv4, compressed for IPv6 (`2001:db8::`).
        static func text(_ bytes: [UInt8]) -> String {
            let address = try? SocketAddress(packedIPAddress: ByteBuffer(bytes: bytes), port: 0)
            return address?.ipAddress ?? bytes.map(String.init).joined(separator: ".")
        }
    }

    let networks: [Network]

    static let none = TrustedProxies(networks: [])

    /// From a comma-separated list of blocks, or the first entry that is not one.
    static func parse(_ list: String) -> Result<TrustedProxies, BadEntry> {
        var networks: [Network] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let network = Network(entry) else { return .failure(BadEntry(entry: entry)) }
            networks.append(network)
        }
        return .success(TrustedProxies(networks: networks))
    }

    struct BadEntry: Error, Equatable { let entry: String }

    func trusts(_ address: [UInt8]) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The address a request is taken to come from: its peer, or for a trusted proxy's request what that proxy
    /// was told. A malformed entry ends the walk at the proxy that passed it on.
    func client(peer: String?, forwardedFor: String?) -> String? {
        guard !networks.isEmpty, let peer, let peerBytes = Network.bytes(peer), trusts(peerBytes), let forwardedFor else { return peer }
        var client = peer
        for entry in forwardedFor.split(separator: ",").reversed() {
            var candidate = entry.trimmingCharacters(in: .whitespaces)
            if candidate.hasPrefix("["), candidate.hasSuffix("]") { candidate = String(candidate.dropFirst().dropLast()) }
            guard let bytes = Network.bytes(candidate) else { return client }
            client = candidate
            if !trusts(bytes) { return client }
        }
        return client
    }

    /// The key a client is counted under by rate limits: its address, or for IPv6 its /64, which one home or
    /// phone is given whole, so that stepping through its addresses does not buy more lookups.
    static func rateLimitKey(_ address: String) -> String {
        // Only IPv6 text has a colon: an IPv4 address (every lookup, most often) is its own key without parsing.
        guard address.utf8.contains(UInt8(ascii: ":")), let bytes = Network.bytes(address) else { return address }
        // A mapped IPv4 client is its own client, not one of the whole IPv4 internet's shared /64 (::ffff:0:0/64).
        guard bytes.count == 16 else { return Network.text(bytes) }
        return Network.text(Array(bytes.prefix(8)) + Array(repeating: 0, count: 8)) + "/64"
    }

    /// A client's address as the gateway records it: an IPv4-mapped IPv6 address (an IPv4 client of a socket
    /// listening on `::`) as the IPv4 address it is, anything else as given.
    static func unmapped(_ address: String) -> String {
        guard address.utf8.contains(UInt8(ascii: ":")), let bytes = Network.bytes(address), bytes.count == 4 else { return address }
        return Network.text(bytes)
    }
}
