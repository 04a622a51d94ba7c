import Foundation
import GRDB

/// What public tracking reads of a dossier, and nothing more (DESIGN §7): the journey of its items, and for a
/// citizen with the PIN the procedure, the agency, the appointment and the name already masked. The full name,
/// the ID number, the phone and the addresses are never read into it, so they cannot leak from it.
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
    /// The dossier items of its supplements, or of the dossier it supplements; nil when not read (`fetch`'s `withLinks`).
    var linkedTrackingNumbers: [String]?
    /// Which notices went to the citizen, and when: never their text or the phone.
    var notices: [(milestone: NoticeMilestone, sentAt: Date)] = []

    /// The dossier item's S10 number, which the PIN is derived from.
    /// The number the receipt's PIN is made from: the dossier item's, or for a result-only order (no dossier item) its
    /// result's, the number printed on its receipt.
    var pinTrackingNumber: String? { (items.first { $0.kind == .dossier } ?? items.first)?.trackingNumber }

    /// Each word's first letter (a whole grapheme, so a decomposed "Đ" or "Ư" keeps its mark) and three stars.
    static func mask(_ name: String) -> String {
        var masked = ""
        var atWordStart = true
        let scalars = name.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            // A mark that follows a space belongs to the space's grapheme (a stray accent of decomposed typing): it
            // starts no word, as the Character it is part of is white space.
            if isWhiteSpace(scalars[index]) || atWordStart && index.samePosition(in: name) == nil {
                atWordStart = true
                index = scalars.index(after: index)
            } else if atWordStart {
                if !masked.isEmpty { masked += " " }
                masked.append(name[index])
                masked += "***"
                atWordStart = false
                index = name.index(after: index)
            } else {
                index = scalars.index(after: index)
            }
        }
        return masked
    }

    /// Unicode's White_Space set, which is small and fixed, without a property lookup for every letter of a name.
    private static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

