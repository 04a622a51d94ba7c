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
                let rows = try Row.fetchAll(db, sql: "SELECT id, applicantIdSealed FROM dossier WHERE applicantIdSealed NOT GLOB ? LIMIT ?",
                                            arguments: [stale, batch])
                for row in rows {
                    let plain = try idNumbers.open(row["applicantIdSealed"])
                    try db.execute(sql: "UPDATE dossier SET applicantIdSealed = ? WHERE id = ?", arguments: [idNumbers.seal(plain), row["id"] as Int64])
                }
                return rows.count
            }
            dossiers += done
            if done < batch { break }
        }
        let current = "\"SoGiayTo\":\"\(IdNumberSealer.prefix)\(idNumbers.current.id):"
        let messages = try await write { db -> Int in
            var count = 0
            for row in try Row.fetchAll(db, sql: "SELECT id, payload FROM outboxMessage WHERE kind = 'registerDossier'") {
                let payload: String = row["payload"]
                guard !payload.contains(current) else { continue }
                guard let opened = OneStopRegistration.openingIdNumber(payload, with: idNumbers) else {
                    throw IdNumberSealer.OpenError(description: "outbox message \(row["id"] as Int64) is sealed with a key that is not in the keyring")
                }
                let resealed = OneStopRegistration.sealingIdNumber(opened, with: idNumbers)
                try db.execute(sql: "UPDATE outboxMessage SET payload = ? WHERE id = ?", arguments: [resealed, row["id"] as Int64])
                count += 1
            }
            return count
        }
        return (dossiers, messages)
    }
}
