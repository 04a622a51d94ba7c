import ArgumentParser
import GRDB

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the ledger or bring its schema up to date, then exit.")

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        let configuration = try ledger.loadOrExplain()
        let database = try AppDatabase.open(configuration)
        let applied = try await database.read { db in try AppDatabase.migrator(idNumbers: database.idNumbers).appliedIdentifiers(db) }
        print("Ledger \(configuration.databasePath) is up to date; migrations applied: \(applied.sorted().joined(separator: ", "))")
    }
}
