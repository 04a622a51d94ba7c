import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct TrustedProxiesTests {
    private static func proxies(_ list: String) throws -> TrustedProxies { try TrustedProxies.parse(list).get() }

    @Test func blocksMatchTheAddressesInsideThemOnly() throws {
        let proxies = try Self.proxies("10.0.0.0/8, 192.0.2.7, 2001:db8::/32, 172.16.0.0/12")
        // An IPv4-mapped address (an IPv4 client of a socket on `::`) is its IPv4 address.
        for inside in ["10.1.2.3", "192.0.2.7", "2001:db8:1::5", "172.31.255.255", "::ffff:10.1.2.3", "::FFFF:ac1f:ffff"] {
            #expect(proxies.trusts(TrustedProxies.Network.bytes(inside)!), "\(inside)")
        }
        for outside in ["11.0.0.1", "192.0.2.8", "2001:db9::1", "172.32.0.0", "::ffff:11.0.0.1", "::10.1.2.3"] {
            #expect(!proxies.trusts(TrustedProxies.Network.bytes(outside)!), "\(outside)")
        }
        #expect(try Self.proxies("0.0.0.0/0").trusts([203, 0, 113, 9]))
        // `::/0` still trusts everything, IPv4 clients of a dual-stack socket included.
        #expect(try Self.proxies("::/0").trusts(TrustedProxies.Network.bytes("::ffff:203.0.113.9")!))
        #expect(try !Self.proxies("2001:db8::/32").trusts([203, 0, 113, 9]))
        #expect(try Self.proxies("").networks.isEmpty)
        // A block written in mapped form is the IPv4 block.
        #expect(try Self.proxies("::ffff:10.0.0.0/104").networks.map(\.description) == ["10.0.0.0/8"])
    }

    @Test(arguments: ["10.0.0.0/33", "proxy.example.vn", "10.0.0/8", "::1/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/-1"])
    func anEntryThatIsNoBlockIsRefusedByName(_ entry: String) throws {
        let result = TrustedProxies.parse("127.0.0.1, \(entry)")
        #expect(throws: TrustedProxies.BadEntry(entry: entry)) { try result.get() }
    }

    @Test func theClientIsTheRightMostAddressNoTrustedProxyWrote() throws {
        let proxies = try Self.proxies("10.0.0.0/8")
        // A peer that is no proxy is the client, whatever it claims.
        #expect(proxies.client(peer: "203.0.113.9", forwardedFor: "198.51.100.1") == "203.0.113.9")
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: nil) == "10.0.0.2")
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: "198.51.100.1") == "198.51.100.1")
        // What the client wrote itself (left) is passed over; the hops through trusted proxies are skipped.
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 198.51.100.1, 10.0.0.7") == "198.51.100.1")
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: "[2001:db8::7]") == "2001:db8::7")
        // A proxy reached over a dual-stack socket is still the IPv4 proxy, and so is a mapped hop.
        #expect(proxies.client(peer: "::ffff:10.0.0.2", forwardedFor: "198.51.100.1, ::ffff:10.0.0.7") == "198.51.100.1")
        // A malformed hop ends the walk at the proxy that passed it on.
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: "198.51.100.1, unknown") == "10.0.0.2")
        #expect(proxies.client(peer: "10.0.0.2", forwardedFor: "garbage, 10.0.0.9") == "10.0.0.9")
        // Nothing is believed when no proxy is trusted.
        #expect(TrustedProxies.none.client(peer: "10.0.0.2", forwardedFor: "198.51.100.1") == "10.0.0.2")
    }

    @Test func oneIPv6SubnetIsOneClientForTheRateLimits() {
        #expect(TrustedProxies.rateLimitKey("2001:db8:1:2::1") == TrustedProxies.rateLimitKey("2001:db8:1:2:ffff:1:2:3"))
        #expect(TrustedProxies.rateLimitKey("2001:db8:1:2::1") != TrustedProxies.rateLimitKey("2001:db8:1:3::1"))
        #expect(TrustedProxies.rateLimitKey("2001:db8:1:2::1") == "2001:db8:1:2::/64")
        #expect(TrustedProxies.rateLimitKey("198.51.100.1") == "198.51.100.1")
        // IPv4 clients of a dual-stack socket are each their own client, not all one ::ffff:0:0/64.
        #expect(TrustedProxies.rateLimitKey("::ffff:198.51.100.1") == "198.51.100.1")
        #expect(TrustedProxies.rateLimitKey("::ffff:198.51.100.1") != TrustedProxies.rateLimitKey("::ffff:198.51.100.2"))
    }

    @Test func aMappedAddressIsRecordedAsTheIPv4AddressItIs() {
        #expect(TrustedProxies.unmapped("::ffff:198.51.100.1") == "198.51.100.1")
        #expect(TrustedProxies.unmapped("::ffff:c633:6401") == "198.51.100.1")
        for unchanged in ["198.51.100.1", "2001:db8::1", "::1", "unknown"] { #expect(TrustedProxies.unmapped(unchanged) == unchanged) }
    }

    @Test func aBadProxyListStopsTheStartWithItsKey() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(
                file: "/nonexistent", fileMustExist: false,
                environment: ["POSTGATEWAY_TRUSTED_PROXIES": "10.0.0.0/8,lb.internal"], flags: [:])
        }
        #expect(error.key == "server.trustedProxies" && error.source == "POSTGATEWAY_TRUSTED_PROXIES")
        #expect(error.reason.contains("lb.internal"))
        let configuration = try GatewayConfiguration.load(
            file: "/nonexistent", fileMustExist: false,
            environment: ["POSTGATEWAY_TRUSTED_PROXIES": "127.0.0.1, ::1"], flags: [:])
        #expect(configuration.trustedProxies.networks.map(\.description) == ["127.0.0.1/32", "::1/128"])
    }

    /// Over real sockets from 127.0.0.1: as a trusted proxy, each citizen it forwards for has a limit of their
    /// own and the audit log names them; untrusted, its X-Forwarded-For changes nothing.
    @Test func behindATrustedProxyEachForwardedClientHasItsOwnLimitAndIsAudited() async throws {
        let dependencies = try TestSupport.dependencies(tweak: {
            $0.trackingPerClientPerMinute = 3
            $0.trustedProxies = TrustedProxies(networks: [TrustedProxies.Network("127.0.0.0/8")!])
        })
        try await buildApplication(dependencies).test(.live) { client in
            func track(as forwarded: String) async throws -> HTTPResponse.Status {
                try await client.execute(
                    uri: "/api/v1/track/\(TestSupport.unknownNumber)", method: .get,
                    headers: [ClientAddressMiddleware.forwardedFor: forwarded]
                ).status
            }
            var first: [HTTPResponse.Status] = []
            for _ in 0..<4 { first.append(try await track(as: "198.51.100.1")) }
            #expect(first == [.notFound, .notFound, .notFound, .tooManyRequests])
            #expect(try await track(as: "198.51.100.2") == .notFound)
            // Someone behind the proxy writing their own X-Forwarded-For is still who the proxy saw.
            #expect(try await track(as: "203.0.113.50, 198.51.100.1") == .tooManyRequests)

            var headers = TestSupport.headers()
            headers[ClientAddressMiddleware.forwardedFor] = "198.51.100.7"
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: headers,
                body: TestSupport.json(TestSupport.intake()))
            #expect(response.status == .created)
        }
        let addresses = try await dependencies.database.read { db in try String.fetchAll(db, sql: "SELECT remoteAddress FROM auditLog") }
        #expect(addresses.contains("198.51.100.7"))
        #expect(!addresses.contains("127.0.0.1"))
    }

    /// A server process listening on `::` sees an IPv4 client as `::ffff:127.0.0.1`: an IPv4 proxy block still
    /// trusts it, and the audit log records the IPv4 address it is. (The in-process test server always binds
    /// `localhost`, hence a process of its own.)
    @Test(.enabled(if: canListenOnIPv6, "IPv6 is off on this machine: nothing can listen on ::"))
    func onADualStackSocketAnIPv4ClientIsItsIPv4Address() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let port = try freePort()
        let server = try await CrashRecoveryTests.start(
            dataDirectory: dataDirectory, port: port, extraArguments: ["--sandbox-port", "off"],
            environment: [
                "POSTGATEWAY_HOST": "::", "POSTGATEWAY_TRUSTED_PROXIES": "127.0.0.0/8", "POSTGATEWAY_TRACKING_PER_CLIENT": "3",
                "POSTGATEWAY_FORWARDING_ENABLED": "false",
            ])
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let http = LiveHTTP(port: port, token: try CrashRecoveryTests.token(dataDirectory: dataDirectory, role: "clerk", office: "250000"))
        func track(as forwarded: String) async throws -> Int {
            try await http.send("GET", "/api/v1/track/\(TestSupport.unknownNumber)", headers: ["X-Forwarded-For": forwarded]).status
        }
        // Three a minute for the forwarded client: the fourth is refused, unless a slow machine let a minute's share
        // refill meanwhile, so a few more are sent.
        var statuses: [Int] = []
        for _ in 0..<8 where !statuses.contains(429) { statuses.append(try await track(as: "198.51.100.1")) }
        #expect(statuses.prefix(3) == [404, 404, 404] && statuses.last == 429, "\(statuses)")
        #expect(try await track(as: "198.51.100.2") == 404)
        #expect(try await http.intake(key: UUID().uuidString).status == 201)
        let ledger = try DatabaseQueue(path: dataDirectory.appending(path: "ledger.sqlite").path)
        let addresses = try await ledger.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT remoteAddress FROM auditLog WHERE remoteAddress IS NOT NULL")
        }
        #expect(addresses == ["127.0.0.1"])
    }

    /// Whether a socket can be bound to `::` here (a machine with IPv6 turned off cannot).
    static var canListenOnIPv6: Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0 }
        }
    }

    @Test func withoutTrustedProxiesAForgedForwardedForBuysNoLookups() async throws {
        let dependencies = try TestSupport.dependencies(tweak: { $0.trackingPerClientPerMinute = 3 })
        try await buildApplication(dependencies).test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<4 {
                statuses.append(
                    try await client.execute(
                        uri: "/api/v1/track/\(TestSupport.unknownNumber)", method: .get,
                        headers: [ClientAddressMiddleware.forwardedFor: "198.51.100.\(index)"]
                    ).status)
            }
            #expect(statuses == [.notFound, .notFound, .notFound, .tooManyRequests])
        }
    }
}
