import Foundation
import GRDB

/// What public tracking reads of a dossier, and nothing more (DESIGN §7): the journey of its items, and for a
/// citizen with the PIN the procedure, the agency, the appointment and the name already masked. The full name,
/// the ID number, the phone and the addresses are never read into it, so they can neither leak from it nor sit
/// in the tracking cache.
struct TrackedDossier: Sendable {
    struct Event: Sendable {
        let code: ItemEventCode
        let occurredAt: Date
        let officeCode: String
    }

    struct Item: Sendable {
        let trackingNumber: String
        let kind: ItemKind
        let status: ItemStatus
        var events: [Event]
    }

    let id: Int64
    let acceptedAt: Date
    let dueDate: String
    let service: ServiceType
    let oneStopStatus: Int?
    let procedureName: String
    let agencyCode: String
    let appointmentDate: String?
    /// "N*** T*** H*** N***": enough for a citizen to recognise their own dossier.
    let maskedName: String
    let oneStopNote: String?
    let pinHash: String
    var items: [Item]
    /// The dossier items of its supplements, or of the dossier it supplements.
    var linkedTrackingNumbers: [String]

    /// The dossier item's S10 number, which the PIN is derived from.
    var dossierTrackingNumber: String? { items.first { $0.kind == .dossier }?.trackingNumber }

    static func mask(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).map { word in "\(word.first!)***" }.joined(separator: " ")
    }
}

extension TrackedDossier {
    /// The dossier behind a public code: an item's S10 number (dossier or result) or the one-stop's mã hồ sơ.
    /// This is the busiest read of the gateway: raw SQL over cached statements, columns by position (finding
    /// columns by name showed in its profiles), and the events read straight off their statement.
    static func fetch(_ db: Database, code: String) throws -> TrackedDossier? {
        let columns = """
            d.id, d.acceptedAt, d.dueDate, d.service, d.oneStopStatus, d.procedureName, d.agencyCode, d.appointmentDate,
            d.applicantName, d.oneStopNote, d.pinHash, d.supplementOf
            """
        let byItem = try db.cachedStatement(sql: "SELECT \(columns) FROM item i JOIN dossier d ON d.id = i.dossierId WHERE i.trackingNumber = ?")
        let byOneStopCode = try db.cachedStatement(sql: "SELECT \(columns) FROM dossier d WHERE d.oneStopCode = ?")
        guard let (found, supplementOf) = try Row.fetchOne(byItem, arguments: [code]).map(header)
                ?? Row.fetchOne(byOneStopCode, arguments: [code]).map(header)
        else { return nil }
        var dossier = found

        // Each item with its events, oldest first: one row per event (one with NULLs for an item without any).
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT i.id, i.trackingNumber, i.kind, i.status, e.code, e.occurredAt, e.officeCode
            FROM item i LEFT JOIN itemEvent e ON e.itemId = i.id WHERE i.dossierId = ? ORDER BY i.id, e.id
            """), arguments: [dossier.id])
        var itemId: Int64?
        while let row = try rows.next() {
            if itemId != row[0] {
                guard let kind = ItemKind(rawValue: row[2]), let status = ItemStatus(rawValue: row[3]) else { continue }
                itemId = row[0]
                dossier.items.append(Item(trackingNumber: row[1], kind: kind, status: status, events: []))
            }
            if let eventCode: String = row[4], let code = ItemEventCode(rawValue: eventCode) {
                dossier.items[dossier.items.count - 1].events.append(Event(code: code, occurredAt: row[5], officeCode: row[6]))
            }
        }

        dossier.linkedTrackingNumbers = try DossierDetail.linkedTrackingNumbers(db, dossierId: dossier.id, supplementOf: supplementOf)
        return dossier
    }

    /// The dossier's own columns, in the order `fetch` selects them; items and links come after.
    private static func header(_ row: Row) -> (TrackedDossier, supplementOf: Int64?) {
        (TrackedDossier(
            id: row[0], acceptedAt: row[1], dueDate: row[2], service: ServiceType(rawValue: row[3]) ?? .sendOnly, oneStopStatus: row[4],
            procedureName: row[5], agencyCode: row[6], appointmentDate: row[7], maskedName: mask(row[8]), oneStopNote: row[9],
            pinHash: row[10], items: [], linkedTrackingNumbers: []),
         row[11])
    }
}
