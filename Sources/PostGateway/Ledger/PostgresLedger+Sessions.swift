import Foundation
import GRDB
import PostgresNIO

/// Accounts, sessions and API tokens on PostgreSQL: `AppDatabase+Accounts`, the same rows and answers. They hold
/// across instances because they are only in the ledger: a session opened at one instance is known at every other, and
/// a password reset, a disabled account or a revoked token ends them everywhere with the commit (no instance keeps a
/// copy). Two instances creating one username at once: the unique username decides, and the second is told it is taken.
extension PostgresLedger {
    func hasAccounts() async throws -> Bool {
        try await exists("SELECT 1 FROM staffAccount LIMIT 1")
    }

    func createAccount(
        username: String, displayName: String, role: StaffIdentity.Role, officeCode: String?, passwordHash: String, at date: Date,
        audit: AuditEntry
    ) async throws -> AppDatabase.AccountChange {
        try await client.withTransaction(logger: logger) { connection in
            // Asked first, as on SQLite, so that a refused name does not use up an id of the sequence.
            if try await Self.exists("SELECT 1 FROM staffAccount WHERE username = \(username)", on: connection, logger: logger) {
                return .usernameTaken
            }
            let created = try await Self.exists(
                """
                INSERT INTO staffAccount (username, displayName, role, officeCode, passwordHash, createdAt)
                VALUES (\(username), \(displayName), \(role.rawValue), \(officeCode), \(passwordHash), \(LedgerTime.string(date)))
                ON CONFLICT (username) DO NOTHING RETURNING id
                """, on: connection, logger: logger)
            guard created else { return .usernameTaken }
            try await Self.appendAudit([audit], at: LedgerTime.string(date), on: connection, logger: logger)
            return .done
        }
    }

    func accounts() async throws -> [StaffAccount] {
        var accounts: [StaffAccount] = []
        for row in try await rows("SELECT * FROM staffAccount ORDER BY username") {
            var account = AppDatabase.account(row)
            let key = LoginThrottle.accountKey(account.username)
            account.failedLogins = try await rows("SELECT failures FROM loginThrottle WHERE key = \(key)").first?["failures"] ?? 0
            accounts.append(account)
        }
        return accounts
    }

    func accountForLogin(username: String) async throws -> (account: StaffAccount, passwordHash: String)? {
        try await rows("SELECT * FROM staffAccount WHERE username = \(username)").first.map { (AppDatabase.account($0), $0["passwordHash"]) }
    }

    func disableAccount(username: String, at date: Date, audit: AuditEntry) async throws -> AppDatabase.AccountChange {
        try await changeAccount(username: username, at: date, audit: audit) { id, connection in
            try await connection.query(
                "UPDATE staffAccount SET disabledAt = coalesce(disabledAt, \(LedgerTime.string(date))) WHERE id = \(id)", logger: logger)
            try await connection.query("DELETE FROM staffSession WHERE accountId = \(id)", logger: logger)
        }
    }

    func resetPassword(username: String, passwordHash: String, at date: Date, audit: AuditEntry) async throws -> AppDatabase.AccountChange {
        try await changeAccount(username: username, at: date, audit: audit) { id, connection in
            try await connection.query("UPDATE staffAccount SET passwordHash = \(passwordHash) WHERE id = \(id)", logger: logger)
            try await connection.query("DELETE FROM loginThrottle WHERE key = \(LoginThrottle.accountKey(username))", logger: logger)
            try await connection.query("DELETE FROM staffSession WHERE accountId = \(id)", logger: logger)
        }
    }

