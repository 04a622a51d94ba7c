import Foundation
import PostgresNIO
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

    /// The ledger moved to PostgreSQL by naming it in ledger.url: migrate prepares it, copy fills it without --to,
    /// backup points at pg_dump, and nothing falls back on an SQLite file of the data folder.
    @Test func aLedgerURLNamingPostgreSQLIsMigratedFilledAndNeverReplacedByAnSQLiteFile() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let seeded = try CrashRecoveryTests.run(["seed", "--dossiers", "20", "--days", "3", "--no-sandbox", "--data-dir", dataDirectory.path])
        #expect(seeded.status == 0, "\(seeded.output)")
        let url = try TestPostgres.database()
        let onPostgres = ["POSTGATEWAY_LEDGER_URL": "postgres://\(url.user)@\(url.host):\(url.port)/\(url.database)?sslmode=disable"]
        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try CrashRecoveryTests.run(arguments + ["--data-dir", dataDirectory.path], withErrors: true, environment: onPostgres)
        }

        let migrated = try run(["migrate"])
        #expect(
            migrated.status == 0 && migrated.output.contains("migrations applied now: \(PostgresMigrations.all[0].identifier)"), "\(migrated.output)")
        let again = try run(["migrate"])
        #expect(again.status == 0 && again.output.contains("nothing was left to apply"), "\(again.output)")
        let dossiers = try await TestPostgres.withLedger { ledger in
            var counted: [Int] = []
            for try await count in try await ledger.client.query("SELECT count(*) FROM dossier").decode(Int.self) { counted.append(count) }
            return counted
        }
        #expect(dossiers == [0])

        let copied = try run(["ledger", "copy"])
        #expect(copied.status == 0 && copied.output.contains("  dossier: 20 rows"), "\(copied.output)")

        let backup = try run(["backup", "--to", dataDirectory.appending(path: "copy.sqlite").path])
        #expect(backup.status != 0 && backup.output.contains("pg_dump --format=custom") && backup.output.contains(url.database), "\(backup.output)")
        #expect(!FileManager.default.fileExists(atPath: dataDirectory.appending(path: "copy.sqlite").path))

        // The seeded SQLite file is still in the data folder: serving from it would leave the shared ledger behind.
        for command in [["serve", "--port", "0", "--sandbox-port", "off"], ["token", "create", "--role", "admin"], ["audit", "verify"]] {
            let refused = try run(command)
            #expect(
                refused.status != 0 && refused.output.contains("ledger.url") && refused.output.contains("SQLite ledger only"),
                "\(command): \(refused.output)")
        }
        let elsewhere = try TestSupport.temporaryDirectory()
        let served = try CrashRecoveryTests.run(
            ["serve", "--port", "0", "--sandbox-port", "off", "--data-dir", elsewhere.path], withErrors: true, environment: onPostgres)
        #expect(served.status != 0 && served.output.contains("SQLite ledger only"), "\(served.output)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appending(path: "ledger.sqlite").path))
    }

    /// PostgresClient's pool would try for ever, and the command wait with it: a server that is not there is an error.
    @Test func aPostgreSQLLedgerThatCannotBeReachedIsAnErrorNamingItAtOnceWithoutItsPassword() throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let closedPort = try TestPorts.free()
        let unreachable = ["POSTGATEWAY_LEDGER_URL": "postgres://gateway:s3cret-pass@127.0.0.1:\(closedPort)/ledger?sslmode=disable"]
        let migrated = try CrashRecoveryTests.run(["migrate", "--data-dir", dataDirectory.path], withErrors: true, environment: unreachable)
        #expect(
            migrated.status != 0 && migrated.output.contains("cannot use the ledger's database") && migrated.output.contains("refused"),
            "\(migrated.output)")
        #expect(!migrated.output.contains("s3cret-pass"))
    }
}
