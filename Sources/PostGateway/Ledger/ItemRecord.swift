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

extension ItemRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let dossierId = Column(CodingKeys.dossierId)
        static let kind = Column(CodingKeys.kind)
        static let trackingNumber = Column(CodingKeys.trackingNumber)
        static let status = Column(CodingKeys.status)
        static let officeCode = Column(CodingKeys.officeCode)
        static let dueDate = Column(CodingKeys.dueDate)
        static let cashOnDelivery = Column(CodingKeys.cashOnDelivery)
        static let createdAt = Column(CodingKeys.createdAt)
        static let updatedAt = Column(CodingKeys.updatedAt)
        static let documentCount = Column(CodingKeys.documentCount)
    }
}

/// Written out, not derived from `Encodable`: intake and scanning write this record for every dossier and every scan
/// on the one writer, which every write waiting for its commit queues behind. `RecordEncodingTests` checks that every
/// stored property is written, under its own name, as the derived encoding would.
extension ItemRecord {
    func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.dossierId] = dossierId
        container[Columns.kind] = kind.rawValue
        container[Columns.trackingNumber] = trackingNumber
        container[Columns.status] = status.rawValue
        container[Columns.officeCode] = officeCode
        container[Columns.dueDate] = dueDate
        container[Columns.cashOnDelivery] = cashOnDelivery
        container[Columns.createdAt] = LedgerTime.string(createdAt)
        container[Columns.updatedAt] = LedgerTime.string(updatedAt)
        container[Columns.documentCount] = documentCount
    }
}

extension ItemRecord {
    /// The item that bears an S10 number (one at most: the number is unique).
    static func numbered(_ trackingNumber: TrackingNumber) -> QueryInterfaceRequest<ItemRecord> {
        filter { $0.trackingNumber == trackingNumber.description }
    }

    /// A dossier's item of one kind: the dossier it travels as, or its result.
    static func of(dossier dossierId: Int64, kind: ItemKind) -> QueryInterfaceRequest<ItemRecord> {
        filter { $0.dossierId == dossierId && $0.kind == kind.rawValue }
    }

    /// A dossier's items in the order of its index `item_dossier` (v16): the dossier item, then its results by id. The
    /// dossier item is written with the dossier, before any result, so this is id order; said this way, SQLite reads the
    /// items in it from the index instead of sorting them afterwards.
    static func orderWithinDossier(alias: String? = nil) -> String {
        let column = { (name: String) in alias.map { "\($0).\(name)" } ?? name }
        return "CASE \(column("kind")) WHEN 'dossier' THEN 0 ELSE \(column("id")) END, \(column("id"))"
    }
}
