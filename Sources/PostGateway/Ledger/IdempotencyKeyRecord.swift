import Foundation
import GRDB

/// One row of `idempotencyKey`: which dossier a clerk's `Idempotency-Key` created, and a hash of the
/// request it came with, so that a replay gets the first answer and a reused key with another body is refused.
struct IdempotencyKeyRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "idempotencyKey"

    var key: String
    var requestHash: String
    var dossierId: Int64
    var createdAt: Date
}
