import Foundation
import PostgresNIO

/// The PIN guard on PostgreSQL: wrong PINs counted in the ledger, so that the limit holds for a dossier whichever
/// instance a citizen's lookups reach (a guess spread over two instances is counted once, not once each).
extension PostgresLedger {
    /// Keys of the per-dossier locks of wrong-PIN counting, beside the ledger's other advisory locks.
    private static func pinLock(_ dossierId: Int64) -> Int64 { 0x5049_4E00_0000_0000 | dossierId }

    /// `AppDatabase.pinVerdict` on PostgreSQL.
    func pinVerdict(dossierId: Int64, at now: Date) async throws -> PinGuard.Verdict {
        let rows = try await client.query(
            "SELECT closedUntil FROM pinLockout WHERE dossierId = \(dossierId) AND closedUntil > \(LedgerTime.string(now))", logger: logger)
        for try await until in rows.decode(String.self) { return .closed(until: Date.fromDatabaseValue(until.databaseValue)!) }
        return .open
    }

    /// `AppDatabase.recordWrongPin` on PostgreSQL. The dossier's count is taken under a lock of its own until the
    /// commit: guesses at two instances at once are counted one after the other, so each is counted and exactly one
    /// closes the view (under PostgreSQL's read committed, two transactions would otherwise each count without the
    /// other's uncommitted row, and neither close it).
    func recordWrongPin(dossierId: Int64, at now: Date, guard rule: PinGuard) async throws -> Date? {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.pinLock(dossierId)))", logger: logger)
            let nowText = LedgerTime.string(now)
            let closed = try await connection.query(
                "SELECT 1 FROM pinLockout WHERE dossierId = \(dossierId) AND closedUntil > \(nowText)", logger: logger)
            for try await _ in closed.decode(Int.self) { return nil }
            let windowStart = LedgerTime.string(now.addingTimeInterval(-rule.window))
            try await connection.query("DELETE FROM pinFailure WHERE dossierId = \(dossierId) AND failedAt <= \(windowStart)", logger: logger)
            try await connection.query("INSERT INTO pinFailure (dossierId, failedAt) VALUES (\(dossierId), \(nowText))", logger: logger)
            var failures = 0
            for try await count in try await connection.query("SELECT count(*) FROM pinFailure WHERE dossierId = \(dossierId)", logger: logger)
                .decode(Int.self)
            {
                failures = count
            }
            guard failures >= rule.limit else { return nil }
            let until = now.addingTimeInterval(rule.closedFor)
            try await connection.query("DELETE FROM pinFailure WHERE dossierId = \(dossierId)", logger: logger)
            try await connection.query(
                """
                INSERT INTO pinLockout (dossierId, closedAt, closedUntil) VALUES (\(dossierId), \(nowText), \(LedgerTime.string(until)))
                ON CONFLICT (dossierId) DO UPDATE SET closedAt = EXCLUDED.closedAt, closedUntil = EXCLUDED.closedUntil
                """, logger: logger)
            return until
        }
    }

    /// `AppDatabase.forgetWrongPins` on PostgreSQL.
    func forgetWrongPins(dossierId: Int64) async throws {
        try await client.query("DELETE FROM pinFailure WHERE dossierId = \(dossierId)", logger: logger)
    }
}

/// Public tracking's reads on PostgreSQL: the same answer as `AppDatabase.trackedDossier`, assembled by the same
/// `TrackedDossier.add` from the same statement in PostgreSQL's words, in one snapshot (a repeatable-read transaction,
/// as SQLite's read is one), and what each series has left.
extension PostgresLedger {
    func trackedDossier(code: String, withLinks: Bool) async throws -> TrackedDossier? {
        try await inSnapshot { connection in
            var binds = PostgresBindings()
            binds.append(code)
            binds.append(withLinks)
            var dossier: TrackedDossier?
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: TrackedDossier.postgresSQL, binds: binds), logger: logger) {
                TrackedDossier.add(try Self.grdbRow(row), to: &dossier, withLinks: withLinks)
            }
            if let id = dossier?.id {
                for try await row in try await connection.query(
                    "SELECT milestone, sentAt FROM notice WHERE dossierId = \(id) AND state = 'sent' ORDER BY sentAt, id", logger: logger)
                {
                    dossier!.add(notice: try Self.grdbRow(row))
                }
            }
            return dossier
        }
    }

    /// `AppDatabase.lastSerials` on PostgreSQL.
    func lastSerials() async throws -> [String: Int] {
        var last: [String: Int] = [:]
        for try await (prefix, serial) in try await client.query("SELECT prefix, lastSerial FROM serialCounter", logger: logger).decode(
            (String, Int).self)
        {
            last[prefix] = serial
        }
        return last
    }

    /// `AppDatabase.serialsLeft` on PostgreSQL.
    func serialsLeft(_ series: [TrackingSeries]) async throws -> [TrackingSeries.Standing] {
        let last = try await lastSerials()
        return series.map { $0.standing(after: last[$0.prefix] ?? 0) }
    }
}
