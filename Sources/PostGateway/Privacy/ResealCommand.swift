import ArgumentParser
import Foundation

/// `postgateway reseal`: after a new key is put first in the keyring, rewrites every sealed ID number under it,
/// so that the old key can then be dropped.
struct ResealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-encrypt the ledger's ID numbers under the keyring's first key (key rotation).")
    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
        let database = try ledger.openExistingLedger()
        let (dossiers, messages) = try await database.resealIdNumbers()
        print("resealed \(dossiers) dossiers and \(messages) outbox payloads under key \(database.idNumbers.current.id)")
    }
}
