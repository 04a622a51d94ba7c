import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

extension OneStopClient {
    package struct Settings: Sendable {
        var baseURL: URL
        var token: String
        var connectTimeout: TimeInterval = 5
        var totalTimeout: TimeInterval = 30
        var maxConnections = 32
        /// PEM files of the gateway's client certificate and its key, for a one-stop that asks for mutual TLS.
        var clientCertificatePath: String?
        var clientKeyPath: String?
        /// PEM file of the CA that signed the one-stop's certificate, when it is not in the system's trust store.
        var trustedCAPath: String?
    }

    /// Owns the connection pool: it is closed when the last copy of the client is gone, so a command, a test or
    /// the server never has to remember to shut it down (AsyncHTTPClient insists that someone does).
    final class Connections: Sendable {
        let http: HTTPClient

        init(_ http: HTTPClient) { self.http = http }

        deinit { http.shutdown { _ in } }
    }

    /// The TLS settings the one-stop's URL and the configured certificate files call for. Every file is parsed here, at
    /// start: a CA file NIO would parse at the first handshake (the configuration only checks that it is a readable PEM
    /// file) would otherwise fail the forwarding hours later, not the start.
    static func tlsConfiguration(_ settings: Settings) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let certificatePath = settings.clientCertificatePath, let keyPath = settings.clientKeyPath {
            tls.certificateChain = try pem("onestop.clientCertificate", certificatePath) { try NIOSSLCertificate.fromPEMFile($0) }
                .map { .certificate($0) }
            tls.privateKey = .privateKey(try pem("onestop.clientKey", keyPath) { try NIOSSLPrivateKey(file: $0, format: .pem) })
        }
        if let trustedCAPath = settings.trustedCAPath {
            let authorities = try pem("onestop.trustedCA", trustedCAPath) { try NIOSSLCertificate.fromPEMFile($0) }
            guard !authorities.isEmpty else {
                throw ConfigurationError(key: "onestop.trustedCA", source: trustedCAPath, reason: "holds no PEM certificate")
            }
            tls.trustRoots = .certificates(authorities)
        }
        return tls
    }

    /// A PEM file parsed by `read`, or a configuration error naming its setting and file.
    private static func pem<T>(_ key: String, _ path: String, _ read: (String) throws -> T) throws -> T {
        do {
            return try read(path)
        } catch {
            throw ConfigurationError(key: key, source: path, reason: "cannot be read as a PEM file of the expected kind")
        }
    }

    /// The live client: AsyncHTTPClient over SwiftNIO, a bearer token, connect and total timeouts, no redirects
    /// followed (a one-stop that moved must be reconfigured, not followed blindly with the token), and an
    /// optional client certificate.
    ///
    /// URLSession was the first choice, but on Linux it cannot present a client certificate and its libcurl
    /// engine drained the outbox at half the rate this one does (`PostGatewayBench forwarding`).
    package static func live(_ settings: Settings) throws -> OneStopClient {
        let configuration = HTTPClient.Configuration(
            tlsConfiguration: try tlsConfiguration(settings),
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(settings.connectTimeout * 1000)), read: .milliseconds(Int64(settings.totalTimeout * 1000))),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, settings.maxConnections)),
            decompression: .disabled)
        let connections = Connections(HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration))
        let base = settings.baseURL.absoluteString
        let authorization = "Bearer \(settings.token)"
        let responseLimit = 8 * 1024 * 1024

        @Sendable func call(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> (status: Int, body: ByteBuffer) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers.add(name: "Authorization", value: authorization)
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
                request.body = .bytes(ByteBuffer(string: body))
            }
            let response = try await connections.http.execute(request, timeout: .milliseconds(Int64(settings.totalTimeout * 1000)))
            return (Int(response.status.code), try await response.body.collect(upTo: responseLimit))
        }

        var client = OneStopClient(
            send: { kind, key, payload in
                do {
                    let (status, body) = try await call(.POST, path(for: kind, key: key), body: payload)
                    return answer(status: status, body: Data(body.readableBytesView), kind: kind)
                } catch {
                    return .unavailable(String(describing: error))
                }
            },
            listDossiers: { from, to, cursor, pageSize in
                var path = "/lgsp/bcci/hoso?TuNgay=\(from.compact)&DenNgay=\(to.compact)&SoBanGhi=\(pageSize)"
                if let cursor, let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { path += "&TiepTheo=\(escaped)" }
                let (status, body) = try await call(.GET, path)
                guard status == 200 else { throw OneStopError(reason: "list answered HTTP \(status)") }
                do {
                    let page = try OneStopLedgerPage(parsing: Data(body.readableBytesView))
                    return (page.rows, page.next)
                } catch {
                    throw OneStopError(reason: "list answered a page that is not the contract's: \(error)")
                }
            },
            isReachable: {
                let today = LocalDate(Date())
                let probe = "/lgsp/bcci/hoso?TuNgay=\(today.compact)&DenNgay=\(today.compact)&SoBanGhi=1"
                return (try? await call(.GET, probe))?.status == 200
            })
        client.registerOrder = { payload in
            do {
                let (status, body) = try await call(.POST, "/lgsp/bcci/ketqua", body: payload)
                return counterOrderAnswer(status: status, body: Data(body.readableBytesView))
            } catch {
                return .unavailable(String(describing: error))
            }
        }
        client.listOrders = { from, to, cursor, pageSize in
            var path = "/lgsp/bcci/ketqua?TuNgay=\(from.compact)&DenNgay=\(to.compact)&SoBanGhi=\(pageSize)"
            if let cursor, let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { path += "&TiepTheo=\(escaped)" }
            let (status, body) = try await call(.GET, path)
            guard status == 200 else { throw OneStopError(reason: "order list answered HTTP \(status)") }
            do {
                let page = try OneStopOrderPage(parsing: Data(body.readableBytesView))
                return (page.rows, page.next)
            } catch {
                throw OneStopError(reason: "order list answered a page that is not the contract's: \(error)")
            }
        }
        return client
    }
}

struct OneStopError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "one-stop: \(reason)" }
}
