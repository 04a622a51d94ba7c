import Foundation
import PostgresNIO
import Testing

@testable import PostGateway

/// The reconciliation's run lock on PostgreSQL: one run across instances, and a dead holder's lock let go.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerReconciliationTests {
    @Test func twoInstancesStartingTheNightsRunAtOnceRunItOnceAndTheNextNightRunsAgain() async throws {
        let answers = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: String?.self) { group in
                    for (name, ledger) in [("gateway-a", first), ("gateway-b", second)] {
                        group.addTask {
                            try await ledger.withRunLock {
                                try await Task.sleep(for: .milliseconds(500))
                                return name
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
        // The run's body ran at one instance; the other was told another holds the lock.
        #expect(answers.compactMap { $0 }.count == 1 && answers.count == 2)
        // Let go at the end of the run: the next night's is run.
        let next = try await TestPostgres.withLedger { try await $0.withRunLock { "next night" } }
        #expect(next == "next night")
    }

    @Test func aLockHeldByASessionThatDiesIsLetGo() async throws {
        let url = try TestPostgres.database()
        try await TestPostgres.withClient(url) { holder in
            // Another instance's run, its session still open (its connection idle in its pool).
            let pid = try await holder.withConnection { connection -> Int in
                try await connection.query(
                    "SELECT pg_advisory_lock(\(PostgresLedger.AdvisoryLock.reconciliation.rawValue))", logger: TestPostgres.logger)
                var pid = 0
                for try await value in try await connection.query("SELECT pg_backend_pid()", logger: TestPostgres.logger).decode(Int.self) {
                    pid = value
                }
                return pid
            }
            let whileHeld = try await TestPostgres.withLedger { try await $0.withRunLock { "ran" } }
            #expect(whileHeld == nil)
            // That instance dies: its session ends, and the lock with it.
            try await TestPostgres.withClient(url) { admin in try await admin.query("SELECT pg_terminate_backend(\(Int32(pid)))") }
            let afterwards = try await ResultJourneyTests.eventually(within: 10) {
                try await TestPostgres.withLedger { try await $0.withRunLock { "ran" } } == "ran"
            }
            #expect(afterwards)
        }
    }
}
