import Foundation
import GRDB

extension AppDatabase {
    /// Writes a batch of counter intakes in one transaction, so that one fsync acknowledges them all.
    ///
    /// Each intake runs in its own savepoint: one that fails (a reused key, exhausted serials) leaves the
    /// others alone. For each intake the same transaction writes the dossier, its item, its first event, its
    /// outbox message and its idempotency record — all or none.
    func acceptDossiers(_ submissions: [IntakeSubmission], prefix: String, pins: TrackingPins) async throws -> [Result<IntakeOutcome, any Error>] {
        try await write { db in
            submissions.map { submission in
                Result {
                    var outcome: IntakeOutcome?
                    try db.inSavepoint {
                        outcome = try Self.acceptDossier(submission, prefix: prefix, pins: pins, in: db)
                        return .commit
                    }
                    return outcome!
                }
            }
        }
    }

    private static func acceptDossier(_ submission: IntakeSubmission, prefix: String, pins: TrackingPins, in db: Database) throws -> IntakeOutcome {
        if let previous = try IdempotencyKeyRecord.fetchOne(db, key: submission.idempotencyKey) {
            guard previous.requestHash == submission.requestHash else { return .keyReused }
            return .replayed(try acceptedDossier(id: previous.dossierId, in: db))
        }
        let trackingNumber = TrackingNumber(prefix: prefix, serial: try nextSerial(prefix: prefix, in: db))
        let pin = pins.pin(for: trackingNumber)
        let now = submission.acceptedAt

        var dossier = DossierRecord(
            id: nil, service: submission.service, procedureCode: submission.procedure.code, procedureName: submission.procedure.name,
            agencyCode: submission.agency.code, officeCode: submission.office.code,
            applicantName: submission.applicant.fullName, applicantIdNumber: submission.applicant.idNumber,
            applicantPhone: submission.applicant.phone, applicantEmail: submission.applicant.email,
            applicantAddress: submission.applicant.address, resultAddress: submission.resultAddress,
            documents: submission.documents, postage: submission.postage, administrativeFee: submission.administrativeFee,
            note: submission.note, pinHash: pins.hash(pin: pin, for: trackingNumber), transitScope: submission.transitScope,
            jDate: submission.jDate.description, dueDate: submission.dueDate.description,
            oneStopCode: nil, oneStopStatus: nil, appointmentDate: nil, acceptedAt: now, acceptedBy: submission.acceptedBy)
        try dossier.insert(db)
        let dossierId = dossier.id!

        var item = ItemRecord(
            id: nil, dossierId: dossierId, kind: .dossier, trackingNumber: trackingNumber.description, status: .accepted,
            officeCode: submission.office.code, dueDate: submission.dueDate.description, cashOnDelivery: 0,
            createdAt: now, updatedAt: now)
        try item.insert(db)

        var event = ItemEventRecord(
            id: nil, itemId: item.id!, code: .accepted, upuCode: ItemEventCode.accepted.upuCode, occurredAt: now,
            officeCode: submission.office.code, actor: submission.acceptedBy, note: nil, recordedAt: now)
        try event.insert(db)

        var message = OutboxMessageRecord(
            id: nil, dossierId: dossierId, kind: .registerDossier,
            payload: try OneStopRegistration(submission, trackingNumber: trackingNumber).json(),
            state: .pending, attempts: 0, nextAttemptAt: now, lastError: nil, createdAt: now, updatedAt: now)
        try message.insert(db)

        try IdempotencyKeyRecord(key: submission.idempotencyKey, requestHash: submission.requestHash, dossierId: dossierId, createdAt: now)
            .insert(db)
        return .accepted(AcceptedDossier(trackingNumber: trackingNumber, dueDate: dossier.dueDate, acceptedAt: now))
    }

    /// The next serial for a prefix. Serials are never reused: the counter only moves forward, and a serial
    /// is only "used" when the transaction that took it commits.
    private static func nextSerial(prefix: String, in db: Database) throws -> Int {
        let serial = try Int.fetchOne(db, sql: """
            INSERT INTO serialCounter (prefix, lastSerial) VALUES (?, 1)
            ON CONFLICT (prefix) DO UPDATE SET lastSerial = lastSerial + 1
            RETURNING lastSerial
            """, arguments: [prefix])
        return serial!
    }

    private static func acceptedDossier(id: Int64, in db: Database) throws -> AcceptedDossier {
        let dossier = try DossierRecord.fetchOne(db, key: id)!
        let item = try ItemRecord.filter(Column("dossierId") == id && Column("kind") == ItemKind.dossier.rawValue).fetchOne(db)!
        return AcceptedDossier(trackingNumber: try TrackingNumber(parsing: item.trackingNumber), dueDate: dossier.dueDate,
                               acceptedAt: dossier.acceptedAt)
    }
}
