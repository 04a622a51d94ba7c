import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// Counter intake on PostgreSQL: the rows SQLite writes, byte for byte, and what several instances writing at once
/// must not break (serials, idempotency keys, one audit chain).
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerIntakeTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    private var logger: Logger { TestPostgres.logger }

    func submission(key: String, name: String = "Nguyễn Thị Hồng Nhung", supplementTo: String? = nil) throws -> IntakeSubmission {
        try TestSupport.submission(key: key, pins: pins, idNumbers: idNumbers) { form in
            var applicant = form["applicant"] as! [String: Any]
            applicant["fullName"] = name
            form["applicant"] = applicant
            form["notifications"] = "zalo"
            if let supplementTo { form["supplementTo"] = supplementTo }
        }
    }

    @Test func aBatchWritesTheRowsSQLiteWritesForTheSameIntakesAndAnswersTheSame() async throws {
        let first = try (1...4).map { try submission(key: "intake-key-\($0)", name: "Trần Văn Bình \($0)") }
        // A replay, a key reused with another body, and a supplement of a dossier that is not waiting for one.
        let second = [
            try submission(key: "intake-key-2", name: "Trần Văn Bình 2"), try submission(key: "intake-key-3", name: "Lê Thị Hoa"),
            try submission(key: "intake-key-5", supplementTo: TrackingNumber(prefix: "PH", serial: 1).description),
        ]
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        var outcomesOnSQLite: [IntakeOutcome] = []
        for batch in [first, second] {
            outcomesOnSQLite += try await sqlite.acceptDossiers(batch, series: .whole("PH"), pins: pins).map { try $0.get() }
        }
        let expected = outcomesOnSQLite
        guard case .accepted(let secondDossier) = expected[1] else { throw UnexpectedOutcome() }
        #expect(expected.filter { if case .accepted = $0 { true } else { false } }.count == 4)
        #expect(expected[4] == .replayed(secondDossier))
        #expect(expected[5] == .keyReused)
        #expect(
            expected[6] == .supplementRefused(FieldIssue("supplementTo", .notAwaitingSupplement, TrackingNumber(prefix: "PH", serial: 1).description))
        )

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            var outcomes: [IntakeOutcome] = []
            for batch in [first, second] {
                outcomes += try await ledger.acceptDossiers(batch, series: .whole("PH"), pins: pins).map { try $0.get() }
            }
            #expect(outcomes == expected)
            let tables = try await sqlite.read { db in try LedgerCopy.tables(db) }
            for table in tables {
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                let postgresDigest = try await LedgerCopy.digest(table, client: ledger.client)
                #expect(sqliteDigest == postgresDigest, "\(table.name)")
            }
            #expect(try await ledger.verifyAudit() == .intact(rows: 4))
        }
    }

    @Test func twoInstancesTakingIntakesAtOnceIssueEachSerialOnceAndKeepOneAuditChain() async throws {
        try await TestPostgres.withLedger { try await $0.migrate() }
        let batches = try (0..<8).map { batch in try (0..<10).map { try submission(key: "batch-\(batch)-\($0)") } }
        let numbers = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for (index, batch) in batches.enumerated() {
                        let ledger = index.isMultiple(of: 2) ? first : second
                        group.addTask {
                            try await ledger.acceptDossiers(batch, series: .whole("PH"), pins: pins).map { outcome in
                                guard case .accepted(let dossier) = try outcome.get() else { throw UnexpectedOutcome() }
                                return dossier.trackingNumber.description
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
        }
        #expect(Set(numbers) == Set((1...80).map { TrackingNumber(prefix: "PH", serial: $0).description }))
        let audit = try await TestPostgres.withLedger { try await $0.verifyAudit() }
        #expect(audit == .intact(rows: 80))
    }

    @Test func theSameKeyAtTwoInstancesAtOnceIsOneDossierAndBothCountersGetItsAnswer() async throws {
        try await TestPostgres.withLedger { try await $0.migrate() }
        let keys = (1...6).map { "same-key-at-both-\($0)" }
        let answers = try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                try await withThrowingTaskGroup(of: (String, IntakeOutcome).self) { group in
                    for key in keys {
                        for ledger in [first, second] {
                            let intake = try submission(key: key)
                            group.addTask { (key, try await ledger.acceptDossiers([intake], series: .whole("PH"), pins: pins)[0].get()) }
                        }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0, default: []].append($1.1) }
                }
            }
        }
        for key in keys {
            let pair = try #require(answers[key])
            let dossiers = pair.map { outcome -> AcceptedDossier? in
                switch outcome {
                case .accepted(let dossier), .replayed(let dossier): dossier
                default: nil
                }
            }
            #expect(dossiers.count == 2 && dossiers[0] != nil && dossiers[0] == dossiers[1], "\(key): \(pair)")
            #expect(pair.filter { if case .accepted = $0 { true } else { false } }.count == 1, "\(key): \(pair)")
        }
        try await TestPostgres.withLedger { ledger in
            for try await count in try await ledger.client.query("SELECT count(*) FROM dossier").decode(Int.self) { #expect(count == keys.count) }
            #expect(try await ledger.verifyAudit() == .intact(rows: keys.count))
        }
    }

    @Test func anIntakeFailingMidwayLeavesNothingOfItselfAndTheOthersAreWritten() async throws {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            // The idempotency record of one key is refused, after its dossier, item, event and messages were written.
            try await ledger.client.query(
                """
                CREATE FUNCTION refuse_one_key() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused by the test'; END $$
                """)
            try await ledger.client.query(
                """
                CREATE TRIGGER refuse_one_key BEFORE INSERT ON idempotencyKey
                FOR EACH ROW WHEN (NEW.key LIKE '%poisoned-key') EXECUTE FUNCTION refuse_one_key()
                """)
            let batch = try [submission(key: "healthy-key-1"), submission(key: "poisoned-key"), submission(key: "healthy-key-2")]
            let outcomes = try await ledger.acceptDossiers(batch, series: .whole("PH"), pins: pins)
            #expect((try? outcomes[0].get()) != nil)
            #expect((try? outcomes[1].get()) == nil)
            #expect((try? outcomes[2].get()) != nil)
            for table in ["dossier", "item", "itemEvent", "outboxMessage", "notice", "idempotencyKey"] {
                for try await count in try await ledger.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)")).decode(Int.self) {
                    #expect(count == 2, "\(table)")
                }
            }
            #expect(try await ledger.verifyAudit() == .intact(rows: 2))
            // The serial the failed intake took went back with it.
            guard case .accepted(let second) = try outcomes[2].get() else { throw UnexpectedOutcome() }
            #expect(second.trackingNumber == TrackingNumber(prefix: "PH", serial: 2))
        }
    }

    private struct UnexpectedOutcome: Error {}
}
