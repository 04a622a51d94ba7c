import Foundation
import GRDB
import Logging

extension AppDatabase {
    /// Writes a batch of counter intakes in one transaction, so that one fsync acknowledges them all. For each
    /// intake the transaction writes the dossier, its item, its first event, its outbox message, its idempotency
    /// record and its audit entry: all or none.
    func acceptDossiers(_ submissions: [IntakeSubmission], prefix: String, pins: TrackingPins, logger: Logger) async throws -> [Result<IntakeOutcome, any Error>] {
        try await writeWithoutTransaction { db in try Self.acceptDossiers(submissions, prefix: prefix, pins: pins, logger: logger, in: db) }
    }

    /// A batch of intakes for the writer: what to write, and whom to tell once it is durable (or failed).
    struct IntakeBatch: Sendable {
        let submissions: [IntakeSubmission]
        let deliver: @Sendable (Result<[Result<IntakeOutcome, any Error>], any Error>) -> Void
    }

    /// Writes batches one after another on the writer's own thread, each in its own transaction, taking the next from
    /// `next` as soon as the previous one is on disk. Between batches the writer used to hand back to the task that
    /// feeds it, which waited on the concurrency pool behind the very requests it had just answered: profiles showed
    /// the writer, the one thing every intake goes through, waiting for its next batch for a tenth of the time.
    ///
    /// Stops when `next` has nothing more, or after `turn` batches or once `budget` has passed (after one batch at
    /// least), so that other writes (a scan, a callback, an audit entry) take their turn. Every batch taken is delivered.
    /// `next` is told whether the turn has written a batch already: it may then wait a moment on the writer's thread for
    /// the next intake rather than end the turn. Returns how many were written.
    func acceptDossierBatches(turn: Int, budget: Duration, prefix: String, pins: TrackingPins, logger: Logger,
                              next: @escaping @Sendable (_ mayWait: Bool) -> IntakeBatch?) async throws -> Int {
        try await writeWithoutTransaction { db in
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: budget)
            var written = 0
            while written < turn, written == 0 || clock.now < deadline, let batch = next(written > 0) {
                batch.deliver(Result { try Self.acceptDossiers(batch.submissions, prefix: prefix, pins: pins, logger: logger, in: db) })
                written += 1
            }
            return written
        }
    }

    /// An intake refused by the ledger (a reused key, a supplement for the wrong dossier) is found out before it
    /// writes anything, so the batch is first written as it is. Only if a statement fails midway (which no valid
    /// intake should make it do) is the batch rolled back and written again with each intake in its own
    /// savepoint, so that one failing intake leaves the others alone. A savepoint for every intake (a `SAVEPOINT`
    /// and a `RELEASE`) was about 6 % of the single writer's time.
    private static func acceptDossiers(_ submissions: [IntakeSubmission], prefix: String, pins: TrackingPins, logger: Logger,
                                       in db: Database) throws -> [Result<IntakeOutcome, any Error>] {
        var outcomes: [Result<IntakeOutcome, any Error>] = []
        do {
            try db.inTransaction {
                var tally = IntakeBatchTally.batch(prefix: prefix)
                var rows = IntakeRows()
                let earlier = try IntakeRows.earlier(keys: submissions.map(\.ledgerKey), in: db)
                outcomes = try submissions.map { submission in
                    .success(try acceptDossier(submission, earlier: earlier, rows: &rows, tally: &tally, pins: pins, in: db))
                }
                try rows.insert(in: db)
                try tally.finish(in: db)
                return .commit
            }
            return outcomes
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning("intake batch failed midway; writing each intake in its own savepoint",
                           metadata: ["batch.size": "\(submissions.count)", "error": .error(error)])
            try db.inTransaction {
                var tally = IntakeBatchTally.perIntake(prefix: prefix)
                outcomes = submissions.map { submission in
                    Result {
                        var outcome: IntakeOutcome?
                        try db.inSavepoint {
                            var rows = IntakeRows()
                            let earlier = try IntakeRows.earlier(keys: [submission.ledgerKey], in: db)
                            outcome = try acceptDossier(submission, earlier: earlier, rows: &rows, tally: &tally, pins: pins, in: db)
                            try rows.insert(in: db)
                            return .commit
                        }
                        return outcome!
                    }
                }
                return .commit
            }
            return outcomes
        }
    }

    /// Decides one intake of a batch and adds its rows to `rows`, written once the whole batch is decided. A key met
    /// before, in the ledger (`earlier`) or earlier in this batch, answers the first intake again or refuses the request.
    private static func acceptDossier(_ submission: IntakeSubmission, earlier: [String: (requestHash: String, dossierId: Int64)],
                                      rows: inout IntakeRows, tally: inout IntakeBatchTally, pins: TrackingPins,
                                      in db: Database) throws -> IntakeOutcome {
        let key = submission.ledgerKey
        if let previous = earlier[key] {
            guard previous.requestHash == submission.requestHash else { return .keyReused }
            return .replayed(try acceptedDossier(id: previous.dossierId, pins: pins, in: db))
        }
        if let taken = rows.taken(key: key) {
            return taken.requestHash == submission.requestHash ? .replayed(taken.accepted) : .keyReused
        }
        var supplementOf: Int64?
        if let original = submission.supplementTo {
            switch try supplementTarget(original, for: submission, in: db) {
            case .success(let id): supplementOf = id
            case .failure(let refusal): return .supplementRefused(refusal.issue)
            }
        }
        let trackingNumber = TrackingNumber(prefix: tally.prefix, serial: try tally.nextSerial(in: db))
        let pin = pins.pin(for: trackingNumber)
        let accepted = AcceptedDossier(trackingNumber: trackingNumber, pin: pin, dueDate: submission.texts.dueDate,
                                       acceptedAt: submission.acceptedAt)
        rows.add(submission, ids: try tally.nextIds(in: db), trackingNumber: trackingNumber, pinHash: pins.hash(pin: pin, for: trackingNumber),
                 supplementOf: supplementOf, accepted: accepted)
        // In this transaction, so the log can never miss a dossier the counter was told is saved.
        try tally.audit(AuditEntry(actor: submission.acceptedBy, action: "POST /api/v1/dossiers", subject: trackingNumber.description,
                                   officeCode: submission.office.code, remoteAddress: submission.acceptedFrom, outcome: 201),
                        at: submission.texts.acceptedAt, in: db)
        return .accepted(accepted)
    }

    struct SupplementRefusal: Error { let issue: FieldIssue }

    /// The dossier a supplement completes: it must exist, be waiting for a supplement (status 5), and be the same
    /// procedure at the same agency.
    private static func supplementTarget(_ original: TrackingNumber, for submission: IntakeSubmission,
                                         in db: Database) throws -> Result<Int64, SupplementRefusal> {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT d.id, d.agencyCode, d.procedureCode, d.oneStopStatus FROM dossier d
            JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier' WHERE i.trackingNumber = ?
            """, arguments: [original.description])
        else { return .failure(SupplementRefusal(issue: FieldIssue("supplementTo", .itemUnknown, original.description))) }
        guard row["oneStopStatus"] as Int? == OneStopStatus.supplementRequested.rawValue else {
            return .failure(SupplementRefusal(issue: FieldIssue("supplementTo", .notAwaitingSupplement, original.description)))
        }
        guard row["agencyCode"] == submission.agency.code, row["procedureCode"] == submission.procedure.code else {
            return .failure(SupplementRefusal(issue: FieldIssue("supplementTo", .supplementMismatch, original.description)))
        }
        return .success(row["id"])
    }

    /// The next serial for a prefix. Serials are never reused: the counter only moves forward, and a serial
    /// is only "used" when the transaction that took it commits.
    static func nextSerial(prefix: String, in db: Database) throws -> Int {
        let serial = try Int.fetchOne(db.cachedStatement(sql: """
            INSERT INTO serialCounter (prefix, lastSerial) VALUES (?, 1)
            ON CONFLICT (prefix) DO UPDATE SET lastSerial = lastSerial + 1
            RETURNING lastSerial
            """), arguments: [prefix])
        return serial!
    }

    private static func acceptedDossier(id: Int64, pins: TrackingPins, in db: Database) throws -> AcceptedDossier {
        let dossier = try DossierRecord.fetchOne(db, key: id)!
        let item = try ItemRecord.filter(Column("dossierId") == id && Column("kind") == ItemKind.dossier.rawValue).fetchOne(db)!
        let trackingNumber = try TrackingNumber(parsing: item.trackingNumber)
        return AcceptedDossier(trackingNumber: trackingNumber, pin: pins.pin(for: trackingNumber), dueDate: dossier.dueDate,
                               acceptedAt: dossier.acceptedAt)
    }
}
