import Foundation
import PostgresNIO

/// Re-sealing ID numbers under the current key on PostgreSQL: `AppDatabase.resealIdNumbers`, the same result. Each
/// batch of dossiers is one transaction that skips rows another is re-sealing (`SKIP LOCKED`), so that instances writing
/// meanwhile, or a second `reseal` started by mistake, are never waited on for long nor undone.
extension PostgresLedger {
    func resealIdNumbers(with idNumbers: IdNumberSealer, batch: Int = 5_000) async throws -> (dossiers: Int, messages: Int) {
        let current = "\(IdNumberSealer.prefix)\(idNumbers.current.id):"
        var dossiers = 0
        while true {
            let done = try await client.withTransaction(logger: logger) { connection -> Int in
                var stale: [(Int64, String)] = []
                for try await row in try await connection.query(
                    """
                    SELECT id, applicantIdSealed FROM dossier WHERE NOT starts_with(applicantIdSealed, \(current))
                    ORDER BY id LIMIT \(batch) FOR UPDATE SKIP LOCKED
                    """, logger: logger
                ).decode((Int64, String).self) {
                    stale.append(row)
                }
                for (id, sealed) in stale {
                    let resealed = try idNumbers.seal(try idNumbers.open(sealed))
                    try await connection.query("UPDATE dossier SET applicantIdSealed = \(resealed) WHERE id = \(id)", logger: logger)
                }
                return stale.count
            }
            dossiers += done
            if done < batch { break }
        }
        let messages = try await client.withTransaction(logger: logger) { connection -> Int in
            var after: Int64 = 0
            var changed = 0
            while true {
                var page: [(Int64, String)] = []
                for try await row in try await connection.query(
                    "SELECT id, payload FROM outboxMessage WHERE kind = 'registerDossier' AND id > \(after) ORDER BY id LIMIT 5000 FOR UPDATE",
                    logger: logger
                ).decode((Int64, String).self) {
                    page.append(row)
                }
                for (id, payload) in page {
                    let resealed = try AppDatabase.resealed(payload, messageId: id, with: idNumbers)
                    guard resealed != payload else { continue }
                    try await connection.query("UPDATE outboxMessage SET payload = \(resealed) WHERE id = \(id)", logger: logger)
                    changed += 1
                }
                guard let last = page.last?.0 else { return changed }
                after = last
            }
        }
        return (dossiers, messages)
    }
}
