import Foundation
import Testing

@testable import PostGateway

/// Login slow-downs on PostgreSQL, with attempts arriving at two instances at once.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerAccountsTests {
    let now = TestSupport.mondayMorning

    @Test func aBurstOfGuessesAtTwoInstancesGetsOnlyTheFreeAttemptsOfOneAccount() async throws {
        try await TestPostgres.withLedger { try await $0.migrate() }
        let keys = [
            (LoginThrottle.accountKey("nhung.nt"), LoginThrottle.perAccount), (LoginThrottle.addressKey("10.0.0.7"), LoginThrottle.perAddress),
        ]
        let answers = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: Int?.self) { group in
                    for attempt in 0..<12 {
                        let ledger = attempt.isMultiple(of: 2) ? first : second
                        group.addTask { try await ledger.claimLoginAttempt(keys, at: now) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
        #expect(answers.filter { $0 == nil }.count == LoginThrottle.perAccount.freeFailures)
        #expect(answers.compactMap { $0 }.allSatisfy { $0 >= 1 })
        // Once the slow-down has passed, one more guess is checked.
        let later = try await TestPostgres.withLedger { try await $0.claimLoginAttempt(keys, at: now.addingTimeInterval(2)) }
        #expect(later == nil)
    }
}
