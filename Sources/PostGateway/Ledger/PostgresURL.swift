import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL ledger is: `postgres://user:password@host:port/database?sslmode=…`, read as libpq reads it, so
/// that the URL a province's database administrator hands over means here what it means to `psql`.
///
/// `sslmode` as libpq's: `disable`, `prefer` (the default: TLS when the server offers it), `require` (TLS, the
/// certificate not checked), `verify-ca` (checked against `sslrootcert` or the system's roots) and `verify-full` (the
/// host name too). An unknown parameter is refused rather than ignored: a misspelt `sslmode` must not quietly send
/// citizens' data in clear.
struct PostgresURL: Sendable, Equatable {
    enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    struct Invalid: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    let host: String
    let port: Int
    let user: String
    let password: String?
    private(set) var database: String
    let tls: TLSMode
    let rootCertificatePath: String?

    init(_ text: String) throws(Invalid) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw Invalid(reason: "a PostgreSQL ledger's URL starts with postgres:// (postgres://user@host:5432/database)")
        }
        guard let host = url.host, !host.isEmpty else { throw Invalid(reason: "names no host (postgres://user@host/database)") }
        guard let user = url.user, !user.isEmpty else { throw Invalid(reason: "names no user (postgres://user@\(host)/database)") }
        guard url.port.map({ (1...65535).contains($0) }) ?? true else { throw Invalid(reason: "port must be 1 to 65535") }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !path.contains("/") else { throw Invalid(reason: "names one database after the host, not a path: \(path)") }
        var tls = TLSMode.prefer
        var rootCertificatePath: String?
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw Invalid(reason: "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "sslrootcert":
                guard let file = item.value, !file.isEmpty else { throw Invalid(reason: "sslrootcert must name a PEM file") }
                rootCertificatePath = file
            default:
                throw Invalid(reason: "unknown parameter \"\(item.name)\" (known: sslmode, sslrootcert)")
            }
        }
        self.host = host
        port = url.port ?? 5432
        self.user = user
        password = url.password
        // libpq's rule: no database named, the user's own.
        database = path.isEmpty ? user : path
        self.tls = tls
        self.rootCertificatePath = rootCertificatePath
    }

    /// The client's settings; TLS as `sslmode` asks.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        let tlsConfiguration = tlsConfiguration()
        let mode: PostgresClient.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration)
            case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
            }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: mode)
    }

    /// The same settings for one connection of its own.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration()))
            }
        return PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: mode)
    }

    private func tlsConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificatePath { configuration.trustRoots = .file(rootCertificatePath) }
        switch tls {
        case .disable, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return configuration
    }

    /// The same place with another database: what the tests make and drop beside the cluster's own.
    func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }
}

extension PostgresURL: CustomStringConvertible {
    /// Without the password: what logs and errors may show.
    var description: String { "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)" }
}
