import Foundation
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct LedgerLocationTests {
    @Test func anySQLitePathReadsBackAsWrittenAndAnyOtherTextIsRefused() async {
        await propertyCheck(input: Gen.latin1.string(of: 1...40)) { path in
            guard case .sqlite(let read?) = try? LedgerLocation("sqlite:\(path)") else {
                Issue.record("sqlite:\(path) was not read as an SQLite file")
                return
            }
            #expect(read == path)
            #expect((try? LedgerLocation(path)) == nil || path.hasPrefix("sqlite:") || path.hasPrefix("postgres"))
        }
    }

    @Test func aPostgreSQLURLIsReadAsPsqlReadsItAndItsPasswordIsNeverShown() throws {
        guard case .postgres(let url) = try LedgerLocation("postgresql://gateway:s3cret-pass@db.thainguyen.gov.vn:6432/ledger?sslmode=verify-full")
        else {
            Issue.record("not read as PostgreSQL")
            return
        }
        #expect(url.host == "db.thainguyen.gov.vn" && url.port == 6432 && url.database == "ledger" && url.tls == .verifyFull)
        #expect(url.password == "s3cret-pass")
        #expect(try LedgerLocation("postgres://gateway:s3cret-pass@db/ledger").description == "postgres://gateway@db:5432/ledger?sslmode=prefer")
    }

    @Test func anEmptyPathAnotherSchemeOrABadURLIsRefusedSayingWhatIsWrong() {
        for (text, words) in [
            ("sqlite:", "must name the ledger's file"), ("mysql://gateway@db/ledger", "sqlite:PATH"), ("data/ledger.sqlite", "sqlite:PATH"),
            ("postgres://db/ledger", "names no user"), ("postgres://gateway@db/ledger?sslmode=disabel", "sslmode must be one of"),
        ] {
            #expect(throws: LedgerLocation.Invalid.self, "\(text)") { try LedgerLocation(text) }
            do { _ = try LedgerLocation(text) } catch { #expect(error.reason.contains(words), "\(text): \(error.reason)") }
        }
    }

    @Test func theLedgerIsTheDataFoldersFileUnlessLedgerURLNamesAnother() throws {
        func load(_ environment: [String: String]) throws -> GatewayConfiguration {
            try GatewayConfiguration.load(file: "/nonexistent.yaml", fileMustExist: false, environment: environment, flags: ["dataDir": "/srv/gw"])
        }
        #expect(try load([:]).databasePath == "/srv/gw/ledger.sqlite")
        #expect(try load(["POSTGATEWAY_LEDGER_URL": "sqlite:/mnt/ssd/ledger.sqlite"]).databasePath == "/mnt/ssd/ledger.sqlite")
        try load([:]).requireSQLiteLedger()

        let onPostgres = try load(["POSTGATEWAY_LEDGER_URL": "postgres://gateway:s3cret-pass@db:5432/ledger"])
        // What `ledger copy` reads from when the ledger moves.
        #expect(onPostgres.databasePath == "/srv/gw/ledger.sqlite")
        let refusal = try #require(throws: ConfigurationError.self) { try onPostgres.requireSQLiteLedger() }
        #expect(refusal.key == "ledger.url" && refusal.reason.contains("postgateway migrate") && !refusal.description.contains("s3cret"))

        let bad = try #require(throws: ConfigurationError.self) { try load(["POSTGATEWAY_LEDGER_URL": "postgres://db/ledger"]) }
        #expect(bad.key == "ledger.url" && bad.source == "POSTGATEWAY_LEDGER_URL" && bad.reason.contains("names no user"))
    }
}
