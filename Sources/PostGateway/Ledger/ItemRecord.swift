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
    /// A result's documents count as the one-stop gave it (v22); nil for dossier items and results from before.
    var documentCount: Int? = nil

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Written out, not derived from `Encodable`: intake writes this record for every dossier and every scan on the single writer, where
/// the derived encoding's boxes are the biggest cost that is not SQLite's. `RecordEncodingTests` checks that every
/// stored property is written, under its own name, as the derived encoding would.
extension ItemRecord {
    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["dossierId"] = dossierId
        container["kind"] = kind.rawValue
        container["trackingNumber"] = trackingNumber
        container["status"] = status.rawValue
        container["officeCode"] = officeCode
        container["dueDate"] = dueDate
        container["cashOnDelivery"] = cashOnDelivery
        container["createdAt"] = createdAt
        container["updatedAt"] = updatedAt
        container["documentCount"] = documentCount
    }
}

extension ItemRecord {
    /// A dossier's items in the order of its index `item_dossier` (v16): the dossier item, then its results by id. The
    /// dossier item is written with the dossier, before any result, so this is id order; said this way, SQLite reads the
    /// items in it from the index instead of sorting them afterwards.
    static func orderWithinDossier(alias: String? = nil) -> String {
        let column = { (name: String) in alias.map { "\($0).\(name)" } ?? name }
        return "CASE \(column("kind")) WHEN 'dossier' THEN 0 ELSE \(column("id")) END, \(column("id"))"
    }
}
