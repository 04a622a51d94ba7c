import Foundation
import GRDB

/// One row of `postalCase`: a customer's complaint about an item, or a loss or damage the post found itself.
struct PostalCaseRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "postalCase"

    enum Origin: String, Codable, Sendable, CaseIterable {
        /// A complaint (khiếu nại) lodged by the sender or the recipient (Circular 17 Art 8).
        case customer
        /// A loss or damage the post found and recorded without waiting for a complaint.
        case post
    }

    enum Subject: String, Codable, Sendable, CaseIterable {
        case delay, lost, damaged, other
    }

    var id: Int64?
    var itemId: Int64
    var origin: Origin
    var subject: Subject
    var openedAt: Date
    var openedBy: String
    /// The local day by which it must be resolved: 5 working days within a province, 7 between provinces.
    var dueDate: String
    var note: String?
    var resolvedAt: Date?
    var resolvedBy: String?
    /// Whether the post was at fault; only then may compensation be paid.
    var upheld: Bool?
    /// Whole đồng paid to the customer.
    var compensation: Int64 = 0
    var resolution: String?

    var isResolved: Bool { resolvedAt != nil }

    /// The day a case opened on `openedOn` must be resolved by: 5 working days within the province, 7 between
    /// provinces (Circular 17 Art 8). The special areas of the reference data all lie within the province.
    static func dueDate(openedOn: LocalDate, scope: TransitScope, calendar: WorkingCalendar) -> LocalDate {
        let withinProvince: Set<TransitScope> = [.sameZone, .sameProvince, .specialArea]
        return calendar.adding(workingDays: withinProvince.contains(scope) ? 5 : 7, to: openedOn)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension PostalCaseRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let itemId = Column(CodingKeys.itemId)
        static let origin = Column(CodingKeys.origin)
        static let subject = Column(CodingKeys.subject)
        static let openedAt = Column(CodingKeys.openedAt)
        static let openedBy = Column(CodingKeys.openedBy)
        static let dueDate = Column(CodingKeys.dueDate)
        static let note = Column(CodingKeys.note)
        static let resolvedAt = Column(CodingKeys.resolvedAt)
        static let resolvedBy = Column(CodingKeys.resolvedBy)
        static let upheld = Column(CodingKeys.upheld)
        static let compensation = Column(CodingKeys.compensation)
        static let resolution = Column(CodingKeys.resolution)
    }
}
