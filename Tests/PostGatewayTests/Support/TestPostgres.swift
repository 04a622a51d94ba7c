import Foundation
import Logging
import PostgresNIO
import Testing

@testable import PostGateway

/// The throwaway PostgreSQL cluster `make test` starts (`scripts/with-postgres.sh`), and a database of its own for each
/// test, dropped when the test ends, passed or failed. Put `.postgresDatabase` on a suite whose tests need one; run
/// outside `make test`, with no cluster, such a suite is skipped and says why.
struct TestPostgres: TestTrait, SuiteTrait, TestScoping {
    /// The cluster's URL, from the environment `make test` sets.
    static let cluster: PostgresURL? = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"].flatMap { try? PostgresURL($0) }

    @TaskLocal static var current: PostgresURL?

    /// Errors only: a client asked for a connection before its `run()` has started says so, which a test's task
    /// group does by design.
    static let logger = {
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .error
        return logger
    }()

    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil, !test.isSuite, let cluster = Self.cluster else { return try await function() }
        let name = "test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        // Names cannot be bound as parameters; this one is made of hex digits here.
        try await Self.withClient(cluster) { admin in
            try await admin.query(
                PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"),
                logger: Self.logger)
        }
        do {
            try await Self.$current.withValue(cluster.with(database: name)) { try await function() }
        } catch {
            try? await Self.drop(name, in: cluster)
            throw error
        }
        try await Self.drop(name, in: cluster)
    }

    private static func drop(_ name: String, in cluster: PostgresURL) async throws {
        try await withClient(cluster) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    /// The running test's own database.
    static func database() throws -> PostgresURL {
        guard let current else { throw OutsideTestDatabase() }
        return current
    }

    /// A client of `url` running while `body` does.
    @discardableResult
    static func withClient<T: Sendable>(_ url: PostgresURL, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: try url.clientConfiguration(), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// A ledger on the running test's own database, its pool running while `body` does.
    @discardableResult
    static func withLedger<T: Sendable>(_ body: @Sendable (PostgresLedger) async throws -> T) async throws -> T {
        try await PostgresLedger.withRunning(try database(), logger: logger, body)
    }

    /// `count` calls at once, alternately at two instances (two ledgers, each with its own pool) on the running test's
    /// database: what a load balancer does with requests that arrive together. Answers in the order they finished.
    static func atTwoInstances<T: Sendable>(count: Int, _ call: @escaping @Sendable (PostgresLedger, Int) async throws -> T) async throws -> [T] {
        try await withLedger { first in
            try await withLedger { second in
                try await withThrowingTaskGroup(of: T.self) { group in
                    for attempt in 0..<count { group.addTask { try await call(attempt.isMultiple(of: 2) ? first : second, attempt) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
        }
    }

    /// The integers `query` answers on the running test's database, row after row, column after column: counts, mostly.
    static func integers(_ query: String) async throws -> [Int] {
        try await withLedger { ledger in
            var values: [Int] = []
            for try await row in try await ledger.client.query(PostgresQuery(unsafeSQL: query)) {
                for cell in row { values.append(try cell.decode(Int.self)) }
            }
            return values
        }
    }
}

extension Trait where Self == TestPostgres {
    static var postgresDatabase: Self { Self() }
}

struct OutsideTestDatabase: Error, CustomStringConvertible {
    var description: String { "TestPostgres.database() needs the test's suite to carry the .postgresDatabase trait and a cluster (make test)" }
}
