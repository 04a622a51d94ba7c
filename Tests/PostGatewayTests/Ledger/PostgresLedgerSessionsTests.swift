import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// Accounts, sessions and API tokens on PostgreSQL: the rows and answers SQLite gives, and what holds across instances
/// (a session or a token known, and ended, everywhere at once; a username taken once).
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerSessionsTests {

    func at(minutes: Double) -> Date { TestSupport.mondayMorning.addingTimeInterval(minutes * 60) }

    /// A stored password's shape (the schema takes bcrypt hashes only); no password is checked here.
    static func hash(_ seed: String) -> String { "$2b$12$" + seed }

    static func audit(_ action: String, _ subject: String?) -> AuditEntry {
        AuditEntry(actor: "admin", action: action, subject: subject, officeCode: nil, remoteAddress: "10.0.0.5", outcome: 200)
    }

    /// An administrator's morning: accounts made, staff logging in and out, a token given and revoked, an account
    /// disabled and a password reset. Each answer in words.
    func morning(on ledger: some LedgerBackend) async throws -> [String] {
        var answers: [String] = []
        func note(_ value: Any?) { answers.append(value.map { String(describing: $0) } ?? "nil") }
        note(try await ledger.hasAccounts())
        for (username, role, office) in [
            ("le.van.an", StaffIdentity.Role.clerk, "250000"), ("le.van.an", .admin, nil), ("tran.thi.binh", .supervisor, "251750"),
        ] {
            note(
                try await ledger.createAccount(
                    username: username, displayName: "Nhân viên \(username)", role: role, officeCode: office, passwordHash: Self.hash(username),
                    at: at(minutes: 1), audit: Self.audit("account.create", username)))
        }
        note(try await ledger.hasAccounts())
        let login = try #require(try await ledger.accountForLogin(username: "le.van.an"))
        note(login)
        note(try await ledger.accountForLogin(username: "nobody"))
        for (session, minutes) in [("session-1", 10.0), ("session-2", 11)] {
            try await ledger.startSession(
                accountId: login.account.id, username: "le.van.an", tokenHash: session, csrfToken: "csrf-\(session)", at: at(minutes: minutes),
                expiresAt: at(minutes: minutes + 480), audit: Self.audit("login", "le.van.an"))
        }
        note(try await ledger.sessionIdentity(tokenHash: "session-1", now: at(minutes: 20)))
        note(try await ledger.sessionIdentity(tokenHash: "session-1", now: at(minutes: 600)))
        try await ledger.changeOwnPassword(
            accountId: login.account.id, username: "le.van.an", passwordHash: Self.hash("new"), keptSession: "session-1", at: at(minutes: 30),
            audit: AuditSlot(actor: "le.van.an", action: "password.change", subject: nil, officeCode: "250000", remoteAddress: nil))
        note(try await ledger.sessionIdentity(tokenHash: "session-1", now: at(minutes: 31)))
        note(try await ledger.sessionIdentity(tokenHash: "session-2", now: at(minutes: 31)))
        try await ledger.endSession(tokenHash: "session-1", at: at(minutes: 40), audit: Self.audit("logout", "le.van.an"))
        note(try await ledger.sessionIdentity(tokenHash: "session-1", now: at(minutes: 41)))
        let token = try await ledger.createToken(
            tokenHash: "token-1", label: "máy quét quầy 2", role: .clerk, officeCode: "250000", at: at(minutes: 50),
            audit: { id in Self.audit("token.create", "\(id)") })
        note(token)
        note(try await ledger.tokenIdentity(tokenHash: "token-1"))
        note(try await ledger.tokens())
        for id in [token, token, 99] {
            note(try await ledger.revokeToken(id: id, at: at(minutes: 60), audit: Self.audit("token.revoke", "\(id)")))
        }
        note(try await ledger.tokenIdentity(tokenHash: "token-1"))
        note(try await ledger.tokens())
        let supervisor = try #require(try await ledger.accountForLogin(username: "tran.thi.binh")).account
        try await ledger.startSession(
            accountId: supervisor.id, username: "tran.thi.binh", tokenHash: "session-3", csrfToken: "csrf-3", at: at(minutes: 70),
            expiresAt: at(minutes: 550), audit: Self.audit("login", "tran.thi.binh"))
        for username in ["tran.thi.binh", "nobody"] {
            note(try await ledger.disableAccount(username: username, at: at(minutes: 80), audit: Self.audit("account.disable", username)))
        }
        note(try await ledger.sessionIdentity(tokenHash: "session-3", now: at(minutes: 81)))
        note(
            try await ledger.resetPassword(
                username: "le.van.an", passwordHash: Self.hash("reset"), at: at(minutes: 90), audit: Self.audit("password.reset", "le.van.an")))
        note(try await ledger.accounts())
        return answers
    }

    @Test func accountsSessionsAndTokensWriteTheRowsSQLiteWritesAndAnswerTheSame() async throws {
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: IdNumberSealer.ephemeral())
        let expected = try await morning(on: sqlite)
        #expect(expected.first == "false")
        #expect(expected.filter { $0 == "usernameTaken" }.count == 1)
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            #expect(try await morning(on: ledger) == expected)
            for table in try await sqlite.read({ db in try LedgerCopy.tables(db) }) {
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                let postgresDigest = try await LedgerCopy.digest(table, client: ledger.client)
                #expect(sqliteDigest == postgresDigest, "\(table.name)")
            }
            #expect(try await ledger.verifyAudit() == (try await sqlite.verifyAudit()))
        }
    }

    /// Two administrators at two instances create the same username at once: one account, the others told it is
    /// taken, and no error.
    @Test func oneUsernameCreatedAtTwoInstancesAtOnceIsCreatedOnce() async throws {
        try await TestPostgres.withLedger { ledger in try await ledger.migrate() }
        let answers = try await TestPostgres.atTwoInstances(count: 8) { ledger, attempt in
            try await ledger.createAccount(
                username: "pham.thu.ha", displayName: "Phạm Thu Hà", role: .clerk, officeCode: "250000", passwordHash: Self.hash("\(attempt)"),
                at: at(minutes: 1), audit: Self.audit("account.create", "pham.thu.ha"))
        }
        #expect(answers.filter { $0 == .done }.count == 1)
        #expect(answers.filter { $0 == .usernameTaken }.count == 7)
        #expect(try await TestPostgres.integers("SELECT (SELECT count(*) FROM staffAccount), (SELECT count(*) FROM auditLog)") == [1, 1])
    }

    /// A clerk logs in at one instance, and the load balancer sends the next request to another; an administrator
    /// resets the password or revokes a token at a third: both end everywhere at once.
    @Test func aSessionAndATokenAreKnownAndEndedAtEveryInstance() async throws {
        try await TestPostgres.withLedger { first in
            try await first.migrate()
            try await TestPostgres.withLedger { second in
                _ = try await first.createAccount(
                    username: "le.van.an", displayName: "Lê Văn An", role: .clerk, officeCode: "250000", passwordHash: Self.hash("an"),
                    at: at(minutes: 1),
                    audit: Self.audit("account.create", "le.van.an"))
                let account = try #require(try await second.accountForLogin(username: "le.van.an")).account
                try await first.startSession(
                    accountId: account.id, username: "le.van.an", tokenHash: "session-1", csrfToken: "csrf", at: at(minutes: 2),
                    expiresAt: at(minutes: 480), audit: Self.audit("login", "le.van.an"))
                #expect(try await second.sessionIdentity(tokenHash: "session-1", now: at(minutes: 3))?.name == "le.van.an")
                #expect(
                    try await second.resetPassword(
                        username: "le.van.an", passwordHash: Self.hash("new"), at: at(minutes: 4), audit: Self.audit("reset", nil))
                        == .done)
                #expect(try await first.sessionIdentity(tokenHash: "session-1", now: at(minutes: 5)) == nil)

                let token = try await second.createToken(
                    tokenHash: "token-1", label: "máy quét", role: .clerk, officeCode: "250000", at: at(minutes: 6),
                    audit: { id in Self.audit("token.create", "\(id)") })
                #expect(try await first.tokenIdentity(tokenHash: "token-1")?.name == "token:\(token)")
                #expect(try await second.revokeToken(id: token, at: at(minutes: 7), audit: Self.audit("token.revoke", nil)) == .done)
                #expect(try await first.tokenIdentity(tokenHash: "token-1") == nil)
            }
        }
    }
}
