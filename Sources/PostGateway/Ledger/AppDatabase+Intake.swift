import Foundation
import GRDB

extension AppDatabase {
    /// Writes waiting counter intakes in one transaction, so that one fsync (synchronous=FULL) acknowledges them all.
    /// Each intake writes its dossier, item, first event, outbox message, idempotency record and audit entry in its
    /// own savepoint: all or none of one intake, and an intake refused midway leaves the others of the batch alone.
    /// Answers one result per submission, in order; throws only when the transaction itself could not commit, and then
    /// none of them is saved.
    func acceptDossiers(_ submissions: [IntakeSubmission], series: TrackingSeries, pins: TrackingPins) async throws -> [Result<
        IntakeOutcome, any Error
    >] {
        try await write { db in
            submissions.map { submission in
                Result {
                    var outcome: IntakeOutcome?
                    try db.inSavepoint {
                        outcome = try Self.acceptDossier(submission, series: series, pins: pins, in: db)
                        return .commit
                    }
                    return outcome!
                }
            }
        }
    }

    /// Decides one intake and writes it. A key met before answers the first intake again (the same request) or
    /// refuses the request (another one); an earlier intake of the same batch counts, its savepoint being released.
    private static func acceptDossier(_ submission: IntakeSubmission, series: TrackingSeries, pins: TrackingPins, in db: Database) throws
        -> IntakeOutcome
    {
        if let earlier = try IdempotencyKeyRecord.find(submission.ledgerKey, in: db) {
            guard earlier.requestHash == submission.requestHash else { return .keyReused }
            return .replayed(try acceptedDossier(id: earlier.dossierId, pins: pins, in: db))
        }
        var supplementOf: Int64?
        if let original = submission.supplementTo {
            switch try supplementTarget(original, for: submission, in: db) {
            case .success(let id): supplementOf = id
            case .failure(let refusal): return .supplementRefused(refusal.issue)
            }
        }
        let trackingNumber = TrackingNumber(prefix: series.prefix, serial: try nextSerial(series, in: db))
        let pin = pins.pin(for: trackingNumber)
        let now = submission.acceptedAt
        var dossier = DossierRecord(submission, supplementOf: supplementOf, pinHash: pins.hash(pin: pin, for: trackingNumber))
        try dossier.insert(db)
        let dossierId = dossier.id!
        var item = ItemRecord.dossierItem(of: submission, dossierId: dossierId, trackingNumber: trackingNumber)
        try item.insert(db)
        var event = ItemEventRecord.accepted(itemId: item.id!, submission: submission)
        try event.insert(db)
        try OutboxMessageRecord.enqueue(
            dossierId: dossierId, kind: .registerDossier,
            payload: try OneStopRegistration(
                submission, trackingNumber: trackingNumber,
                sealedIdNumber: submission.sealedIdNumber
            ).payloadText(),
            at: now, in: db)
        try notify(.accepted, dossierId: dossierId, at: now, in: db)
        try IdempotencyKeyRecord(key: submission.ledgerKey, requestHash: submission.requestHash, dossierId: dossierId, createdAt: now).insert(db)
        // In this transaction, so the log can never miss a dossier the counter was told is saved.
        try appendAudit([.intake(submission, trackingNumber: trackingNumber)], at: now, in: db)
        return .accepted(AcceptedDossier(trackingNumber: trackingNumber, pin: pin, dueDate: submission.dueDate.description, acceptedAt: now))
    }

    struct SupplementRefusal: Error { let issue: FieldIssue }

    /// The dossier a supplement completes, read here and decided by `supplementTarget(_:for:found:)`.
    private static func supplementTarget(
        _ original: TrackingNumber, for submission: IntakeSubmission,
        in db: Database
    ) throws -> Result<Int64, SupplementRefusal> {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT d.id, d.agencyCode, d.procedureCode, d.oneStopStatus FROM dossier d
                JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier' WHERE i.trackingNumber = ?
                """, arguments: [original.description])
        return supplementTarget(
            original, for: submission, found: row.map { ($0["id"], $0["agencyCode"], $0["procedureCode"], $0["oneStopStatus"]) })
    }

    /// The dossier a supplement completes: it must exist, be waiting for a supplement (status 5), and be the same
    /// procedure at the same agency. `found`: the dossier item's dossier, as either backend reads it.
    static func supplementTarget(
        _ original: TrackingNumber, for submission: IntakeSubmission, found: (id: Int64, agency: String, procedure: String, status: Int?)?
    ) -> Result<Int64, SupplementRefusal> {
        guard let found else { return .failure(SupplementRefusal(issue: FieldIssue("supplementTo", .itemUnknown, original.description))) }
        guard found.status == OneStopStatus.supplementRequested.rawValue else {
            return .failure(SupplementRefusal(issue: FieldIssue("supplementTo", .notAwaitingSupplement, original.description)))
        }
        guard found.agency == submission.agency.code, found.procedure == submission.procedure.code else {
            return .failure(SupplementRefusal(issue: FieldIssue("supplementTo", .supplementMismatch, original.description)))
        }
        return .success(found.id)
    }

    /// The next serial of a series. Serials are never reused: the counter only moves forward, and a serial is only
    /// "used" when the transaction that took it commits. The counter moves in one UPDATE … RETURNING, under the row's
    /// write lock until the commit; a counter that stepped out of a range is moved on to the start of the next one in
    /// the same transaction, and one past the last range throws `Exhausted`, which rolls the step back.
    static func nextSerial(_ series: TrackingSeries, in db: Database) throws -> Int {
        let counted = try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    INSERT INTO serialCounter (prefix, lastSerial) VALUES (?, 1)
                    ON CONFLICT (prefix) DO UPDATE SET lastSerial = lastSerial + 1
                    RETURNING lastSerial
                    """), arguments: [series.prefix])!
        guard let serial = series.serial(after: counted - 1) else { throw TrackingSeries.Exhausted(prefix: series.prefix) }
        if serial != counted {
            try db.cachedStatement(sql: "UPDATE serialCounter SET lastSerial = ? WHERE prefix = ?").execute(arguments: [serial, series.prefix])
        }
        return serial
    }

    private static func acceptedDossier(id: Int64, pins: TrackingPins, in db: Database) throws -> AcceptedDossier {
        let dossier = try DossierRecord.fetchOne(db, key: id)!
        let item = try ItemRecord.of(dossier: id, kind: .dossier).fetchOne(db)!
        let trackingNumber = try TrackingNumber(parsing: item.trackingNumber)
        return AcceptedDossier(
            trackingNumber: trackingNumber, pin: pins.pin(for: trackingNumber), dueDate: dossier.dueDate,
            acceptedAt: dossier.acceptedAt)
    }
}
