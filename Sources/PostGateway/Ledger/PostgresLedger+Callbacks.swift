import Foundation
import GRDB
import PostgresNIO

/// The one-stop's status callbacks on PostgreSQL: `AppDatabase.applyCallback` for `hoso.trangthai` and for types the
/// gateway does not handle, the same rows and answers. Result-only orders (`ketqua.dathang`) are not on PostgreSQL yet.
///
/// What several instances change: the one-stop may deliver one webhook to two of them at once (a retry after a timeout,
/// behind a load balancer), so its id is taken under a transaction lock of its own, and the second finds the first's row
/// and answers a replay; two callbacks of one dossier at two instances are applied one after the other (the dossier's
/// row is locked), so a later status is never overwritten by an earlier one read before it.
extension PostgresLedger {
    func applyStatusCallback(_ event: OneStopEvent, webhookId: String, body: String, receivedAt: Date, resultItems: ResultItemPlanner)
        async throws -> CallbackReceipt
    {
        try await client.withTransaction(logger: logger) { connection in
            if let previous = try await Self.takeWebhookId(webhookId, on: connection, logger: logger) { return previous }
            func keep(_ outcome: CallbackOutcome, dossierId: Int64?) async throws {
                try await Self.keepCallback(
                    webhookId, receivedAt: receivedAt, type: OneStopEvent.statusType, event: event, dossierId: dossierId, outcome: outcome,
                    body: body, on: connection, logger: logger)
            }
            // A dossier the post carried is named by its item; one it never carried (a result-only order) by its mã hồ sơ.
            let found: DossierRecord?
            if let number = event.trackingNumber {
                found = try await Self.fetchOne(
                    DossierRecord.self,
                    """
                    SELECT d.* FROM dossier d JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier'
                    WHERE i.trackingNumber = \(number.description) FOR UPDATE OF d
                    """, on: connection, logger: logger)
            } else {
                found = try await Self.fetchOne(
                    DossierRecord.self,
                    """
                    SELECT * FROM dossier WHERE oneStopCode = \(event.dossierCode) AND service = \(ServiceType.resultOnly.rawValue) FOR UPDATE
                    """, on: connection, logger: logger)
            }
            guard var dossier = found, let dossierId = dossier.id else {
                try await keep(.unknownDossier, dossierId: nil)
                return CallbackReceipt(outcome: .unknownDossier, firstDelivery: true)
            }

            var codeConflict = false
            if let code = event.dossierCode {
                if dossier.oneStopCode == nil {
                    // Unique in the ledger: a code the one-stop gave twice is a finding, not a crash.
                    if try await Self.exists("SELECT 1 FROM dossier WHERE oneStopCode = \(code)", on: connection, logger: logger) {
                        codeConflict = true
                    } else {
                        dossier.oneStopCode = code
                    }
                } else if dossier.oneStopCode != code {
                    codeConflict = true
                }
            }
            let applies = try await Self.takeStatus(
                OneStopStatus.Report(status: event.status, at: event.occurredAt), appointment: event.appointmentDate, content: event.content,
                into: &dossier, learntAt: receivedAt, on: connection, logger: logger)

            var resultNumber: String?
            if applies && event.status == .resultReady && dossier.service == .resultOnly {
                resultNumber = try await Self.orderResultReady(event, dossier: dossier, planner: resultItems, on: connection, logger: logger)
            } else if applies && event.status == .resultReady && dossier.service == .sendAndReturn,
                try await Self.exists("SELECT 1 FROM item WHERE dossierId = \(dossierId) AND kind = 'result'", on: connection, logger: logger)
                    == false
            {
                resultNumber = try await Self.createResultItem(
                    for: dossier, event: event, planner: resultItems, now: receivedAt, on: connection, logger: logger
                ).description
            }
            let outcome: CallbackOutcome = applies ? .applied : .superseded
            try await keep(outcome, dossierId: dossierId)
            return CallbackReceipt(outcome: outcome, firstDelivery: true, resultTrackingNumber: resultNumber, dossierCodeConflict: codeConflict)
        }
    }

    /// A callback of a type the gateway does not handle: kept under its id, never applied.
    func keepUnsupportedCallback(type: String, webhookId: String, body: String, receivedAt: Date) async throws -> CallbackReceipt {
        try await client.withTransaction(logger: logger) { connection in
            if let previous = try await Self.takeWebhookId(webhookId, on: connection, logger: logger) { return previous }
            try await Self.keepCallback(
                webhookId, receivedAt: receivedAt, type: type, event: nil, dossierId: nil, outcome: .unsupportedType, body: body, on: connection,
                logger: logger)
            return CallbackReceipt(outcome: .unsupportedType, firstDelivery: true)
        }
    }

