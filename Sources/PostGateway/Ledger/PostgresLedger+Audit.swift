import Foundation
import PostgresNIO

/// The audit log on PostgreSQL: one chain, whichever instance appends.
extension PostgresLedger {
    /// The audit log is one chain for every instance: its head is read and extended under a transaction lock, so two
    /// instances cannot both chain onto the same row; the lock goes with the commit. One chain rather than one per
    /// instance, because the log is read and verified as one sequence of what happened (`audit verify`, `ledger copy`).
    static func appendAudit(_ entries: [AuditEntry], at: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        try await connection.query("SELECT pg_advisory_xact_lock(\(TransactionLock.auditHead.rawValue))", logger: logger)
        var id: Int64 = 0
        var previous = AuditEntry.genesis
        for try await (lastId, hash) in try await connection.query("SELECT id, hash FROM auditLog ORDER BY id DESC LIMIT 1", logger: logger).decode(
            (Int64, String).self)
        {
            (id, previous) = (lastId, hash)
        }
        for entry in entries {
            id += 1
            let hash = AuditEntry.chainHash(
                previous: previous, id: id, at: at, actor: entry.actor, action: entry.action, subject: entry.subject, officeCode: entry.officeCode,
                remoteAddress: entry.remoteAddress, outcome: entry.outcome)
            try await connection.query(
                """
                INSERT INTO auditLog (id, at, actor, action, subject, officeCode, remoteAddress, outcome, previousHash, hash)
                VALUES (\(id), \(at), \(entry.actor), \(entry.action), \(entry.subject), \(entry.officeCode), \(entry.remoteAddress), \(entry.outcome),
                        \(previous), \(hash))
                """, logger: logger)
            previous = hash
        }
    }

    /// `AppDatabase.verifyAudit` on PostgreSQL: the whole chain walked in id order.
    func verifyAudit() async throws -> AppDatabase.AuditVerification {
        var walk = AuditChainWalk()
        let rows = try await client.query(
            "SELECT id, at, actor, action, subject, officeCode, remoteAddress, outcome, previousHash, hash FROM auditLog ORDER BY id", logger: logger)
        for try await (id, at, actor, action, subject, office, address, outcome, previous, hash) in rows.decode(
            (Int64, String, String, String, String?, String?, String?, Int, String, String).self)
        {
            let entry = AuditEntry(actor: actor, action: action, subject: subject, officeCode: office, remoteAddress: address, outcome: outcome)
            if let broken = walk.step(AuditChainWalk.Row(id: id, at: at, entry: entry, previousHash: previous, hash: hash)) { return broken }
        }
        return walk.verdict
    }

    /// `AppDatabase.appendAudit`: entries that change nothing else (a refused login, a denied request), in a
    /// transaction of their own.
    func appendAudit(_ entries: [AuditEntry], at date: Date) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await Self.appendAudit(entries, at: LedgerTime.string(date), on: connection, logger: logger)
        }
    }
}
