import PostgresNIO

/// The nightly reconciliation runs once across all instances: in place of the file lock one process takes
/// (`RunLock`), a session advisory lock that the whole ledger shares.
extension PostgresLedger {
    /// Runs `body` holding the reconciliation lock, or answers nil at once when another instance (or a `reconcile`
    /// command) holds it. The lock belongs to one pooled connection for the run's length, and goes with that session: an
    /// instance that dies mid-run lets it go, as a process's file lock goes with the process.
    func withRunLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T? {
        try await client.withConnection { connection in
            let key = AdvisoryLock.reconciliation.rawValue
            var taken = false
            for try await got in try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger).decode(Bool.self) {
                taken = got
            }
            guard taken else { return nil }
            let outcome: Result<T, any Error>
            do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
            try await connection.query("SELECT pg_advisory_unlock(\(key))", logger: logger)
            return try outcome.get()
        }
    }
}
