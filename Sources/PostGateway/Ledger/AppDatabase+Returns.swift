import Foundation
import GRDB

/// A result waiting at the desk for the post to collect it: a line of an office's pickup list.
struct PendingPickup: Sendable, Equatable, FetchableRecord {
    let trackingNumber: String
    /// nil for a result-only order: the post never carried its dossier.
    let dossierTrackingNumber: String?
    let oneStopCode: String?
    let agencyCode: String
    let officeCode: String
    let dueDate: String?
    let cashOnDelivery: Int64
    let readyAt: Date

    init(row: Row) throws {
        trackingNumber = row["trackingNumber"]
        dossierTrackingNumber = row["dossierTrackingNumber"]
        oneStopCode = row["oneStopCode"]
        agencyCode = row["agencyCode"]
        officeCode = row["officeCode"]
        dueDate = row["dueDate"]
        cashOnDelivery = row["cashOnDelivery"]
        readyAt = row["readyAt"]
    }
}

extension AppDatabase {
    /// Result items not yet picked up, for the offices given (nil: every office), oldest first. Only while the dossier
    /// is at 9: once the desk reports it returned (10) or the dossier withdrawn or stopped (7, 8), the citizen has the
    /// result or there is none to carry, and a clerk sent to collect it would report a pickup of a finished dossier.
    func pendingPickups(officeCode: String?) async throws -> [PendingPickup] {
        try await read { db in
            try PendingPickup.fetchAll(
                db,
                sql: """
                    SELECT r.trackingNumber, i.trackingNumber AS dossierTrackingNumber, d.oneStopCode, d.agencyCode, r.officeCode,
                           r.dueDate, r.cashOnDelivery, r.createdAt AS readyAt
                    FROM item r JOIN dossier d ON d.id = r.dossierId LEFT JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier'
                    WHERE r.kind = 'result' AND r.status = 'created' AND d.oneStopStatus = 9 AND (?1 IS NULL OR r.officeCode = ?1)
                    ORDER BY r.id
                    """, arguments: [officeCode])
        }
    }
}

/// What the ledger did with a verified callback.
enum CallbackOutcome: String, Sendable {
    /// The dossier took the status.
    case applied
    /// Recorded, but the dossier already holds a later status: nothing moves backwards.
    case superseded
    /// No dossier has this item number: kept for the reconciliation, nothing applied.
    case unknownDossier
    /// A `Loai` the gateway does not handle: kept, nothing applied.
    case unsupportedType
    /// A change to a result-only order the gateway cannot take (`OrderRefusal`): answered 409, and kept in
    /// `refusedOrderChange`, never in `oneStopCallback`.
    case refused
}

/// The answer to a callback.
struct CallbackReceipt: Sendable, Equatable {
    let outcome: CallbackOutcome
    /// False when this webhook id was seen before: the replay is acknowledged and ignored.
    let firstDelivery: Bool
    /// The result item created by this callback (status 9 of a dossier whose result goes by post).
    var resultTrackingNumber: String? = nil
    /// The mã hồ sơ differs from the one the dossier already has: kept as it was, for a person to look at.
    var dossierCodeConflict = false
    /// Why an order's change was refused (outcome `refused`).
    var orderRefusal: OrderRefusal? = nil
}

