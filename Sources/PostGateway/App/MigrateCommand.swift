import ArgumentParser
import GRDB

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
        let database = try AppDatabase.open(configuration)
        let applied = try await database.read { db in try AppDatabase.migrator(idNumbers: database.idNumbers).appliedIdentifiers(db) }
        print("Ledger \(configuration.databasePath) is up to date; migrations applied: \(applied.sorted().joined(separator: ", "))")
        if vacuum {
            try await database.vacuum()
            print("Ledger rewritten (VACUUM)")
        }
    }
}
