import ArgumentParser
import Foundation
import Logging

/// `postgateway ledger …`: the ledger as a whole, between backends.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Work on the ledger as a whole: copy an SQLite ledger into PostgreSQL.",
        subcommands: [LedgerCopyCommand.self])
}

struct LedgerCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an SQLite ledger, live, into an empty PostgreSQL ledger, and check the copy.",
        discussion: """
            The SQLite ledger is read from one snapshot while the gateway may go on writing; what it writes after the \
            snapshot is not in the copy. To move for good: copy once to check, then stop the gateway and copy onto a fresh \
            database. The copy is written in one transaction (a failed copy leaves the target empty) and then compared with \
            the snapshot table by table, row count and content, and the audit chain is walked again on PostgreSQL. The \
            keys in <data>/secrets (the ID-number keyring, the PIN key) are not in the ledger: every instance needs them.
            """)

    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("from"), help: "sqlite:PATH, the ledger to copy (default: the configured ledger).")
    var source: String?

    @Option(
        name: .customLong("to"),
        help: "postgres://user@host:port/database, an empty PostgreSQL ledger (default: ledger.url, when it names one).")
    var target: String?

    func run() async throws {
        let configuration = try ledger.existingSQLiteFile(try ledger.loadOrExplain())
        let path = try sourcePath(default: configuration.databasePath)
        let url = try targetURL(configured: configuration.ledgerLocation)
        let idNumbers = try IdNumberSealer.load(configuredKeyring: configuration.idNumberKeys, dataDirectory: configuration.dataDirectory)
        let database = try AppDatabase.openFile(atPath: path, idNumbers: idNumbers)
        let logger = {
            var logger = Logger(label: "postgateway.ledger-copy")
            logger.logLevel = .warning
            return logger
        }()
        let snapshot = try database.snapshot()
        let report: LedgerCopy.Report
        do {
            report = try await PostgresLedger.withRunning(url, logger: logger) { postgres in
                try await LedgerCopy(source: snapshot, target: postgres, logger: logger).run()
            }
        } catch let refused as LedgerCopy.Refused {
            throw ValidationError(refused.description)
        } catch let unsuitable as PostgresLedger.Unsuitable {
            throw ValidationError(unsuitable.description)
        } catch let unreachable as PostgresLedger.Unreachable {
            throw ValidationError(unreachable.description)
        }
        print("Ledger \(path) copied to \(url) and checked, table by table:")
        for (table, count) in report.rows { print("  \(table): \(count) rows") }
        if case .intact(let rows) = report.audit { print("Audit chain intact on PostgreSQL: \(rows) entries.") }
        print("Give every instance \(configuration.dataDirectory)/secrets too: the copied ID numbers and PINs need those keys.")
    }

    private func sourcePath(default configured: String) throws -> String {
        guard let source else { return configured }
        guard case .sqlite(let path?) = try? LedgerLocation(source) else {
            throw ValidationError("--from: an SQLite ledger is named sqlite:PATH (sqlite:data/ledger.sqlite)")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("--from: no ledger at \(path)") }
        return path
    }

    private func targetURL(configured: LedgerLocation) throws -> PostgresURL {
        guard let target else {
            guard case .postgres(let url) = configured else {
                throw ValidationError("--to: name the PostgreSQL ledger to copy into (postgres://user@host:port/database), or set ledger.url")
            }
            return url
        }
        do { return try PostgresURL(target) } catch { throw ValidationError("--to: \(error.reason)") }
    }
}
