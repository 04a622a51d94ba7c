import Foundation
import GRDB

/// A dossier with all its items and their events, for the staff detail view.
package struct DossierDetail: Sendable {
    let dossier: DossierRecord
    let items: [ItemRecord]
    let events: [Int64: [ItemEventRecord]]
    /// The dossier items of its supplements, or of the dossier it supplements.
    var linkedTrackingNumbers: [String] = []
}

extension DossierDetail {
    /// The dossier with all its items and their events, oldest first.
    static func fetch(_ db: Database, dossierId: Int64) throws -> DossierDetail? {
        guard let dossier = try DossierRecord.fetchOne(db, key: dossierId) else { return nil }
        let items = try ItemRecord.filter { $0.dossierId == dossierId }.order(sql: ItemRecord.orderWithinDossier()).fetchAll(db)
        let events = try ItemEventRecord.filter { items.map(\.id!).contains($0.itemId) }.order(\.id).fetchAll(db)
        let linked = try linkedTrackingNumbers(db, dossierId: dossierId, supplementOf: dossier.supplementOf)
        return DossierDetail(dossier: dossier, items: items, events: Dictionary(grouping: events, by: \.itemId), linkedTrackingNumbers: linked)
    }

    /// The dossier items of a dossier's supplements, or of the dossier it supplements.
    static func linkedTrackingNumbers(_ db: Database, dossierId: Int64, supplementOf: Int64?) throws -> [String] {
        // CROSS JOIN keeps SQLite on the dossier's two indexes; left to choose, it walks every dossier item.
        try String.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT i.trackingNumber FROM dossier d CROSS JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier'
                    WHERE d.supplementOf = ? OR d.id = ? ORDER BY d.id
                    """), arguments: [dossierId, supplementOf])
    }
}

/// One line of the staff dossier list: the dossier and where its dossier item is.
struct DossierSummary: Codable, Sendable, FetchableRecord {
    let id: Int64
    let trackingNumber: String
    let status: ItemStatus
    let service: ServiceType
    let procedureCode: String
    let agencyCode: String
    let officeCode: String
    let acceptedAt: Date
    let dueDate: String
    let oneStopCode: String?
    let oneStopStatus: Int?
}

/// The staff list's filters; every one optional. Days are local days, both ends included.
struct DossierFilter: Sendable, Equatable {
    var status: ItemStatus?
    var officeCode: String?
    var agencyCode: String?
    var from: LocalDate?
    var to: LocalDate?

    /// The list's conditions on `dossier` and `item`, and their values in order, `placeholder(n)` standing for the
    /// n-th (from 1): the same on either backend. `before`: the last dossier id of the previous page.
    func conditions(before: Int64?, placeholder: (Int) -> String) -> (sql: String, values: [(any DatabaseValueConvertible)?]) {
        // A dossier by its dossier item; a result-only order, which has none, by its result.
        var conditions = ["(item.kind = 'dossier' OR dossier.service = 'resultOnly')"]
        var values: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ value: any DatabaseValueConvertible) {
            values.append(value)
            conditions.append(condition + placeholder(values.count))
        }
        if let status { add("item.status = ", status.rawValue) }
        if let officeCode { add("dossier.officeCode = ", officeCode) }
        if let agencyCode { add("dossier.agencyCode = ", agencyCode) }
        if let from { add("dossier.acceptedAt >= ", from.startInstant) }
        if let to { add("dossier.acceptedAt < ", to.adding(days: 1).startInstant) }
        if let before { add("dossier.id < ", before) }
        return (conditions.joined(separator: " AND "), values)
    }
}

extension AppDatabase {
    /// The dossier that an item number belongs to, whether the dossier's own item or its result's.
    func dossierDetail(id: Int64) async throws -> DossierDetail? {
        try await read { db in try DossierDetail.fetch(db, dossierId: id) }
    }

    package func dossierDetail(trackingNumber: TrackingNumber) async throws -> DossierDetail? {
        try await read { db in
            guard let item = try ItemRecord.numbered(trackingNumber).fetchOne(db) else { return nil }
            return try DossierDetail.fetch(db, dossierId: item.dossierId)
        }
    }

    /// Newest first; `before` is the id of the last dossier of the previous page (keyset paging, stable
    /// while new dossiers arrive).
    func dossierSummaries(_ filter: DossierFilter, before: Int64?, limit: Int) async throws -> [DossierSummary] {
        try await read { db in
            let (conditions, values) = filter.conditions(before: before) { _ in "?" }
            let arguments = StatementArguments(values + [limit])
            // CROSS JOIN: walk dossiers newest first and stop at the page's end, instead of sorting every item.
            return try DossierSummary.fetchAll(
                db,
                sql: """
                    SELECT dossier.id, item.trackingNumber, item.status, dossier.service, dossier.procedureCode,
                           dossier.agencyCode, dossier.officeCode, dossier.acceptedAt, dossier.dueDate,
                           dossier.oneStopCode, dossier.oneStopStatus
                    FROM dossier CROSS JOIN item ON item.dossierId = dossier.id
                    WHERE \(conditions)
                    ORDER BY dossier.id DESC
                    LIMIT ?
                    """, arguments: arguments)
        }
    }
}

extension AppDatabase {
    /// The office that took in the dossier of each known item number (unknown numbers are left out).
    func officeCodes(ofTrackingNumbers numbers: Set<String>) async throws -> [String: String] {
        let list = Array(numbers)
        return try await read { db in
            var offices: [String: String] = [:]
            for start in stride(from: 0, to: list.count, by: 500) {
                let chunk = Array(list[start..<min(list.count, start + 500)])
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT i.trackingNumber, d.officeCode FROM item i JOIN dossier d ON d.id = i.dossierId
                        WHERE i.trackingNumber IN (\(databaseQuestionMarks(count: chunk.count)))
                        """, arguments: StatementArguments(chunk))
                for row in rows { offices[row["trackingNumber"]] = row["officeCode"] }
            }
            return offices
        }
    }
}
