import Foundation
import GRDB
import PostgresNIO

extension PostgresLedger {
    /// Keys of the advisory locks a transaction takes for a moment of the ledger that is one for all instances.
    enum TransactionLock: Int64 {
        /// The audit log's head: one chain for the whole ledger, whichever instance appends (see `appendAudit`).
        case auditHead = 0x5047_4155_4449  // "PGAUDI"
    }

    /// `AppDatabase.acceptDossiers` on PostgreSQL, the same rows and answers: the waiting intakes in one transaction,
    /// each in its own savepoint. What several instances change: two of them taking the same Idempotency-Key at once
    /// both write, and the second's key row meets the first's on the unique key; that intake is rolled back to its
    /// savepoint and decided again, now as a replay of the first, so both counters get the same answer.
    func acceptDossiers(_ submissions: [IntakeSubmission], series: TrackingSeries, pins: TrackingPins) async throws -> [Result<
        IntakeOutcome, any Error
    >] {
        try await client.withTransaction(logger: logger) { connection in
            var outcomes: [Result<IntakeOutcome, any Error>] = []
            for submission in submissions {
                outcomes.append(await accept(submission, series: series, pins: pins, on: connection))
            }
            return outcomes
        }
    }

    private func accept(_ submission: IntakeSubmission, series: TrackingSeries, pins: TrackingPins, on connection: PostgresConnection) async
        -> Result<IntakeOutcome, any Error>
    {
        let outcome = await attempt(submission, series: series, pins: pins, on: connection)
        guard case .failure(let error) = outcome, (error as? PSQLError)?.serverInfo?[.constraintName] == "idempotencykey_pkey" else {
            return outcome
        }
        // Another instance took the key meanwhile: now the earlier row is there, and this intake is its replay.
        return await attempt(submission, series: series, pins: pins, on: connection)
    }

    /// One try in a savepoint of its own, so that a refused intake leaves the batch's transaction as it found it.
    private func attempt(_ submission: IntakeSubmission, series: TrackingSeries, pins: TrackingPins, on connection: PostgresConnection) async
        -> Result<IntakeOutcome, any Error>
    {
        do {
            try await connection.query("SAVEPOINT intake", logger: logger)
            let outcome = try await Self.acceptDossier(submission, series: series, pins: pins, on: connection, logger: logger)
            try await connection.query("RELEASE SAVEPOINT intake", logger: logger)
            return .success(outcome)
        } catch {
            do { try await connection.query("ROLLBACK TO SAVEPOINT intake", logger: logger) } catch { return .failure(error) }
            return .failure(error)
        }
    }