    func startSession(
        accountId: Int64, username: String, tokenHash: String, csrfToken: String, at date: Date, expiresAt: Date, audit: AuditEntry
    ) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("DELETE FROM loginThrottle WHERE key = \(LoginThrottle.accountKey(username))", logger: logger)
            try await connection.query("DELETE FROM staffSession WHERE expiresAt <= \(LedgerTime.string(date))", logger: logger)
            try await connection.query(
                """
                INSERT INTO staffSession (tokenHash, accountId, csrfToken, createdAt, expiresAt)
                VALUES (\(tokenHash), \(accountId), \(csrfToken), \(LedgerTime.string(date)), \(LedgerTime.string(expiresAt)))
                """, logger: logger)
            try await Self.appendAudit([audit], at: LedgerTime.string(date), on: connection, logger: logger)
        }
    }

    func changeOwnPassword(
        accountId: Int64, username: String, passwordHash: String, keptSession: String?, at date: Date, audit: AuditSlot?
    ) async throws {
        try await withTransaction(audit: audit) { connection in
            try await connection.query("UPDATE staffAccount SET passwordHash = \(passwordHash) WHERE id = \(accountId)", logger: logger)
            try await connection.query(
                "DELETE FROM staffSession WHERE accountId = \(accountId) AND tokenHash IS DISTINCT FROM \(keptSession)", logger: logger)
            try await connection.query("DELETE FROM loginThrottle WHERE key = \(LoginThrottle.accountKey(username))", logger: logger)
            try await audit?.append(outcome: 200, at: date, on: connection, logger: logger)
        }
    }

    func endSession(tokenHash: String, at date: Date, audit: AuditEntry) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("DELETE FROM staffSession WHERE tokenHash = \(tokenHash)", logger: logger)
            try await Self.appendAudit([audit], at: LedgerTime.string(date), on: connection, logger: logger)
        }
    }

    func sessionIdentity(tokenHash: String, now: Date) async throws -> StaffIdentity? {
        try await rows(
            """
            SELECT a.username, a.role, a.officeCode, s.csrfToken FROM staffSession s JOIN staffAccount a ON a.id = s.accountId
            WHERE s.tokenHash = \(tokenHash) AND s.expiresAt > \(LedgerTime.string(now)) AND a.disabledAt IS NULL
            """
        ).first.map(AppDatabase.sessionIdentity)
    }

    func createToken(
        tokenHash: String, label: String, role: StaffIdentity.Role, officeCode: String?, at date: Date,
        audit: @escaping @Sendable (Int64) -> AuditEntry
    ) async throws -> Int64 {
        try await client.withTransaction(logger: logger) { connection in
            var id: Int64 = 0
            for try await value in try await connection.query(
                """
                INSERT INTO apiToken (tokenHash, label, role, officeCode, createdAt)
                VALUES (\(tokenHash), \(label), \(role.rawValue), \(officeCode), \(LedgerTime.string(date))) RETURNING id
                """, logger: logger
            ).decode(Int64.self) {
                id = value
            }
            try await Self.appendAudit([audit(id)], at: LedgerTime.string(date), on: connection, logger: logger)
            return id
        }
    }

    func tokens() async throws -> [ApiTokenInfo] {
        try await rows("SELECT * FROM apiToken ORDER BY id").map(AppDatabase.tokenInfo)
    }

    func revokeToken(id: Int64, at date: Date, audit: AuditEntry) async throws -> AppDatabase.AccountChange {
        try await client.withTransaction(logger: logger) { connection in
            let revoked = try await Self.exists(
                "UPDATE apiToken SET revokedAt = coalesce(revokedAt, \(LedgerTime.string(date))) WHERE id = \(id) RETURNING id",
                on: connection, logger: logger)
            guard revoked else { return .notFound }
            try await Self.appendAudit([audit], at: LedgerTime.string(date), on: connection, logger: logger)
            return .done
        }
    }

    func tokenIdentity(tokenHash: String) async throws -> StaffIdentity? {
        try await rows("SELECT id, role, officeCode FROM apiToken WHERE tokenHash = \(tokenHash) AND revokedAt IS NULL").first.map(
            AppDatabase.tokenIdentity)
    }

    /// A change to the account `username` and its audit entry in one transaction; not found when there is no such account.
    private func changeAccount(
        username: String, at date: Date, audit: AuditEntry, _ change: @Sendable (Int64, PostgresConnection) async throws -> Void
    ) async throws -> AppDatabase.AccountChange {
        try await client.withTransaction(logger: logger) { connection in
            var found: Int64?
            for try await id in try await connection.query(
                "SELECT id FROM staffAccount WHERE username = \(username) FOR UPDATE", logger: logger
            ).decode(Int64.self) {
                found = id
            }
            guard let id = found else { return .notFound }
            try await change(id, connection)
            try await Self.appendAudit([audit], at: LedgerTime.string(date), on: connection, logger: logger)
            return .done
        }
    }

    /// The rows a query answers, as GRDB rows for the records' and the app types' initialisers.
    private func rows(_ query: PostgresQuery) async throws -> [Row] {
        var rows: [Row] = []
        for try await row in try await client.query(query, logger: logger) { rows.append(try Self.grdbRow(row)) }
        return rows
    }
}
