import Foundation
import GRDB

extension AppDatabase {
    /// The dossier behind a public tracking code: an item's S10 number (dossier or result) or the one-stop's
    /// mã hồ sơ. The `matchedItemId` tells which item the code names (nil for a mã hồ sơ: the whole dossier).
    func trackedDossier(code: String) async throws -> (detail: DossierDetail, matchedItemId: Int64?)? {
        try await read { db in
            let dossierId: Int64
            let matchedItemId: Int64?
            if let item = try ItemRecord.filter(Column("trackingNumber") == code).fetchOne(db) {
                (dossierId, matchedItemId) = (item.dossierId, item.id)
            } else if let id = try Int64.fetchOne(db, sql: "SELECT id FROM dossier WHERE oneStopCode = ?", arguments: [code]) {
                (dossierId, matchedItemId) = (id, nil)
            } else {
                return nil
            }
            guard let dossier = try DossierRecord.fetchOne(db, key: dossierId) else { return nil }
            let items = try ItemRecord.filter(Column("dossierId") == dossierId).order(Column("id")).fetchAll(db)
            let events = try ItemEventRecord.filter(items.map(\.id!).contains(Column("itemId"))).order(Column("id")).fetchAll(db)
            return (DossierDetail(dossier: dossier, items: items, events: Dictionary(grouping: events, by: \.itemId)), matchedItemId)
        }
    }
}