extension AppDatabase {
    /// Records a verified callback and applies it, all in one transaction: the id is kept for ever, the dossier
    /// takes the status only if it supersedes the one it holds, status 2 brings the mã hồ sơ and the appointment
    /// date, and status 9 of a dossier whose result comes by post creates the result item.
    /// A result-only order goes to `applyOrder`, in the same transaction.
    func applyCallback(
        _ parsed: OneStopEvent.Parsed, webhookId: String, body: String, receivedAt: Date,
        resultItems: ResultItemPlanner, pins: TrackingPins
    ) async throws -> CallbackReceipt {
        try await write { db in
            if let previous = try String.fetchOne(db, sql: "SELECT outcome FROM oneStopCallback WHERE webhookId = ?", arguments: [webhookId]) {
                return CallbackReceipt(outcome: CallbackOutcome(rawValue: previous)!, firstDelivery: false)
            }
            func keep(_ outcome: CallbackOutcome, type: String, event: OneStopEvent?, dossierId: Int64?) throws {
                try Self.keepCallback(
                    webhookId, receivedAt: receivedAt, type: type, trackingNumber: event?.trackingNumber?.description, status: event?.status,
                    occurredAt: event?.occurredAt, dossierId: dossierId, outcome: outcome, body: body, in: db)
            }
            let event: OneStopEvent
            switch parsed {
            case .unsupportedType(let type):
                try keep(.unsupportedType, type: type, event: nil, dossierId: nil)
                return CallbackReceipt(outcome: .unsupportedType, firstDelivery: true)
            case .order(let order):
                return try Self.applyOrder(
                    order, webhookId: webhookId, body: body, receivedAt: receivedAt, resultItems: resultItems, pins: pins, in: db)
            case .event(let parsedEvent):
                event = parsedEvent
            }
            // A dossier the post carried is named by its item; one it never carried (a result-only order) by its mã hồ sơ.
            let found: DossierRecord?
            if let number = event.trackingNumber {
                found = try DossierRecord.fetchOne(
                    db,
                    sql: """
                        SELECT d.* FROM dossier d JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier' WHERE i.trackingNumber = ?
                        """, arguments: [number.description])
            } else {
                found = try DossierRecord.filter { $0.oneStopCode == event.dossierCode && $0.service == ServiceType.resultOnly.rawValue }
                    .fetchOne(db)
            }
            guard var dossier = found else {
                try keep(.unknownDossier, type: OneStopEvent.statusType, event: event, dossierId: nil)
                return CallbackReceipt(outcome: .unknownDossier, firstDelivery: true)
            }

            var codeConflict = false
            if let code = event.dossierCode {
                if dossier.oneStopCode == nil {
                    // Unique in the ledger: a code the one-stop gave twice is a finding, not a crash.
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM dossier WHERE oneStopCode = ?", arguments: [code]) == true {
                        codeConflict = true
                    } else {
                        dossier.oneStopCode = code
                    }
                } else if dossier.oneStopCode != code {
                    codeConflict = true
                }
            }
            let applies = try Self.takeStatus(
                OneStopStatus.Report(status: event.status, at: event.occurredAt), appointment: event.appointmentDate, content: event.content,
                into: &dossier, learntAt: receivedAt, in: db)

            var resultNumber: String?
            if applies && event.status == .resultReady && dossier.service == .resultOnly {
                resultNumber = try Self.orderResultReady(event, dossier: &dossier, planner: resultItems, in: db)
            } else if applies && event.status == .resultReady && dossier.service == .sendAndReturn,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM item WHERE dossierId = ? AND kind = 'result'", arguments: [dossier.id!]) != true
            {
                resultNumber = try Self.createResultItem(for: dossier, event: event, planner: resultItems, now: receivedAt, in: db).description
            }
            let outcome: CallbackOutcome = applies ? .applied : .superseded
            try keep(outcome, type: OneStopEvent.statusType, event: event, dossierId: dossier.id)
            return CallbackReceipt(outcome: outcome, firstDelivery: true, resultTrackingNumber: resultNumber, dossierCodeConflict: codeConflict)
        }
    }

    /// Keeps a callback for ever, under its webhook id: the replays of it are told by this row.
    static func keepCallback(
        _ webhookId: String, receivedAt: Date, type: String, trackingNumber: String?, status: OneStopStatus?, occurredAt: Date?,
        dossierId: Int64?, outcome: CallbackOutcome, body: String, in db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO oneStopCallback (webhookId, receivedAt, type, trackingNumber, status, occurredAt, dossierId, outcome, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                webhookId, LedgerTime.string(receivedAt), type, trackingNumber, status?.rawValue, occurredAt.map(LedgerTime.string), dossierId,
                outcome.rawValue, body,
            ])
    }

    /// The result item: a new S10 number of the result prefix, waiting at the office that serves the agency,
    /// with the cash to collect on delivery that the one-stop named.
    private static func createResultItem(
        for dossier: DossierRecord, event: OneStopEvent, planner: ResultItemPlanner, now: Date,
        in db: Database
    ) throws -> TrackingNumber {
        let number = TrackingNumber(prefix: planner.series.prefix, serial: try nextSerial(planner.series, in: db))
        var item = resultItem(numbered: number, for: dossier, event: event, planner: planner, now: now)
        try item.insert(db)
        var created = resultCreated(item, event: event, now: now)
        try created.insert(db)
        return number
    }

    /// The result item, before it is written: waiting at the office the plan names, due by its day, with the cash to
    /// collect on delivery and the documents the one-stop named. The same on either backend.
    static func resultItem(
        numbered number: TrackingNumber, for dossier: DossierRecord, event: OneStopEvent, planner: ResultItemPlanner, now: Date
    ) -> ItemRecord {
        let plan = planner.plan(
            agencyCode: dossier.agencyCode, fallbackOfficeCode: dossier.officeCode, transitScope: dossier.transitScope,
            resultUnitCode: dossier.resultUnitCode, resultProvinceCode: dossier.resultProvinceCode,
            intakeDay: LocalDate(iso: dossier.jDate), readyAt: event.occurredAt)
        return ItemRecord(
            dossierId: dossier.id!, kind: .result, trackingNumber: number.description, status: .created,
            officeCode: plan.officeCode, dueDate: plan.dueDate.description,
            cashOnDelivery: event.result?.cashOnDelivery ?? 0, createdAt: now, updatedAt: now, documentCount: event.result?.documentCount)
    }

    /// A written result item's first event: created, at the one-stop's time of the result.
    static func resultCreated(_ item: ItemRecord, event: OneStopEvent, now: Date) -> ItemEventRecord {
        ItemEventRecord(
            itemId: item.id!, code: .created, upuCode: ItemEventCode.created.upuCode, occurredAt: event.occurredAt,
            officeCode: item.officeCode, actor: "onestop", note: nil, recordedAt: now)
    }
}
