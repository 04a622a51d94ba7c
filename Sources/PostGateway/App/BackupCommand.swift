import ArgumentParser

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the ledger while the gateway runs, consistently (SQLite's online backup), to a new file; on PostgreSQL, says how.",
        discussion: """
            Never copy ledger.sqlite itself: commits still in its WAL would be missing or torn. The copy leaves out the \
            keys in <data>/secrets (the ID-number keyring and the PIN key), on purpose: keep them safe apart, since the \
            ID numbers in the copy can be read only with them.
            """)

    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("to"), help: "The new file to write; an existing file is never overwritten.")
    var destination: String

    func run() async throws {
        if case .postgres(let url) = try ledger.loadOrExplain().ledgerLocation {
            // Exits with an error: a nightly job that runs this must not take the advice for a backup made.
            throw ValidationError(
                """
                The ledger is on PostgreSQL (\(url)): back it up with PostgreSQL's own tools, not this command, e.g. \
                pg_dump --format=custom --file=ledger-$(date +%F).dump '\(url)' (the password from ~/.pgpass or PGPASSWORD), \
                or the server's base backups with WAL archiving, which your database operator may already run. Either way, \
                keep <dataDir>/secrets apart from the dump: its ID numbers and PINs need those keys.
                """)
        }
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
