import Foundation
import GRDB
import PostgresNIO
import Synchronization

/// A staff request's audit entry, handed to the transaction that makes its change: written there, the log holds every
/// change that was committed, even if the process dies right after the commit. `AuditMiddleware` writes the entry
/// itself, after the answer, only when no transaction did (a refusal, a repeat that changed nothing, an error).
final class AuditSlot: Sendable {
    let actor: String
    let action: String
    let subject: String?
    let officeCode: String?
    let remoteAddress: String?
    private let committed = Atomic<Bool>(false)
    /// Appended in a PostgreSQL transaction not yet known to have committed (`PostgresLedger.withTransaction(audit:)`).
    private let appended = Atomic<Bool>(false)

    init(actor: String, action: String, subject: String?, officeCode: String?, remoteAddress: String?) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.officeCode = officeCode
        self.remoteAddress = remoteAddress
    }

    func entry(outcome: Int) -> AuditEntry {
        AuditEntry(actor: actor, action: action, subject: subject, officeCode: officeCode, remoteAddress: remoteAddress, outcome: outcome)
    }

    /// Appends the entry, with `outcome` the status the request answers when this change is made, in `db`'s transaction.
    func append(outcome: Int, at date: Date, in db: Database) throws {
        try AppDatabase.appendAudit([entry(outcome: outcome)], at: date, in: db)
        db.afterNextTransaction(onCommit: { [self] _ in committed.store(true, ordering: .releasing) })
    }

    /// Whether a transaction that appended the entry was committed.
    var isCommitted: Bool { committed.load(ordering: .acquiring) }
}

/// On PostgreSQL, whose transactions the slot cannot watch as GRDB's: the entry is appended in the transaction that
/// makes the change, and `PostgresLedger.withTransaction(audit:)` tells the slot when that transaction committed.
extension AuditSlot {
    func append(outcome: Int, at date: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await PostgresLedger.appendAudit([entry(outcome: outcome)], at: LedgerTime.string(date), on: connection, logger: logger)
        appended.store(true, ordering: .releasing)
    }

    /// The transaction that ran `append(outcome:at:on:logger:)` committed (a no-op when none did).
    func transactionCommitted() {
        if appended.load(ordering: .acquiring) { committed.store(true, ordering: .releasing) }
    }
}
