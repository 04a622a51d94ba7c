import ArgumentParser
import Foundation

/// The `postgateway` command and its subcommands; the executable target (`Sources/postgateway`) runs it.
package struct PostGatewayCommand: AsyncParsableCommand {
    package init() {}

    package static let configuration = CommandConfiguration(
        commandName: "postgateway",
        abstract: "PostGateway: dossiers handed in at the post office, carried to the one-stop desk, results brought home.",
        discussion: """
            Start with `postgateway serve` (what `make run` does). Settings come from config/gateway.yaml,
            then POSTGATEWAY_… environment variables, then flags: a flag beats a variable, which beats the file.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, BackupCommand.self, LedgerCommand.self, UserCommand.self, TokenCommand.self, AuditCommand.self,
            ResealCommand.self,
            ReconcileCommand.self, LabelCommand.self, OutboxCommand.self, SandboxCommand.self,
            SeedCommand.self,
        ]
    )
}

/// The options every command that opens the ledger shares.
package struct LedgerOptions: ParsableArguments {
    package init() {}

    @Option(name: .long, help: "The settings file.")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Folder of the ledger and the gateway's secrets (default data/).")
    var dataDirectory: String?

    /// The configuration layered from the file, the environment and these flags.
    func load(extraFlags: [String: String] = [:]) throws -> GatewayConfiguration {
        var flags = extraFlags
        if let dataDirectory { flags["dataDir"] = dataDirectory }
        return try GatewayConfiguration.load(
            file: config ?? "config/gateway.yaml", fileMustExist: config != nil,
            environment: ProcessInfo.processInfo.environment, flags: flags)
    }

    /// The same, with a bad setting turned into a usage error that names the key.
    package func loadOrExplain(extraFlags: [String: String] = [:]) throws -> GatewayConfiguration {
        do { return try load(extraFlags: extraFlags) } catch let error as ConfigurationError { throw ValidationError(error.description) }
    }

    /// The configuration, for a command that works on a ledger already there (a backup, a token, an audit check):
    /// started from another folder (cron, systemd) without `--config`, it would find no settings file and open
    /// `data/` there, a new empty ledger with new keys, and report on that as if it were the gateway's.
    package func existingLedger(extraFlags: [String: String] = [:]) throws -> GatewayConfiguration {
        let configuration = try loadOrExplain(extraFlags: extraFlags)
        do { try configuration.requireSQLiteLedger() } catch { throw ValidationError(error.description) }
        return try existingSQLiteFile(configuration)
    }

    /// The configuration, if its SQLite file is there (`ledger copy` reads it, whatever `ledger.url` names).
    func existingSQLiteFile(_ configuration: GatewayConfiguration) throws -> GatewayConfiguration {
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw ValidationError(
                """
                No ledger at \(configuration.databasePath). Run this where config/gateway.yaml is, or name the ledger with \
                --data-dir or --config; `postgateway serve` or `postgateway migrate` make a new one.
                """)
        }
        return configuration
    }

    /// The ledger that `existingLedger()` names, opened.
    func openExistingLedger() throws -> AppDatabase {
        try AppDatabase.open(try existingLedger())
    }
}
