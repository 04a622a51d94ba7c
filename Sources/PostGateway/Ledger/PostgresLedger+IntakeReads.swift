import Foundation
import GRDB
import PostgresNIO

/// The staff's reads of dossiers on PostgreSQL: `AppDatabase+IntakeReads`, the same answers. A dossier's detail is read
/// in one snapshot (a repeatable-read transaction), so its items and events belong to one moment, as on SQLite.
extension PostgresLedger {
    func dossierDetail(id: Int64) async throws -> DossierDetail? {
        try await inSnapshot { connection in try await Self.dossierDetail(id: id, on: connection, logger: logger) }
    }

    func dossierDetail(trackingNumber: TrackingNumber) async throws -> DossierDetail? {
        try await inSnapshot { connection in
            var dossierId: Int64?
            for try await id in try await connection.query(
                "SELECT dossierId FROM item WHERE trackingNumber = \(trackingNumber.description)", logger: logger
            ).decode(Int64.self) {
                dossierId = id
            }
            guard let dossierId else { return nil }
            return try await Self.dossierDetail(id: dossierId, on: connection, logger: logger)
        }
    }

    func dossierSummaries(_ filter: DossierFilter, before: Int64?, limit: Int) async throws -> [DossierSummary] {
        let (conditions, values) = filter.conditions(before: before) { "$\($0)" }
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT dossier.id, item.trackingNumber, item.status, dossier.service, dossier.procedureCode,
                       dossier.agencyCode, dossier.officeCode, dossier.acceptedAt, dossier.dueDate,
                       dossier.oneStopCode, dossier.oneStopStatus
                FROM dossier JOIN item ON item.dossierId = dossier.id
                WHERE \(conditions)
                ORDER BY dossier.id DESC
                LIMIT $\(values.count + 1)
                """, binds: try Self.binds(values + [limit]))
        var summaries: [DossierSummary] = []
        for try await row in try await client.query(query, logger: logger) { summaries.append(try DossierSummary(row: Self.grdbRow(row))) }
        return summaries
    }

    func officeCodes(ofTrackingNumbers numbers: Set<String>) async throws -> [String: String] {
        var offices: [String: String] = [:]
        let rows = try await client.query(
            "SELECT i.trackingNumber, d.officeCode FROM item i JOIN dossier d ON d.id = i.dossierId WHERE i.trackingNumber = ANY(\(Array(numbers)))",
            logger: logger)
        for try await (number, office) in rows.decode((String, String).self) { offices[number] = office }
        return offices
    }

    /// `DossierDetail.fetch` on PostgreSQL.
    private static func dossierDetail(id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> DossierDetail? {
        guard let dossier = try await fetchOne(DossierRecord.self, "SELECT * FROM dossier WHERE id = \(id)", on: connection, logger: logger) else {
            return nil
        }
        let items = try await fetchAll(
            ItemRecord.self,
            PostgresQuery(unsafeSQL: "SELECT * FROM item WHERE dossierId = $1 ORDER BY \(ItemRecord.orderWithinDossier())", binds: try binds(id)),
            on: connection, logger: logger)
        let events = try await fetchAll(
            ItemEventRecord.self, "SELECT * FROM itemEvent WHERE itemId = ANY(\(items.map(\.id!))) ORDER BY id", on: connection, logger: logger)
        var linked: [String] = []
        for try await number in try await connection.query(
            """
            SELECT i.trackingNumber FROM dossier d JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier'
            WHERE d.supplementOf = \(id) OR d.id = \(dossier.supplementOf) ORDER BY d.id
            """, logger: logger
        ).decode(String.self) {
            linked.append(number)
        }
        return DossierDetail(dossier: dossier, items: items, events: Dictionary(grouping: events, by: \.itemId), linkedTrackingNumbers: linked)
    }
}
