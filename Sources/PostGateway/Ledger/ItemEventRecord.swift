import Foundation
import GRDB

/// One row of `itemEvent`: something that happened to an item, when, where and by whom.
struct ItemEventRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "itemEvent"

    var id: Int64?
    var itemId: Int64
    var code: ItemEventCode
    var upuCode: String?
    var occurredAt: Date
    var officeCode: String
    var actor: String
    var note: String?
    var recordedAt: Date
    /// The delivery attempt an `outForDelivery` or `deliveryFailed` event belongs to (1, 2, …).
    var attempt: Int? = nil
    /// On `delivered`: the recipient's identity document was checked (the number itself is never kept).
    var identityChecked: Bool? = nil

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ItemEventRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let itemId = Column(CodingKeys.itemId)
        static let code = Column(CodingKeys.code)
        static let upuCode = Column(CodingKeys.upuCode)
        static let occurredAt = Column(CodingKeys.occurredAt)
        static let officeCode = Column(CodingKeys.officeCode)
        static let actor = Column(CodingKeys.actor)
        static let note = Column(CodingKeys.note)
        static let recordedAt = Column(CodingKeys.recordedAt)
        static let attempt = Column(CodingKeys.attempt)
        static let identityChecked = Column(CodingKeys.identityChecked)
    }
}

/// Written out, not derived from `Encodable`: intake and scanning write this record for every dossier and every scan
/// on the one writer, which every write waiting for its commit queues behind. `RecordEncodingTests` checks that every
/// stored property is written, under its own name, as the derived encoding would.
extension ItemEventRecord {
    func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.itemId] = itemId
        container[Columns.code] = code.rawValue
        container[Columns.upuCode] = upuCode
        container[Columns.occurredAt] = LedgerTime.string(occurredAt)
        container[Columns.officeCode] = officeCode
        container[Columns.actor] = actor
        container[Columns.note] = note
        container[Columns.recordedAt] = LedgerTime.string(recordedAt)
        container[Columns.attempt] = attempt
        container[Columns.identityChecked] = identityChecked
    }
}
