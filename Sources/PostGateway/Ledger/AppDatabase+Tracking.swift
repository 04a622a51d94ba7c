import Foundation
import GRDB

extension AppDatabase {
    /// The dossier behind a public tracking code: an item's S10 number (dossier or result) or the one-stop's mã hồ sơ.
    /// `withLinks`: also the linked dossiers, which only a PIN-unlocked answer shows.
    func trackedDossier(code: String, withLinks: Bool) async throws -> TrackedDossier? {
        try await read { db in try TrackedDossier.fetch(db, code: code, withLinks: withLinks) }
    }
}
