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

/// Written out, not derived from `Encodable`: intake writes this record for every dossier and every scan on the single writer, where
/// the derived encoding's boxes are the biggest cost that is not SQLite's. `RecordEncodingTests` checks that every
/// stored property is written, under its own name, as the derived encoding would.
extension ItemEventRecord {
    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["itemId"] = itemId
        container["code"] = code.rawValue
        container["upuCode"] = upuCode
        container["occurredAt"] = occurredAt
        container["officeCode"] = officeCode
        container["actor"] = actor
        container["note"] = note
        container["recordedAt"] = recordedAt
        container["attempt"] = attempt
        container["identityChecked"] = identityChecked
    }
}
