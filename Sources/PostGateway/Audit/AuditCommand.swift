import ArgumentParser
import Foundation

/// `postgateway audit verify`: walks the hash chain; exit 0 when intact, 1 naming the first broken row.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log: verify its hash chain.",
        subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every row's hash; name the first row that was edited or removed.")
        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            let database = try ledger.openExistingLedger()
            switch try await database.verifyAudit() {
            case .intact(let rows):
                print("audit log intact: \(rows) rows")
            case .broken(let id, let reason):
                print("audit log broken at row \(id): \(reason)")
                throw ExitCode(1)
            }
        }
    }
}