    /// Holds the webhook id's lock until the transaction ends; answers the earlier receipt of a callback kept already.
    private static func takeWebhookId(_ webhookId: String, on connection: PostgresConnection, logger: Logger) async throws -> CallbackReceipt? {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("callback:" + webhookId), 0))", logger: logger)
        let rows = try await connection.query("SELECT outcome FROM oneStopCallback WHERE webhookId = \(webhookId)", logger: logger)
        for try await outcome in rows.decode(String.self) {
            return CallbackReceipt(outcome: CallbackOutcome(rawValue: outcome)!, firstDelivery: false)
        }
        return nil
    }

    private static func keepCallback(
        _ webhookId: String, receivedAt: Date, type: String, event: OneStopEvent?, dossierId: Int64?, outcome: CallbackOutcome, body: String,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO oneStopCallback (webhookId, receivedAt, type, trackingNumber, status, occurredAt, dossierId, outcome, body)
            VALUES (\(webhookId), \(LedgerTime.string(receivedAt)), \(type), \(event?.trackingNumber?.description), \(event?.status.rawValue),
                    \(event.map { LedgerTime.string($0.occurredAt) }), \(dossierId), \(outcome.rawValue), \(body))
            """, logger: logger)
    }

    /// `AppDatabase.takeStatus` on PostgreSQL.
    private static func takeStatus(
        _ report: OneStopStatus.Report, appointment: LocalDate?, content: String?, into dossier: inout DossierRecord, learntAt: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let taken = AppDatabase.take(report, appointment: appointment, content: content, into: &dossier)
        try await update(dossier, columns: AppDatabase.takenColumns, on: connection, logger: logger)
        if let decision = taken.decision, let notice = AppDatabase.decisionNotice(decision, of: dossier) {
            try await notify(notice.milestone, dossierId: dossier.id!, values: notice.values, at: learntAt, on: connection, logger: logger)
        }
        return taken.applies
    }

    /// `AppDatabase.createResultItem`: a new S10 number of the result prefix, waiting at the office that serves the desk.
    private static func createResultItem(
        for dossier: DossierRecord, event: OneStopEvent, planner: ResultItemPlanner, now: Date, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> TrackingNumber {
        let number = TrackingNumber(prefix: planner.series.prefix, serial: try await nextSerial(planner.series, on: connection, logger: logger))
        var item = AppDatabase.resultItem(numbered: number, for: dossier, event: event, planner: planner, now: now)
        item.id = try await insert(item, on: connection, logger: logger)
        try await insert(AppDatabase.resultCreated(item, event: event, now: now), on: connection, logger: logger)
        return number
    }

    /// `AppDatabase.orderResultReady`: a result-only dossier's result is ready, its item says what to collect and its
    /// leg's days start; nil when the item has left the desk already.
    private static func orderResultReady(
        _ event: OneStopEvent, dossier original: DossierRecord, planner: ResultItemPlanner, on connection: PostgresConnection, logger: Logger
    ) async throws -> String? {
        guard
            var item = try await fetchOne(
                ItemRecord.self, "SELECT * FROM item WHERE dossierId = \(original.id!) AND kind = 'result'", on: connection, logger: logger),
            item.status == .created
        else { return nil }
        if let result = event.result {
            item.cashOnDelivery = result.cashOnDelivery
            item.documentCount = result.documentCount
        }
        var dossier = original
        let plan = planner.plan(
            agencyCode: dossier.agencyCode, fallbackOfficeCode: dossier.officeCode, transitScope: dossier.transitScope,
            resultUnitCode: dossier.resultUnitCode, resultProvinceCode: nil, intakeDay: LocalDate(event.occurredAt), readyAt: event.occurredAt)
        item.dueDate = plan.dueDate.description
        try await update(item, columns: ["cashOnDelivery", "documentCount", "dueDate"], on: connection, logger: logger)
        dossier.transitScope = plan.scope
        dossier.dueDate = plan.dueDate.description
        try await update(dossier, columns: ["transitScope", "dueDate"], on: connection, logger: logger)
        return item.trackingNumber
    }
}

extension PostgresLedger {
    /// `AppDatabase.pendingPickups` on PostgreSQL: results waiting at the desk, for the offices given (nil: every one).
    func pendingPickups(officeCode: String?) async throws -> [PendingPickup] {
        let rows = try await client.query(
            """
            SELECT r.trackingNumber, i.trackingNumber AS dossierTrackingNumber, d.oneStopCode, d.agencyCode, r.officeCode,
                   r.dueDate, r.cashOnDelivery, r.createdAt AS readyAt
            FROM item r JOIN dossier d ON d.id = r.dossierId LEFT JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier'
            WHERE r.kind = 'result' AND r.status = 'created' AND d.oneStopStatus = 9 AND (\(officeCode)::text IS NULL OR r.officeCode = \(officeCode))
            ORDER BY r.id
            """, logger: logger)
        var pickups: [PendingPickup] = []
        for try await row in rows { pickups.append(try PendingPickup(row: Self.grdbRow(row))) }
        return pickups
    }
}
