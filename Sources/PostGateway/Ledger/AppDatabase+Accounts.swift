import Foundation
import GRDB

extension AppDatabase {
    enum AccountChange: Equatable, Sendable { case done, notFound, usernameTaken }

    func hasAccounts() async throws -> Bool {
        try await read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staffAccount)") ?? false }
    }

    func createAccount(
        username: String, displayName: String, role: StaffIdentity.Role, officeCode: String?, passwordHash: String,
        at date: Date, audit: AuditEntry
    ) async throws -> AccountChange {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staffAccount WHERE username = ?)", arguments: [username]) == true {
                return .usernameTaken
            }
            try db.execute(
                sql: """
                    INSERT INTO staffAccount (username, displayName, role, officeCode, passwordHash, createdAt) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [username, displayName, role.rawValue, officeCode, passwordHash, LedgerTime.string(date)])
            try Self.appendAudit([audit], at: date, in: db)
            return .done
        }
    }

    func accounts() async throws -> [StaffAccount] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM staffAccount ORDER BY username").map { row in
                var account = Self.account(row)
                account.failedLogins =
                    try Int.fetchOne(
                        db, sql: "SELECT failures FROM loginThrottle WHERE key = ?",
                        arguments: [LoginThrottle.accountKey(account.username)]) ?? 0
                return account
            }
        }
    }

    /// The account and its password hash, for a login.
    func accountForLogin(username: String) async throws -> (account: StaffAccount, passwordHash: String)? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM staffAccount WHERE username = ?", arguments: [username]).map {
                (Self.account($0), $0["passwordHash"])
            }
        }
    }

    /// Disabling an account also ends its sessions.
    func disableAccount(username: String, at date: Date, audit: AuditEntry) async throws -> AccountChange {
        try await write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM staffAccount WHERE username = ?", arguments: [username]) else {
                return .notFound
            }
            try db.execute(
                sql: "UPDATE staffAccount SET disabledAt = coalesce(disabledAt, ?) WHERE id = ?", arguments: [LedgerTime.string(date), id])
            try db.execute(sql: "DELETE FROM staffSession WHERE accountId = ?", arguments: [id])
            try Self.appendAudit([audit], at: date, in: db)
            return .done
        }
    }

    /// A new password clears the failed-login count (the slow-down) and ends every session of the account.
    func resetPassword(username: String, passwordHash: String, at date: Date, audit: AuditEntry) async throws -> AccountChange {
        try await write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM staffAccount WHERE username = ?", arguments: [username]) else {
                return .notFound
            }
            try db.execute(sql: "UPDATE staffAccount SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, id])
            try db.execute(sql: "DELETE FROM loginThrottle WHERE key = ?", arguments: [LoginThrottle.accountKey(username)])
            try db.execute(sql: "DELETE FROM staffSession WHERE accountId = ?", arguments: [id])
            try Self.appendAudit([audit], at: date, in: db)
            return .done
        }
    }

    /// Decides whether a login attempt may be checked (nil) or must wait (the seconds), and when it may, counts it as a
    /// failure under every key before the password is checked (a success forgets the account's). One transaction, so
    /// a burst of parallel attempts cannot all read the same count and each get a guess.
    func claimLoginAttempt(_ keys: [(key: String, rule: LoginThrottle.Rule)], at date: Date) async throws -> Int? {
        try await write { db in
            let now = LedgerTime.string(date)
            try db.execute(
                sql: "DELETE FROM loginThrottle WHERE lastFailureAt <= ?",
                arguments: [LedgerTime.string(date.addingTimeInterval(-LoginThrottle.memory))])
            var wait: Int? = nil
            for (key, rule) in keys {
                guard let row = try Row.fetchOne(db, sql: "SELECT failures, lastFailureAt FROM loginThrottle WHERE key = ?", arguments: [key])
                else { continue }
                if let seconds = LoginThrottle.wait(failures: row["failures"], lastFailure: row["lastFailureAt"], now: date, rule: rule) {
                    wait = max(wait ?? 0, seconds)
                }
            }
            if wait != nil { return wait }
            for (key, _) in keys {
                try db.execute(
                    sql: """
                        INSERT INTO loginThrottle (key, failures, lastFailureAt) VALUES (?, 1, ?)
                        ON CONFLICT (key) DO UPDATE SET failures = failures + 1, lastFailureAt = excluded.lastFailureAt
                        """, arguments: [key, now])
            }
            return nil
        }
    }

    /// A successful login: the account's failures are forgotten and a session starts.
    func startSession(
        accountId: Int64, username: String, tokenHash: String, csrfToken: String, at date: Date, expiresAt: Date,
        audit: AuditEntry
    ) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM loginThrottle WHERE key = ?", arguments: [LoginThrottle.accountKey(username)])
            try db.execute(sql: "DELETE FROM staffSession WHERE expiresAt <= ?", arguments: [LedgerTime.string(date)])
            try db.execute(
                sql: "INSERT INTO staffSession (tokenHash, accountId, csrfToken, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [tokenHash, accountId, csrfToken, LedgerTime.string(date), LedgerTime.string(expiresAt)])
            try Self.appendAudit([audit], at: date, in: db)
        }
    }

    /// A staff member's own new password: the account's failed logins are forgotten and every session but `keptSession`
    /// (the one that asked) ends, so a session someone else opened with the old password is closed.
    func changeOwnPassword(
        accountId: Int64, username: String, passwordHash: String, keptSession: String?, at date: Date,
        audit: AuditSlot?
    ) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE staffAccount SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, accountId])
            try db.execute(sql: "DELETE FROM staffSession WHERE accountId = ? AND tokenHash IS NOT ?", arguments: [accountId, keptSession])
            try db.execute(sql: "DELETE FROM loginThrottle WHERE key = ?", arguments: [LoginThrottle.accountKey(username)])
            try audit?.append(outcome: 200, at: date, in: db)
        }
    }

    func endSession(tokenHash: String, at date: Date, audit: AuditEntry) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM staffSession WHERE tokenHash = ?", arguments: [tokenHash])
            try Self.appendAudit([audit], at: date, in: db)
        }
    }

    /// Who a session cookie belongs to, while it is unexpired and its account enabled.
    func sessionIdentity(tokenHash: String, now: Date) async throws -> StaffIdentity? {
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT a.username, a.role, a.officeCode, s.csrfToken FROM staffSession s JOIN staffAccount a ON a.id = s.accountId
                        WHERE s.tokenHash = ? AND s.expiresAt > ? AND a.disabledAt IS NULL
                        """), arguments: [tokenHash, LedgerTime.string(now)]
            ).map(Self.sessionIdentity)
        }
    }

    func createToken(
        tokenHash: String, label: String, role: StaffIdentity.Role, officeCode: String?, at date: Date,
        audit: @escaping @Sendable (Int64) -> AuditEntry
    ) async throws -> Int64 {
        let entry = audit
        return try await write { db in
            try db.execute(
                sql: "INSERT INTO apiToken (tokenHash, label, role, officeCode, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [tokenHash, label, role.rawValue, officeCode, LedgerTime.string(date)])
            let id = db.lastInsertedRowID
            try Self.appendAudit([entry(id)], at: date, in: db)
            return id
        }
    }

    func tokens() async throws -> [ApiTokenInfo] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM apiToken ORDER BY id").map(Self.tokenInfo)
        }
    }

    func revokeToken(id: Int64, at date: Date, audit: AuditEntry) async throws -> AccountChange {
        try await write { db in
            try db.execute(sql: "UPDATE apiToken SET revokedAt = coalesce(revokedAt, ?) WHERE id = ?", arguments: [LedgerTime.string(date), id])
            guard db.changesCount > 0 else { return .notFound }
            try Self.appendAudit([audit], at: date, in: db)
            return .done
        }
    }

    /// Who an API token acts as, unless it was revoked.
    func tokenIdentity(tokenHash: String) async throws -> StaffIdentity? {
        // Asked for every API request: a statement kept prepared by each reader, not parsed again each time.
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, role, officeCode FROM apiToken WHERE tokenHash = ? AND revokedAt IS NULL"),
                arguments: [tokenHash]
            ).map(Self.tokenIdentity)
        }
    }

    /// Rows of the accounts' tables as the app's types, the same on either backend.
    static func sessionIdentity(_ row: Row) -> StaffIdentity {
        StaffIdentity(
            name: row["username"], role: StaffIdentity.Role(rawValue: row["role"])!, officeCode: row["officeCode"], csrfToken: row["csrfToken"])
    }

    static func tokenIdentity(_ row: Row) -> StaffIdentity {
        StaffIdentity(name: "token:\(row["id"] as Int64)", role: StaffIdentity.Role(rawValue: row["role"])!, officeCode: row["officeCode"])
    }

    static func tokenInfo(_ row: Row) -> ApiTokenInfo {
        ApiTokenInfo(
            id: row["id"], label: row["label"], role: StaffIdentity.Role(rawValue: row["role"])!, officeCode: row["officeCode"],
            createdAt: row["createdAt"], revoked: row["revokedAt"] != nil)
    }

    static func account(_ row: Row) -> StaffAccount {
        StaffAccount(
            id: row["id"], username: row["username"], displayName: row["displayName"], role: StaffIdentity.Role(rawValue: row["role"])!,
            officeCode: row["officeCode"], disabled: row["disabledAt"] != nil)
    }
}