extension TrackedDossier {
    /// The dossier behind a public code: an item's S10 number (dossier or result) or the one-stop's mã hồ sơ.
    ///
    /// One statement, read in one snapshot: one row per event of each item (one with NULLs for an item without any),
    /// oldest first, each row repeating the dossier's columns. The linked dossiers are shown only with the PIN, so they
    /// are read only `withLinks`. Their column holds the dossier items of its supplements, or of the dossier it
    /// supplements, as "id:number" pairs (group_concat keeps no order before SQLite 3.44, so `header` sorts them).
    /// CROSS JOIN keeps SQLite on the dossier's two indexes (left to choose, it walks every dossier item).
    static func fetch(_ db: Database, code: String, withLinks: Bool) throws -> TrackedDossier? {
        // Cached: compiling this statement (GRDB's authorizer notes every column it reads) costs more than running it.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [code, withLinks])
        var dossier: TrackedDossier?
        while let row = try rows.next() { add(row, to: &dossier, withLinks: withLinks) }
        if let id = dossier?.id {
            let notices = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT milestone, sentAt FROM notice WHERE dossierId = ? AND state = 'sent' ORDER BY sentAt, id"),
                arguments: [id])
            while let row = try notices.next() { dossier!.add(notice: row) }
        }
        return dossier
    }

    /// One row of `sql`, in its order: the dossier's columns make the dossier on the first, each new item (its rows
    /// come together; its S10 number is unique) starts an item, and the event columns (NULL for an item without events)
    /// add to the last. The same on either backend.
    static func add(_ row: Row, to dossier: inout TrackedDossier?, withLinks: Bool) {
        if dossier == nil { dossier = header(row, withLinks: withLinks) }
        let trackingNumber: String = row["trackingNumber"]
        if dossier!.items.last?.trackingNumber != trackingNumber, let kind = ItemKind(rawValue: row["kind"]),
            let status = ItemStatus(rawValue: row["status"])
        {
            dossier!.items.append(Item(trackingNumber: trackingNumber, kind: kind, status: status, events: []))
        }
        if dossier!.items.last?.trackingNumber == trackingNumber, let eventCode: String = row["eventCode"],
            let code = ItemEventCode(rawValue: eventCode)
        {
            dossier!.items[dossier!.items.count - 1].events.append(
                Event(code: code, occurredAt: row["occurredAt"], officeCode: row["eventOfficeCode"]))
        }
    }

    /// A notice that went to the citizen: a row of milestone and sentAt.
    mutating func add(notice row: Row) {
        if let milestone = NoticeMilestone(rawValue: row["milestone"]) { notices.append((milestone, row["sentAt"])) }
    }

    /// `fetch`'s statement: ?1 the code, ?2 whether to read the linked dossiers.
    static let sql = """
        WITH target(id) AS NOT MATERIALIZED (
            SELECT coalesce((SELECT dossierId FROM item WHERE trackingNumber = ?1), (SELECT id FROM dossier WHERE oneStopCode = ?1)))
        SELECT d.id, d.acceptedAt, d.dueDate, d.service, d.oneStopStatus, d.procedureName, d.agencyCode,
            d.appointmentDate, d.applicantName, d.oneStopNote, d.pinHash,
            CASE WHEN ?2 THEN (SELECT group_concat(l.id || ':' || li.trackingNumber)
                FROM dossier l CROSS JOIN item li ON li.dossierId = l.id AND li.kind = 'dossier'
                WHERE l.supplementOf = (SELECT id FROM target)
                   OR l.id = (SELECT supplementOf FROM dossier WHERE id = (SELECT id FROM target))) END AS linked,
            i.id AS itemId, i.trackingNumber, i.kind, i.status, e.code AS eventCode, e.occurredAt, e.officeCode AS eventOfficeCode
        FROM dossier d JOIN item i ON i.dossierId = d.id LEFT JOIN itemEvent e ON e.itemId = i.id
        WHERE d.id = (SELECT id FROM target)
        ORDER BY \(ItemRecord.orderWithinDossier(alias: "i")), e.id
        """

    /// `sql` in PostgreSQL's words: $1 the code, $2 whether to read the linked dossiers (string_agg for group_concat,
    /// and no CROSS JOIN … ON, which PostgreSQL does not take).
    static let postgresSQL = """
        WITH target(id) AS NOT MATERIALIZED (
            SELECT coalesce((SELECT dossierId FROM item WHERE trackingNumber = $1), (SELECT id FROM dossier WHERE oneStopCode = $1)))
        SELECT d.id, d.acceptedAt, d.dueDate, d.service, d.oneStopStatus, d.procedureName, d.agencyCode,
            d.appointmentDate, d.applicantName, d.oneStopNote, d.pinHash,
            CASE WHEN $2 THEN (SELECT string_agg(l.id || ':' || li.trackingNumber, ',')
                FROM dossier l JOIN item li ON li.dossierId = l.id AND li.kind = 'dossier'
                WHERE l.supplementOf = (SELECT id FROM target)
                   OR l.id = (SELECT supplementOf FROM dossier WHERE id = (SELECT id FROM target))) END AS linked,
            i.id AS itemId, i.trackingNumber, i.kind, i.status, e.code AS eventCode, e.occurredAt, e.officeCode AS eventOfficeCode
        FROM dossier d JOIN item i ON i.dossierId = d.id LEFT JOIN itemEvent e ON e.itemId = i.id
        WHERE d.id = (SELECT id FROM target)
        ORDER BY \(ItemRecord.orderWithinDossier(alias: "i")), e.id
        """

    /// The dossier's own columns and its links; items come after.
    private static func header(_ row: Row, withLinks: Bool) -> TrackedDossier {
        TrackedDossier(
            id: row["id"], acceptedAt: row["acceptedAt"], dueDate: row["dueDate"], service: ServiceType(rawValue: row["service"]) ?? .sendOnly,
            oneStopStatus: row["oneStopStatus"], procedureName: row["procedureName"], agencyCode: row["agencyCode"],
            appointmentDate: row["appointmentDate"], maskedName: mask(row["applicantName"]), oneStopNote: row["oneStopNote"],
            pinHash: row["pinHash"], items: [], linkedTrackingNumbers: withLinks ? (row["linked"] as String?).map(linkedInOrder) ?? [] : nil)
    }

    /// "12:PH…VN,9:PH…VN" (dossier id, its dossier item's number) as the numbers, oldest dossier first.
    private static func linkedInOrder(_ pairs: String) -> [String] {
        pairs.split(separator: ",").compactMap { pair -> (Int64, String)? in
            guard let colon = pair.firstIndex(of: ":"), let id = Int64(pair[..<colon]) else { return nil }
            return (id, String(pair[pair.index(after: colon)...]))
        }
        .sorted { $0.0 < $1.0 }
        .map(\.1)
    }
}
