import Foundation
import GRDB

extension AppDatabase {
    /// The dossier behind a public tracking code: an item's S10 number (dossier or result) or the one-stop's mã hồ sơ.
    /// `withLinks`: also the linked dossiers, which only a PIN-unlocked answer shows.
    func trackedDossier(code: String, withLinks: Bool) async throws -> TrackedDossier? {
        try await read { db in try TrackedDossier.fetch(db, code: code, withLinks: withLinks) }
    }
}

extension AppDatabase {
    /// The last serial issued under each prefix the ledger has counted (none yet: absent, as if 0).
    func lastSerials() async throws -> [String: Int] {
        try await read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT prefix, lastSerial FROM serialCounter").map { ($0["prefix"], $0["lastSerial"]) })
        }
    }

    /// What each series has left to issue, after the serials the ledger has issued.
    func serialsLeft(_ series: [TrackingSeries]) async throws -> [TrackingSeries.Standing] {
        let last = try await lastSerials()
        return series.map { $0.standing(after: last[$0.prefix] ?? 0) }
    }
}

extension AppDatabase {
    /// Whether a dossier's PIN view is closed at `now`.
    func pinVerdict(dossierId: Int64, at now: Date) async throws -> PinGuard.Verdict {
        try await read { db in
            let until = try Date.fetchOne(
                db, sql: "SELECT closedUntil FROM pinLockout WHERE dossierId = ? AND closedUntil > ?",
                arguments: [dossierId, LedgerTime.string(now)])
            return until.map { .closed(until: $0) } ?? .open
        }
    }

    /// Counts a wrong PIN for a dossier; answers the closing instant when this one closes its PIN view. One transaction,
    /// so parallel guesses cannot all read the same count: each is counted, and only one closes the view.
    func recordWrongPin(dossierId: Int64, at now: Date, guard rule: PinGuard) async throws -> Date? {
        try await write { db in
            let nowText = LedgerTime.string(now)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM pinLockout WHERE dossierId = ? AND closedUntil > ?", arguments: [dossierId, nowText]) == true
            {
                return nil
            }
            let windowStart = LedgerTime.string(now.addingTimeInterval(-rule.window))
            try db.execute(sql: "DELETE FROM pinFailure WHERE dossierId = ? AND failedAt <= ?", arguments: [dossierId, windowStart])
            try db.execute(sql: "INSERT INTO pinFailure (dossierId, failedAt) VALUES (?, ?)", arguments: [dossierId, nowText])
            let failures = try Int.fetchOne(db, sql: "SELECT count(*) FROM pinFailure WHERE dossierId = ?", arguments: [dossierId]) ?? 0
            guard failures >= rule.limit else { return nil }
            let until = now.addingTimeInterval(rule.closedFor)
            try db.execute(sql: "DELETE FROM pinFailure WHERE dossierId = ?", arguments: [dossierId])
            try db.execute(
                sql: "INSERT OR REPLACE INTO pinLockout (dossierId, closedAt, closedUntil) VALUES (?, ?, ?)",
                arguments: [dossierId, nowText, LedgerTime.string(until)])
            return until
        }
    }

    /// The right PIN: the dossier's earlier wrong ones were the citizen's own typing, and are forgotten.
    func forgetWrongPins(dossierId: Int64) async throws {
        // Read first: most right PINs come with no wrong one before them, and need no write.
        let any = try await read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM pinFailure WHERE dossierId = ? LIMIT 1", arguments: [dossierId]) }
        guard any == true else { return }
        try await write { db in try db.execute(sql: "DELETE FROM pinFailure WHERE dossierId = ?", arguments: [dossierId]) }
    }
}
