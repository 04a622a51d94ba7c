import Foundation
import PostgresNIO

/// Login slow-downs on PostgreSQL: failures counted in the ledger, so that a password guessed at several instances
/// slows down as it would at one.
extension PostgresLedger {
    /// `AppDatabase.claimLoginAttempt` on PostgreSQL. Each key's count is read and moved under a transaction lock of its
    /// own, taken in the keys' order so that two attempts naming the same keys cannot wait on each other: a burst of
    /// attempts at two instances at once is counted one after the other, and only the free ones get a guess.
    func claimLoginAttempt(_ keys: [(key: String, rule: LoginThrottle.Rule)], at date: Date) async throws -> Int? {
        try await client.withTransaction(logger: logger) { connection in
            for key in keys.map(\.key).sorted() {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("login:" + key), 0))", logger: logger)
            }
            let now = LedgerTime.string(date)
            try await connection.query(
                "DELETE FROM loginThrottle WHERE lastFailureAt <= \(LedgerTime.string(date.addingTimeInterval(-LoginThrottle.memory)))",
                logger: logger)
            var wait: Int? = nil
            for (key, rule) in keys {
                let rows = try await connection.query("SELECT failures, lastFailureAt FROM loginThrottle WHERE key = \(key)", logger: logger)
                for try await (failures, lastFailure) in rows.decode((Int, String).self) {
                    let seconds = LoginThrottle.wait(
                        failures: failures, lastFailure: Date.fromDatabaseValue(lastFailure.databaseValue), now: date, rule: rule)
                    if let seconds { wait = max(wait ?? 0, seconds) }
                }
            }
            if wait != nil { return wait }
            for (key, _) in keys {
                try await connection.query(
                    """
                    INSERT INTO loginThrottle (key, failures, lastFailureAt) VALUES (\(key), 1, \(now))
                    ON CONFLICT (key) DO UPDATE SET failures = loginThrottle.failures + 1, lastFailureAt = EXCLUDED.lastFailureAt
                    """, logger: logger)
            }
            return nil
        }
    }
}
