import Foundation
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct PostgresURLTests {
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    @Test func aURLReadsBackItsPartsAndItsDescriptionNeverShowsThePassword() async {
        let parts = zip(
            Gen.letterOrNumber.string(of: 1...16), Gen.latin1.string(of: 0...24), Gen.lowercaseLetter.string(of: 1...12),
            Gen.int(in: 1...65535), Gen.letterOrNumber.string(of: 0...16), Gen.element(of: PostgresURL.TLSMode.allCases))
        await propertyCheck(input: parts) { user, password, host, port, database, mode in
            let secret = password.addingPercentEncoding(withAllowedCharacters: Self.unreserved)!
            let text = "postgres://\(user)\(password.isEmpty ? "" : ":\(secret)")@\(host).example.vn:\(port)/\(database)?sslmode=\(mode!.rawValue)"
            let url = try? PostgresURL(text)
            #expect(url?.user == user)
            #expect(url?.password == (password.isEmpty ? nil : password))
            #expect(url?.host == "\(host).example.vn")
            #expect(url?.port == port)
            // libpq's rule: no database named, the user's own.
            #expect(url?.database == (database.isEmpty ? user : database))
            #expect(url?.tls == mode)
            if password.count >= 6, let url { #expect(!url.description.contains(password)) }
        }
    }

    @Test func aURLWithoutSSLModeOrPortMeansWhatItMeansToPsql() throws {
        let url = try PostgresURL("postgresql://gateway@db.thainguyen.gov.vn/postgateway")
        #expect(url.port == 5432)
        #expect(url.tls == .prefer)
        #expect(url.password == nil)
        #expect(url.description == "postgres://gateway@db.thainguyen.gov.vn:5432/postgateway?sslmode=prefer")
    }

    @Test func aMisspeltOrIncompleteURLIsRefusedSayingWhatIsWrong() {
        let refusals = [
            ("sqlite:data/ledger.sqlite", "starts with postgres://"),
            ("postgres:///postgateway", "names no host"),
            ("postgres://db.example.vn/postgateway", "names no user"),
            ("postgres://u@db.example.vn/postgateway?sslmode=requre", "sslmode must be one of disable, prefer, require, verify-ca, verify-full"),
            ("postgres://u@db.example.vn/postgateway?ssl=true", "unknown parameter \"ssl\""),
            ("postgres://u@db.example.vn/a/b", "names one database"),
            ("postgres://u@db.example.vn:0/postgateway", "port must be 1 to 65535"),
            ("postgres://u@db.example.vn/postgateway?sslrootcert=", "sslrootcert must name a PEM file"),
        ]
        for (text, reason) in refusals {
            let error = #expect(throws: PostgresURL.Invalid.self, "\(text)") { try PostgresURL(text) }
            #expect(error?.reason.contains(reason) == true, "\(text): \(error?.reason ?? "")")
        }
    }
}
