import GRDB

extension AppDatabase {
    /// Rewrites every ID number (dossier rows and frozen registration payloads) not yet under the current key,
    /// in batches of one transaction each, so a large ledger does not hold the write lock for long.
    func resealIdNumbers(batch: Int = 5_000) async throws -> (dossiers: Int, messages: Int) {
        let idNumbers = idNumbers
        let stale = "\(IdNumberSealer.prefix)\(idNumbers.current.id):*"
        var dossiers = 0
        while true {
            let done = try await write { db -> Int in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, applicantIdSealed FROM dossier WHERE applicantIdSealed NOT GLOB ? LIMIT ?",
                    arguments: [stale, batch])
                for row in rows {
                    let plain = try idNumbers.open(row["applicantIdSealed"])
                    try db.execute(
                        sql: "UPDATE dossier SET applicantIdSealed = ? WHERE id = ?", arguments: [idNumbers.seal(plain), row["id"] as Int64])
                }
                return rows.count
            }
            dossiers += done
            if done < batch { break }
        }
        let messages = try await write { db in
            try Self.rewriteRegistrationPayloads(in: db) { id, payload in try Self.resealed(payload, messageId: id, with: idNumbers) }
        }
        return (dossiers, messages)
    }

    /// A frozen registration payload with its ID number under the current key (unchanged when it is already): the same
    /// on either backend.
    static func resealed(_ payload: String, messageId id: Int64, with idNumbers: IdNumberSealer) throws -> String {
        guard !payload.contains("\"SoGiayTo\":\"\(IdNumberSealer.prefix)\(idNumbers.current.id):") else { return payload }
        guard let opened = OneStopRegistration.openingIdNumber(payload, with: idNumbers) else {
            throw IdNumberSealer.OpenError(description: "outbox message \(id) is sealed with a key that is not in the keyring")
        }
        return OneStopRegistration.sealingIdNumber(opened, with: idNumbers)
    }

    /// Rewrites every frozen registration payload through `rewrite` (given its message id), writing only those it
    /// changes; answers how many.
    /// In pages by id, so that a ledger of a million dossiers is never held in memory at once.
    @discardableResult
    static func rewriteRegistrationPayloads(in db: Database, _ rewrite: (Int64, String) throws -> String) throws -> Int {
        var after: Int64 = 0
        var changed = 0
        while true {
            let page = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, payload FROM outboxMessage WHERE kind = 'registerDossier' AND id > ? ORDER BY id LIMIT 5000
                    """, arguments: [after])
            for row in page {
                let payload: String = row["payload"]
                let id: Int64 = row["id"]
                let rewritten = try rewrite(id, payload)
                guard rewritten != payload else { continue }
                try db.execute(sql: "UPDATE outboxMessage SET payload = ? WHERE id = ?", arguments: [rewritten, id])
                changed += 1
            }
            guard let last = page.last?["id"] as Int64? else { return changed }
            after = last
        }
    }
}
