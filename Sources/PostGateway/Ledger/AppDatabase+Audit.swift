import Foundation
import GRDB

extension AppDatabase {
    /// Appends entries to the audit log inside the caller's transaction, each chained to the one before.
    static func appendAudit(_ entries: [AuditEntry], at date: Date, in db: Database) throws {
        try appendAudit(entries.map { ($0, date) }, in: db)
    }

    /// Appends entries that each happened at their own time, in the order given.
    static func appendAudit(_ entries: [(entry: AuditEntry, at: Date)], in db: Database) throws {
        try appendAudit(written: entries.map { ($0.entry, LedgerTime.string($0.at)) }, in: db)
    }

    /// The same, each time already written as the ledger writes times (`LedgerTime.string`).
    static func appendAudit(written entries: [(entry: AuditEntry, at: String)], in db: Database) throws {
        guard !entries.isEmpty else { return }
        // Statements kept prepared: every write a user makes appends here.
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, hash FROM auditLog ORDER BY id DESC LIMIT 1"))
        var id: Int64 = last?["id"] ?? 0
        var previous: String = last?["hash"] ?? AuditEntry.genesis
        for (entry, at) in entries {
            id += 1
            let hash = AuditEntry.chainHash(
                previous: previous, id: id, at: at, actor: entry.actor, action: entry.action, subject: entry.subject,
                officeCode: entry.officeCode, remoteAddress: entry.remoteAddress, outcome: entry.outcome)
            try db.cachedStatement(
                sql: """
                    INSERT INTO auditLog (id, at, actor, action, subject, officeCode, remoteAddress, outcome, previousHash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    id, at, entry.actor, entry.action, entry.subject, entry.officeCode, entry.remoteAddress, entry.outcome,
                    previous, hash,
                ])
            previous = hash
        }
    }

    func appendAudit(_ entries: [AuditEntry], at date: Date) async throws {
        try await write { db in try Self.appendAudit(entries, at: date, in: db) }
    }

    enum AuditVerification: Equatable, Sendable {
        case intact(rows: Int)
        /// The first row whose stored hashes do not follow from the rows before it.
        case broken(rowId: Int64, reason: String)
    }

    /// Walks the whole chain in id order, in one read transaction.
    func verifyAudit() async throws -> AuditVerification {
        try await read { db in
            var walk = AuditChainWalk()
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM auditLog ORDER BY id")
            while let row = try rows.next() {
                let entry = AuditEntry(
                    actor: row["actor"], action: row["action"], subject: row["subject"], officeCode: row["officeCode"],
                    remoteAddress: row["remoteAddress"], outcome: row["outcome"])
                let stored = AuditChainWalk.Row(id: row["id"], at: row["at"], entry: entry, previousHash: row["previousHash"], hash: row["hash"])
                if let broken = walk.step(stored) { return broken }
            }
            return walk.verdict
        }
    }
}