    /// One intake, as `AppDatabase.acceptDossier` decides and writes it.
    private static func acceptDossier(
        _ submission: IntakeSubmission, series: TrackingSeries, pins: TrackingPins, on connection: PostgresConnection, logger: Logger
    ) async throws -> IntakeOutcome {
        if let earlier = try await fetchOne(
            IdempotencyKeyRecord.self, "SELECT * FROM idempotencyKey WHERE key = \(submission.ledgerKey)", on: connection, logger: logger)
        {
            guard earlier.requestHash == submission.requestHash else { return .keyReused }
            return .replayed(try await acceptedDossier(id: earlier.dossierId, pins: pins, on: connection, logger: logger))
        }
        var supplementOf: Int64?
        if let original = submission.supplementTo {
            switch try await supplementTarget(original, for: submission, on: connection, logger: logger) {
            case .success(let id): supplementOf = id
            case .failure(let refusal): return .supplementRefused(refusal.issue)
            }
        }
        let trackingNumber = TrackingNumber(prefix: series.prefix, serial: try await nextSerial(series, on: connection, logger: logger))
        let pin = pins.pin(for: trackingNumber)
        let now = submission.acceptedAt
        let dossier = DossierRecord(submission, supplementOf: supplementOf, pinHash: pins.hash(pin: pin, for: trackingNumber))
        let dossierId = try await insert(dossier, on: connection, logger: logger)!
        let item = ItemRecord.dossierItem(of: submission, dossierId: dossierId, trackingNumber: trackingNumber)
        let itemId = try await insert(item, on: connection, logger: logger)!
        try await insert(ItemEventRecord.accepted(itemId: itemId, submission: submission), on: connection, logger: logger)
        let payload = try OneStopRegistration(submission, trackingNumber: trackingNumber, sealedIdNumber: submission.sealedIdNumber).payloadText()
        try await insert(
            OutboxMessageRecord.pending(dossierId: dossierId, kind: .registerDossier, payload: payload, at: now), on: connection, logger: logger)
        try await notify(.accepted, dossierId: dossierId, at: now, on: connection, logger: logger)
        try await insert(
            IdempotencyKeyRecord(key: submission.ledgerKey, requestHash: submission.requestHash, dossierId: dossierId, createdAt: now),
            on: connection, logger: logger)
        // In this transaction, so the log can never miss a dossier the counter was told is saved.
        try await appendAudit([.intake(submission, trackingNumber: trackingNumber)], at: LedgerTime.string(now), on: connection, logger: logger)
        return .accepted(AcceptedDossier(trackingNumber: trackingNumber, pin: pin, dueDate: submission.dueDate.description, acceptedAt: now))
    }

    private static func acceptedDossier(id: Int64, pins: TrackingPins, on connection: PostgresConnection, logger: Logger) async throws
        -> AcceptedDossier
    {
        let dossier = try await fetchOne(DossierRecord.self, "SELECT * FROM dossier WHERE id = \(id)", on: connection, logger: logger)!
        let item = try await fetchOne(
            ItemRecord.self, "SELECT * FROM item WHERE dossierId = \(id) AND kind = 'dossier'", on: connection, logger: logger)!
        let trackingNumber = try TrackingNumber(parsing: item.trackingNumber)
        return AcceptedDossier(
            trackingNumber: trackingNumber, pin: pins.pin(for: trackingNumber), dueDate: dossier.dueDate, acceptedAt: dossier.acceptedAt)
    }

    private static func supplementTarget(
        _ original: TrackingNumber, for submission: IntakeSubmission, on connection: PostgresConnection, logger: Logger
    ) async throws -> Result<Int64, AppDatabase.SupplementRefusal> {
        let rows = try await connection.query(
            """
            SELECT d.id, d.agencyCode, d.procedureCode, d.oneStopStatus FROM dossier d
            JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier' WHERE i.trackingNumber = \(original.description)
            """, logger: logger)
        var found: (id: Int64, agency: String, procedure: String, status: Int?)?
        for try await row in rows.decode((Int64, String, String, Int?).self) { found = row }
        return AppDatabase.supplementTarget(original, for: submission, found: found)
    }

    /// `AppDatabase.notify` on PostgreSQL: the notice of a milestone for a citizen who agreed to messages.
    static func notify(
        _ milestone: NoticeMilestone, dossierId: Int64, values: [String: String] = [:], at now: Date, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let rows = try await connection.query(
            """
            SELECT d.notifyBy, d.applicantPhone, (SELECT trackingNumber FROM item WHERE dossierId = d.id ORDER BY id LIMIT 1),
                   (SELECT count(*) FROM notice WHERE dossierId = d.id AND milestone = \(milestone.rawValue))
            FROM dossier d WHERE d.id = \(dossierId)
            """, logger: logger)
        for try await (notifyBy, phone, code, earlier) in rows.decode((String?, String, String?, Int).self) {
            guard
                let notice = NoticeRecord.of(
                    milestone, dossierId: dossierId, notifyBy: notifyBy, phone: phone, code: code, earlier: earlier, values: values, at: now)
            else { return }
            try await insert(notice, on: connection, logger: logger)
        }
    }
}
