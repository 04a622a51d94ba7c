import Foundation
import Testing

@testable import PostGateway

/// The live client against a real TLS server that demands a client certificate (Python's ssl module), with
/// certificates made by the openssl command line for each run.
@Suite("One-stop client over mutual TLS", .temporaryFolder, .serialized)
struct OneStopClientTLSTests {
    /// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
    struct Certificates {
        let folder: URL
        func path(_ name: String) -> String { folder.appending(path: name).path }

        static func make() throws -> Certificates {
            let folder = try TestSupport.temporaryDirectory()
            let certificates = Certificates(folder: folder)
            func openssl(_ arguments: [String]) throws {
                let output = try ExternalTool.run("openssl", arguments, currentDirectory: folder)
                try #require(output.status == 0, "openssl \(arguments.first ?? ""): \(output.stderr)")
            }
            try openssl([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=Test Province CA", "-keyout", "ca.key", "-out", "ca.crt",
            ])
            try "subjectAltName=IP:127.0.0.1\n".write(toFile: certificates.path("server.ext"), atomically: true, encoding: .utf8)
            for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=PostGateway Thai Nguyen")] {
                try openssl([
                    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", subject,
                    "-keyout", "\(name).key", "-out", "\(name).csr",
                ])
                try openssl(
                    [
                        "x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                        "-out", "\(name).crt",
                    ] + (name == "server" ? ["-extfile", "server.ext"] : []))
            }
            return certificates
        }
    }

    /// The stand-in one-stop, started on a free port it prints.
    final class Server {
        let process = ChildProcess()
        let port: Int

        init(_ certificates: Certificates) throws {
            let script = TestSupport.packageRoot.appending(path: "Tests/PostGatewayTests/Fixtures/mtls_onestop.py")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", script.path, certificates.path("ca.crt"), certificates.path("server.crt"), certificates.path("server.key"),
            ]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while let byte = try out.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
                line.append(first)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self)) else {
                process.terminate()
                throw POSIXError(.EIO)
            }
            self.port = port
        }

        deinit {
            // SIGKILL: a child of the test runner may inherit SIGTERM ignored, and then would never stop.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func client(_ certificates: Certificates, server: Server, withCertificate: Bool) throws -> OneStopClient {
        try .live(
            .init(
                baseURL: URL(string: "https://127.0.0.1:\(server.port)")!, token: "tls-token", connectTimeout: 2, totalTimeout: 5,
                clientCertificatePath: withCertificate ? certificates.path("client.crt") : nil,
                clientKeyPath: withCertificate ? certificates.path("client.key") : nil,
                trustedCAPath: certificates.path("ca.crt")))
    }

    /// NIO reads a CA file at the first handshake: read at start instead, a wrong path or file stops the start, named.
    @Test func aMissingOrBrokenCertificateFileStopsTheStartNamingItsSetting() throws {
        let certificates = try Certificates.make()
        let garbage = try TestSupport.temporaryDirectory().appending(path: "garbage.pem")
        try "not a certificate".write(to: garbage, atomically: true, encoding: .utf8)
        let base = OneStopClient.Settings(baseURL: URL(string: "https://127.0.0.1:1")!, token: "t")
        for (settings, key) in [
            (
                {
                    var s = base
                    s.trustedCAPath = "/nonexistent/ca.crt"
                    return s
                }(), "onestop.trustedCA"
            ),
            (
                {
                    var s = base
                    s.trustedCAPath = garbage.path
                    return s
                }(), "onestop.trustedCA"
            ),
            (
                {
                    var s = base
                    s.clientCertificatePath = garbage.path
                    s.clientKeyPath = certificates.path("client.key")
                    return s
                }(), "onestop.clientCertificate"
            ),
            (
                {
                    var s = base
                    s.clientCertificatePath = certificates.path("client.crt")
                    s.clientKeyPath = "/nonexistent/client.key"
                    return s
                }(), "onestop.clientKey"
            ),
        ] {
            let error = try #require(throws: ConfigurationError.self) { try OneStopClient.tlsConfiguration(settings) }
            #expect(error.key == key)
        }
        _ = try OneStopClient.tlsConfiguration(
            {
                var s = base
                s.trustedCAPath = certificates.path("ca.crt")
                return s
            }())
    }

    @Test("the configured client certificate is presented, and the one-stop sees who is calling")
    func presentsClientCertificate() async throws {
        let certificates = try Certificates.make()
        let server = try Server(certificates)
        let client = try client(certificates, server: server, withCertificate: true)
        #expect(await client.isReachable())
        let day = LocalDate(year: 2026, month: 11, day: 23)
        let page = try await client.listDossiers(day, day, nil, 10)
        #expect(page.rows.first?.maBuuGui == "PostGateway Thai Nguyen")
        #expect(await client.send(.registerDossier, "PH000000015VN", "{}") == .accepted)
    }

    @Test("without a client certificate the handshake fails and the call counts as unavailable, to be retried")
    func withoutCertificateTheCallFails() async throws {
        let certificates = try Certificates.make()
        let server = try Server(certificates)
        let client = try client(certificates, server: server, withCertificate: false)

        #expect(await client.isReachable() == false)
        guard case .unavailable = await client.send(.registerDossier, "PH000000015VN", "{}") else {
            Issue.record("a refused handshake must be retried later, not accepted or refused for good")
            return
        }
    }

    @Test("a redirect is not followed: the token never goes to another address")
    func redirectsAreNotFollowed() async throws {
        let certificates = try Certificates.make()
        let server = try Server(certificates)
        let client = try client(certificates, server: server, withCertificate: true)

        let answer = await client.send(.reportHandover, "PH000000015VN", "{}")
        #expect(answer == .unavailable("HTTP 302: no MaLoi in the answer"))  // the redirect's own answer, not where it points
        let day = LocalDate(year: 2026, month: 11, day: 23)
        let page = try await client.listDossiers(day, day, nil, 10)
        #expect(page.rows.first?.lePhi == 0, "the redirect was not followed")
    }

    @Test("a certificate without its key is refused at start, naming the missing key")
    func certificateWithoutKeyIsRefused() throws {
        let certificates = try Certificates.make()
        #expect {
            _ = try GatewayConfiguration.load(
                file: "/nonexistent", fileMustExist: false, environment: [:],
                flags: ["onestop.clientCertificate": certificates.path("client.crt")])
        } throws: { error in
            (error as? ConfigurationError)?.key == "onestop.clientKey"
        }
        #expect {
            _ = try GatewayConfiguration.load(
                file: "/nonexistent", fileMustExist: false, environment: [:],
                flags: [
                    "onestop.clientCertificate": certificates.path("missing.crt"),
                    "onestop.clientKey": certificates.path("client.key"),
                ])
        } throws: { error in
            (error as? ConfigurationError)?.key == "onestop.clientCertificate"
        }
    }
}
