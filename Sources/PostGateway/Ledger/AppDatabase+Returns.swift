import Foundation
import GRDB

/// A result waiting at the desk for the post to collect it: a line of an office's pickup list.
struct PendingPickup: Sendable, Equatable, FetchableRecord {
    let trackingNumber: String
    let dossierTrackingNumber: String
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
                    FROM item r JOIN dossier d ON d.id = r.dossierId JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier'
                    WHERE r.kind = 'result' AND r.status = 'created' AND d.oneStopStatus = 9 AND (?1 IS NULL OR r.officeCode = ?1)
                    ORDER BY r.id
                    """, arguments: [officeCode])
        }
    }
}
