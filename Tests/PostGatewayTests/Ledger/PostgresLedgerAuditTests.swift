import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

@testable import PostGateway

/// The audit log and the readiness check on PostgreSQL.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerAuditTests {
    static func entry(_ outcome: Int) -> AuditEntry {
        AuditEntry(actor: "anonymous", action: "login", subject: "le.van.an", officeCode: nil, remoteAddress: "10.0.0.9", outcome: outcome)
    }

    /// Refused logins at two instances at once: every entry on the one chain, which verifies, as SQLite's does.
    @Test func entriesAppendedAtTwoInstancesAtOnceMakeOneChainThatVerifies() async throws {
        try await TestPostgres.withLedger { try await $0.migrate() }
        let at = TestSupport.mondayMorning
        _ = try await TestPostgres.atTwoInstances(count: 12) { ledger, attempt in
            try await ledger.appendAudit([Self.entry(401), Self.entry(429)], at: at.addingTimeInterval(Double(attempt)))
        }
        let verdict = try await TestPostgres.withLedger { try await $0.verifyAudit() }
        #expect(verdict == .intact(rows: 24))

        // The same entries on SQLite chain to the same verdict.
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: .ephemeral())
        for attempt in 0..<12 { try await sqlite.appendAudit([Self.entry(401), Self.entry(429)], at: at.addingTimeInterval(Double(attempt))) }
        #expect(try await sqlite.verifyAudit() == verdict)
    }

    @Test func theReadinessCheckSaysWhetherTheDatabaseAnswers() async throws {
        // A bound no loaded machine reaches: the check answers as soon as the database does.
        #expect(try await TestPostgres.withLedger { await $0.isReachable(within: .seconds(120)) })
        // A server that is not there: the pool would wait for it for ever, so that the check answers at all is its bound.
        let gone = try PostgresLedger(try PostgresURL("postgres://gateway@127.0.0.1:9/postgateway"), logger: Logger(label: "test"))
        let reachable = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gone.run() }
            defer { group.cancelAll() }
            return await gone.isReachable(within: .milliseconds(500))
        }
        #expect(!reachable)
    }
}
