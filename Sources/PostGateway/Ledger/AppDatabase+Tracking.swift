import Foundation
import GRDB

extension AppDatabase {
    /// The dossier behind a public tracking code: an item's S10 number (dossier or result) or the one-stop's mã hồ sơ.
    func trackedDossier(code: String) async throws -> DossierDetail? {
        try await read { db in
            let dossierId = try Int64.fetchOne(db, sql: "SELECT dossierId FROM item WHERE trackingNumber = ?", arguments: [code])
                ?? Int64.fetchOne(db, sql: "SELECT id FROM dossier WHERE oneStopCode = ?", arguments: [code])
            return try dossierId.flatMap { try DossierDetail.fetch(db, dossierId: $0) }
        }
    }
}
