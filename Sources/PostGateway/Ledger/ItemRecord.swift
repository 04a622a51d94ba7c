import Foundation
import GRDB

/// One row of `item`: a physical parcel with its own S10 number, the dossier on its way to the desk or a
/// result on its way back.
struct ItemRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "item"

    var id: Int64?
    var dossierId: Int64
    var kind: ItemKind
    var trackingNumber: String
    var status: ItemStatus
    /// The office that holds the item now (or last scanned it).
    var officeCode: String
    var dueDate: String?
    var cashOnDelivery: Int64
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
