import ArgumentParser
import GRDB
import Logging

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the ledger or bring its schema up to date, then exit.")

    @OptionGroup var ledger: LedgerOptions

    @Flag(
        help: """
            Then rewrite the whole file, so that no unused space keeps old content (after v7 sealed the ID numbers of an older \
            ledger, a few stale copies can remain in page slack). Takes minutes on a large ledger and twice its disk space.
            """)
    var vacuum = false

    func run() async throws {
        let configuration = try ledger.loadOrExplain()
        if case .postgres(let url) = configuration.ledgerLocation {
            return try await migrate(url)
        }
        let database = try AppDatabase.open(configuration)
        let applied = try await database.read { db in try AppDatabase.migrator(idNumbers: database.idNumbers).appliedIdentifiers(db) }
        print("Ledger \(configuration.databasePath) is up to date; migrations applied: \(applied.sorted().joined(separator: ", "))")
        if vacuum {
            try await database.vacuum()
            print("Ledger rewritten (VACUUM)")
        }
    }

    /// Several instances may start, or be migrated, at once: the migrations' advisory lock lets one apply them.
    private func migrate(_ url: PostgresURL) async throws {
        guard !vacuum else {
            throw ValidationError("--vacuum rewrites an SQLite ledger's file; PostgreSQL reclaims space with its own VACUUM (autovacuum)")
        }
        var logger = Logger(label: "postgateway.migrate")
        logger.logLevel = .warning
        let applied: [String]
        do {
            applied = try await PostgresLedger.withRunning(url, logger: logger) { ledger in try await ledger.migrate() }
        } catch let unsuitable as PostgresLedger.Unsuitable {
            throw ValidationError(unsuitable.description)
        } catch let unreachable as PostgresLedger.Unreachable {
            throw ValidationError(unreachable.description)
        }
        let what = applied.isEmpty ? "nothing was left to apply" : "migrations applied now: \(applied.joined(separator: ", "))"
        print("Ledger \(url) is up to date; \(what)")
    }
}
