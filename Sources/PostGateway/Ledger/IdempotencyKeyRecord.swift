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

extension IdempotencyKeyRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let key = Column(CodingKeys.key)
        static let requestHash = Column(CodingKeys.requestHash)
        static let dossierId = Column(CodingKeys.dossierId)
        static let createdAt = Column(CodingKeys.createdAt)
    }
}

/// Written out, not derived from `Encodable`: intake writes this record for every dossier on the one writer, which
/// every intake waiting for its commit queues behind. `RecordEncodingTests` checks that every stored property is
/// written, under its own name, as the derived encoding would.
extension IdempotencyKeyRecord {
    func encode(to container: inout PersistenceContainer) {
        container[Columns.key] = key
        container[Columns.requestHash] = requestHash
        container[Columns.dossierId] = dossierId
        container[Columns.createdAt] = LedgerTime.string(createdAt)
    }

    /// The record of a key, through a statement kept prepared: intake asks it for every dossier it takes.
    static func find(_ key: String, in db: Database) throws -> IdempotencyKeyRecord? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM idempotencyKey WHERE key = ?"), arguments: [key])
    }
}
