import ArgumentParser

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the ledger while the gateway runs, consistently (SQLite's online backup), to a new file.",
        discussion: """
            Never copy ledger.sqlite itself: commits still in its WAL would be missing or torn. The copy leaves out the \
            keys in <data>/secrets (the ID-number keyring and the PIN key), on purpose: keep them safe apart, since the \
            ID numbers in the copy can be read only with them.
            """)

    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("to"), help: "The new file to write; an existing file is never overwritten.")
    var destination: String

    func run() async throws {
        let configuration = try ledger.existingLedger()
        let database = try AppDatabase.open(configuration)
        do {
            let dossiers = try database.backup(toPath: destination)
            print("Ledger \(configuration.databasePath) copied to \(destination): \(dossiers) dossiers, checked.")
            print("Keep \(configuration.dataDirectory)/secrets apart from it: the copy's ID numbers need those keys.")
        } catch let refused as AppDatabase.BackupRefused {
            throw ValidationError(refused.description)
        }
    }
}
