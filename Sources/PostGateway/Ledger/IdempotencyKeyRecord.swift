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

/// Written out, not derived from `Encodable`: intake writes this record for every dossier on the single writer, where
/// the derived encoding's boxes are the biggest cost that is not SQLite's. `RecordEncodingTests` checks that every
/// stored property is written, under its own name, as the derived encoding would.
extension IdempotencyKeyRecord {
    func encode(to container: inout PersistenceContainer) {
        container["key"] = key
        container["requestHash"] = requestHash
        container["dossierId"] = dossierId
        container["createdAt"] = createdAt
    }

    /// The record of a key, through a statement kept prepared: intake asks it for every dossier it takes.
    static func find(_ key: String, in db: Database) throws -> IdempotencyKeyRecord? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM idempotencyKey WHERE key = ?"), arguments: [key])
    }
}
