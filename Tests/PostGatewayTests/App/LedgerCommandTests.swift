import Foundation
import Testing

@testable import PostGateway

/// `postgateway ledger copy` through the real executable, from a seeded ledger into the throwaway cluster.
@Suite(.temporaryFolder, .postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct LedgerCommandTests {
    @Test func anOperatorCopiesALedgerIntoPostgreSQLOnceAndIsToldWhatWasCopiedAndChecked() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let seeded = try CrashRecoveryTests.run(["seed", "--dossiers", "200", "--days", "30", "--no-sandbox", "--data-dir", dataDirectory.path])
        #expect(seeded.status == 0, "\(seeded.output)")
        let url = try TestPostgres.database()
        let target = "postgres://\(url.user)@\(url.host):\(url.port)/\(url.database)?sslmode=disable"

        let copied = try CrashRecoveryTests.run(["ledger", "copy", "--to", target, "--data-dir", dataDirectory.path])
        #expect(copied.status == 0, "\(copied.output)")
        #expect(copied.output.contains("checked, table by table"))
        #expect(copied.output.contains("  dossier: 200 rows"))
        #expect(copied.output.contains("Audit chain intact on PostgreSQL"))
        #expect(copied.output.contains("/secrets too"))

        let again = try CrashRecoveryTests.run(["ledger", "copy", "--to", target, "--data-dir", dataDirectory.path], withErrors: true)
        #expect(again.status != 0 && again.output.contains("already holds rows"), "\(again.output)")

        let misspelt = try CrashRecoveryTests.run(
            ["ledger", "copy", "--to", target.replacingOccurrences(of: "disable", with: "disabel"), "--data-dir", dataDirectory.path],
            withErrors: true)
        #expect(misspelt.status != 0 && misspelt.output.contains("sslmode must be one of"), "\(misspelt.output)")
        let notSQLite = try CrashRecoveryTests.run(
            ["ledger", "copy", "--from", "data/ledger.sqlite", "--to", target, "--data-dir", dataDirectory.path], withErrors: true)
        #expect(notSQLite.status != 0 && notSQLite.output.contains("sqlite:PATH"), "\(notSQLite.output)")
    }
}
