import Crypto
import Foundation
import GRDB
import Logging
import Testing

@testable import PostGateway

/// The ledger's side of group commit: a batch of intakes is one transaction, and one intake that fails midway
/// takes nothing of itself into the ledger and nothing of the others out of it.
@Suite struct IntakeBatchTests {
    let database: AppDatabase
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))

    init() throws {
        database = try TestSupport.ledger()
    }

    func submission(key: String, name: String = "Nguyễn Thị Hồng Nhung") throws -> IntakeSubmission {
        try TestSupport.submission(key: key, name: name, pins: pins, idNumbers: database.idNumbers, acceptedBy: "test")
    }

    @Test func aBatchWritesEveryIntakeWithItsRowsAndOneAuditEntryEach() async throws {
        let batch = try (1...4).map { try submission(key: "batch-key-\($0)") }
        let outcomes = try await database.acceptDossiers(batch, series: .whole("PH"), pins: pins).map { try $0.get() }

        let numbers = outcomes.compactMap { outcome -> String? in
            if case .accepted(let accepted) = outcome { return accepted.trackingNumber.description } else { return nil }
        }
        #expect(Set(numbers).count == 4)
        #expect(
            try await TestSupport.counts(database).filter { ["dossier", "item", "itemEvent", "outboxMessage", "idempotencyKey"].contains($0.key) }
                .allSatisfy { $0.value == 4 })
        #expect(try await database.verifyAudit() == .intact(rows: 4))
    }

    @Test func aBatchTakesTheSerialsAfterTheLastOneTakenAndLeavesTheCounterAtItsOwnLast() async throws {
        // Another kind of write (a return item's number) moves the same counter between two batches.
        let first = try await database.acceptDossiers(try (1...3).map { try submission(key: "serial-key-\($0)") }, series: .whole("PH"), pins: pins)
            .map {
                try $0.get()
            }
        let returnSerial = try await database.write { db in try AppDatabase.nextSerial(.whole("PH"), in: db) }
        let second = try await database.acceptDossiers(
            [
                try submission(key: "serial-key-4"), try submission(key: "serial-key-1"),
                try submission(key: "serial-key-5"),
            ], series: .whole("PH"), pins: pins
        ).map { try $0.get() }

        let serials = (first + second).compactMap { outcome -> Int? in
            if case .accepted(let accepted) = outcome { accepted.trackingNumber.serial } else { nil }
        }
        #expect(serials == [1, 2, 3, 5, 6])
        #expect(returnSerial == 4)
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT lastSerial FROM serialCounter WHERE prefix = 'PH'") } == 6)
        // One audit entry per dossier, in the order they were accepted, chained.
        let subjects = try await database.read { db in try String.fetchAll(db, sql: "SELECT subject FROM auditLog ORDER BY id") }
        #expect(subjects == serials.map { TrackingNumber(prefix: "PH", serial: $0).description })
        #expect(try await database.verifyAudit() == .intact(rows: 5))
    }

    @Test func aReplayAndAReusedKeyInTheSameBatchWriteNothingOfTheirOwn() async throws {
        let first = try submission(key: "same-key-0001")
        let batch = [first, first, try submission(key: "same-key-0001", name: "Trần Văn Bình")]
        let outcomes = try await database.acceptDossiers(batch, series: .whole("PH"), pins: pins).map { try $0.get() }

        guard case .accepted(let accepted) = outcomes[0] else {
            Issue.record("first intake not accepted: \(outcomes[0])")
            return
        }
        #expect(outcomes[1] == .replayed(accepted))
        #expect(outcomes[2] == .keyReused)
        #expect(try await TestSupport.counts(database)["dossier"] == 1)
        #expect(try await database.verifyAudit() == .intact(rows: 1))
    }

    @Test func anIntakeFailingMidwayLeavesNothingOfItselfAndTheOthersAreWritten() async throws {
        // A statement that fails after the dossier, its item, its event and its outbox message were written: the
        // idempotency record of one key is refused (a trigger on the writer's own connection).
        try await database.write { db in
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER refuseOneKey BEFORE INSERT ON idempotencyKey WHEN NEW.key LIKE '% poisoned-key'
                    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                    """)
        }
        let batch = try [submission(key: "healthy-key-1"), submission(key: "poisoned-key"), submission(key: "healthy-key-2")]
        let outcomes = try await database.acceptDossiers(batch, series: .whole("PH"), pins: pins)

        #expect((try? outcomes[0].get()) != nil)
        #expect((try? outcomes[1].get()) == nil)
        #expect((try? outcomes[2].get()) != nil)
        let counts = try await TestSupport.counts(database)
        for table in ["dossier", "item", "itemEvent", "outboxMessage", "idempotencyKey"] { #expect(counts[table] == 2, "\(table)") }
        #expect(try await database.verifyAudit() == .intact(rows: 2))
        // The serial the failed intake took went back with it; the next intake takes the next one after the two.
        let next = try await database.acceptDossiers([submission(key: "healthy-key-3")], series: .whole("PH"), pins: pins)
        guard case .accepted(let accepted)? = try? next[0].get() else {
            Issue.record("next intake not accepted")
            return
        }
        #expect(accepted.trackingNumber.serial == 3)
    }

    @Test func aLargeBatchWritesItsRowsTogetherEachLinkedToItsOwnDossier() async throws {
        // 71 intakes, one key twice: the 70 written each name their own dossier, item, event and message.
        var batch = try (1...71).map { try submission(key: "large-batch-key-\($0)") }
        batch[70] = batch[3]
        let outcomes = try await database.acceptDossiers(batch, series: .whole("PH"), pins: pins).map { try $0.get() }
        var numbers: [String: String] = [:]
        for (submission, outcome) in zip(batch, outcomes) {
            if case .accepted(let accepted) = outcome { numbers[submission.idempotencyKey] = accepted.trackingNumber.description }
        }
        #expect(numbers.count == 70)
        #expect(outcomes[70] == outcomes[3].replayedForm)

        let linked = try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT substr(k.key, 8) AS key, i.trackingNumber, json_extract(o.payload, '$.MaBuuGui') AS sent,
                           (SELECT count(*) FROM itemEvent e WHERE e.itemId = i.id AND e.code = 'accepted') AS events
                    FROM idempotencyKey k JOIN item i ON i.dossierId = k.dossierId JOIN outboxMessage o ON o.dossierId = k.dossierId
                    """
            ).map { row -> [String: String] in
                ["key": row["key"], "trackingNumber": row["trackingNumber"], "sent": row["sent"], "events": String(row["events"] as Int)]
            }
        }
        #expect(linked.count == 70)
        for row in linked {
            let key = row["key"]!
            #expect(row["trackingNumber"] == numbers[key], "\(key)")
            #expect(row["sent"] == numbers[key], "\(key)")
            #expect(row["events"] == "1", "\(key)")
        }
        #expect(try await database.verifyAudit() == .intact(rows: 70))

        // A later batch finds the keys in the ledger, and its own rows take the next ids.
        let later = try await database.acceptDossiers(
            [try submission(key: "large-batch-key-40"), try submission(key: "large-batch-key-72")],
            series: .whole("PH"), pins: pins
        ).map { try $0.get() }
        guard case .replayed(let replayed) = later[0], case .accepted(let next) = later[1] else {
            Issue.record("\(later)")
            return
        }
        #expect(replayed.trackingNumber.description == numbers["large-batch-key-40"])
        #expect(next.trackingNumber.serial == 71)
        #expect(try await database.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM dossier") } == 71)
    }

    @Test(.timeLimit(.minutes(1))) func intakesWaitingTogetherAreWrittenInOneBatchUpToTheLimit() async throws {
        // Twelve intakes queued before the writer runs, at most five a batch: three commits, of 5, 5 and 2.
        let metrics = GatewayMetrics()
        let batcher = IntakeBatcher(
            database: database, series: .whole("PH"), pins: pins, batchLimit: 5, metrics: metrics, logger: Logger(label: "test"))
        let intakes = try (1...12).map { try submission(key: "together-key-\($0)") }
        let outcomes = try await withThrowingTaskGroup(of: [IntakeOutcome].self) { group in
            group.addTask {
                try await withThrowingTaskGroup(of: IntakeOutcome.self) { submitted in
                    for intake in intakes { submitted.addTask { try await batcher.submit(intake) } }
                    return try await submitted.reduce(into: []) { $0.append($1) }
                }
            }
            while batcher.waiting < intakes.count { try await Task.sleep(for: .milliseconds(10)) }
            group.addTask {
                try await batcher.run()
                return []
            }
            let outcomes = try await group.next()!
            group.cancelAll()
            return outcomes
        }
        let serials = outcomes.compactMap { outcome -> Int? in
            if case .accepted(let accepted) = outcome { accepted.trackingNumber.serial } else { nil }
        }
        #expect(serials.sorted() == Array(1...12))
        let emitted = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(emitted.contains("postgateway_intake_batch_size_count 3\n"), "\(emitted)")
        #expect(emitted.contains("postgateway_intake_batch_size_sum 12.0\n"), "\(emitted)")
        #expect(try await database.verifyAudit() == .intact(rows: 12))
    }

    @Test(.timeLimit(.minutes(1))) func aLoneIntakeIsWrittenAtOnceAndTheNextOneInACommitOfItsOwn() async throws {
        let metrics = GatewayMetrics()
        let batcher = IntakeBatcher(
            database: database, series: .whole("PH"), pins: pins, batchLimit: 10, metrics: metrics, logger: Logger(label: "test"))
        let outcomes = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await batcher.run() }
            let first = try await batcher.submit(try submission(key: "lone-key-1"))
            let second = try await batcher.submit(try submission(key: "lone-key-2"))
            group.cancelAll()
            return [first, second]
        }
        #expect(outcomes.allSatisfy { if case .accepted = $0 { true } else { false } })
        let emitted = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
        #expect(emitted.contains("postgateway_intake_batch_size_count 2\n"), "\(emitted)")
        #expect(try await TestSupport.counts(database)["dossier"] == 2)
    }
    @Test(.timeLimit(.minutes(1))) func intakesQueuedWhenTheWriterCannotBeHadAreAnsweredWithTheErrorNotLeftWaiting() async throws {
        let batcher = IntakeBatcher(
            database: database, series: .whole("PH"), pins: pins, batchLimit: 10, metrics: GatewayMetrics(),
            logger: Logger(label: "test"))
        let intake = try submission(key: "unwritten-key-1")
        let answer = await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask {
                do {
                    _ = try await batcher.submit(intake)
                    return nil
                } catch { return error }
            }
            // The intake waits in the queue (the batcher is not running yet).
            try? await Task.sleep(for: .milliseconds(100))
            // The batcher runs in a task cancelled from its start, as in a shutdown cut short: the writer cannot be had.
            await withTaskGroup(of: Void.self) { runner in
                runner.cancelAll()
                runner.addTask { try? await batcher.run() }
            }
            return await group.next() ?? nil
        }
        #expect(answer is CancellationError)
        #expect(try await TestSupport.counts(database)["dossier"] == 0)
    }
}

extension IntakeOutcome {
    /// The answer a repeat of this accepted intake gets.
    fileprivate var replayedForm: IntakeOutcome? {
        if case .accepted(let accepted) = self { .replayed(accepted) } else { nil }
    }
}
