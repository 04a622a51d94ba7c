import Foundation
import GRDB
import PostgresNIO

/// Scans on PostgreSQL: `AppDatabase.recordScan`, the same rows and answers, decided by the same `scanAnswer`.
///
/// What several instances change: two scanners may send one item's scans to two instances at once (a clerk's retry
/// after a timeout, two clerks at one counter). The item's row is locked for the transaction, so its scans are decided
/// one after the other, each against the journey the one before it wrote: a repeat is answered as one and recorded
/// once, and an event its predecessor made illegal is refused rather than written beside it.
extension PostgresLedger {
    func recordScan(
        _ scan: ScanRequest, by role: StaffIdentity.Role, recordedAt: Date, reference: ReferenceData, invitesByMessage: Bool = false,
        audit: AuditSlot? = nil
    ) async throws -> ScanResult {
        return try await withTransaction(audit: audit) { connection -> ScanResult in
            guard
                var item = try await Self.fetchOne(
                    ItemRecord.self, "SELECT * FROM item WHERE trackingNumber = \(scan.trackingNumber.description) FOR UPDATE", on: connection,
                    logger: logger)
            else { return .notFound }
            var dossier: (office: String, agency: String)?
            for try await row in try await connection.query(
                "SELECT officeCode, agencyCode FROM dossier WHERE id = \(item.dossierId)", logger: logger
            ).decode((String, String).self) {
                dossier = row
            }
            guard let dossier else { return .notFound }
            let events = try await Self.fetchAll(
                ItemEventRecord.self, "SELECT * FROM itemEvent WHERE itemId = \(item.id!) ORDER BY id", on: connection, logger: logger)
            if let answer = AppDatabase.scanAnswer(
                scan, by: role, item: item, intakeOffice: dossier.office, agencyCode: dossier.agency, events: events, reference: reference)
            {
                return answer
            }
            if invitesByMessage, scan.event == .returnedToAgency,
                try await Self.exists(
                    """
                    SELECT 1 FROM notice WHERE dossierId = \(item.dossierId) AND milestone = 'deliveryFailed' AND state IN ('pending', 'inFlight')
                    """, on: connection, logger: logger)
            {
                return .invitationsWaiting(item)
            }
            let event = try await Self.apply(
                scan.event, to: &item, earlier: events.map(\.code), occurredAt: scan.occurredAt, officeCode: scan.officeCode, actor: scan.actor,
                note: scan.note, identityChecked: scan.identityChecked, recordedAt: recordedAt, reference: reference, on: connection,
                logger: logger)
            try await audit?.append(outcome: 201, at: recordedAt, on: connection, logger: logger)
            return .applied(item, event)
        }
    }

    /// `AppDatabase.apply` on PostgreSQL, in the caller's transaction.
    static func apply(
        _ code: ItemEventCode, to item: inout ItemRecord, earlier: [ItemEventCode], occurredAt: Date, officeCode: String, actor: String,
        note: String?, identityChecked: Bool, recordedAt: Date, reference: ReferenceData, on connection: PostgresConnection, logger: Logger
    ) async throws -> ItemEventRecord {
        var event = AppDatabase.step(
            code, of: &item, earlier: earlier, occurredAt: occurredAt, officeCode: officeCode, actor: actor, note: note,
            identityChecked: identityChecked, recordedAt: recordedAt)
        event.id = try await insert(event, on: connection, logger: logger)
        var dossier: (service: String, transitScope: String?)?
        if item.kind == .result {
            for try await row in try await connection.query(
                "SELECT service, transitScope FROM dossier WHERE id = \(item.dossierId)", logger: logger
            ).decode((String, String?).self) {
                dossier = row
            }
        }
        guard let dossier else {
            try await update(item, columns: ["status", "officeCode", "updatedAt"], on: connection, logger: logger)
            return event
        }
        // A result's J is the day it is taken from the agency (TT17 Art 7), as on SQLite.
        if code == .pickedUp, let scope = dossier.transitScope.flatMap(TransitScope.init(rawValue:)) {
            item.dueDate = reference.dueDate(from: LocalDate(occurredAt), scope: scope).description
        }
        try await update(item, columns: ["status", "officeCode", "updatedAt", "dueDate"], on: connection, logger: logger)
        let resultOnly = dossier.service == ServiceType.resultOnly.rawValue
        if let progress = AppDatabase.progressReport(of: event, earlier: earlier, item: item, note: note, resultOnly: resultOnly) {
            try await insert(progress, on: connection, logger: logger)
        }
        if let notice = AppDatabase.resultJourneyNotice(code, item: item, occurredAt: occurredAt, officeCode: officeCode, reference: reference) {
            try await notify(notice.milestone, dossierId: item.dossierId, values: notice.values, at: recordedAt, on: connection, logger: logger)
        }
        return event
    }
}
