import Foundation
import GRDB

/// Which way a biên bản carries items between an office and a desk.
enum HandoverDirection: String, Codable, Sendable {
    /// Dossier items handed to the desk: the signing instant is their legal filing time.
    case dossiers
    /// Results the office's courier collects from the desk: the signing instant is their pickup.
    case results
}

/// One row of `handover`: a biên bản giao nhận, a batch of dossier items for one agency's desk, or of results
/// collected there. It is open until the desk's officer signs, or until it is cancelled because the desk would not
/// take it (or hand it over) as it was.
struct HandoverRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "handover"

    var id: Int64?
    /// `BB-<office>-<yyyyMMdd>-<n>` (`BBKQ-…` for results), the number printed on the manifest and sent to the one-stop as
    /// `SoBienBan`.
    var number: String
    var agencyCode: String
    var officeCode: String
    var createdAt: Date
    var createdBy: String
    var signedAt: Date?
    var receivedBy: String?
    var signedBy: String?
    var cancelledAt: Date?
    var cancelledBy: String?
    var direction: HandoverDirection = .dossiers

    var isSigned: Bool { signedAt != nil }
    var isCancelled: Bool { cancelledAt != nil }
    var isOpen: Bool { !isSigned && !isCancelled }

    /// `open`, `signed` or `cancelled`, as the API says it.
    var state: String { isSigned ? "signed" : isCancelled ? "cancelled" : "open" }
    /// The same, in the staff pages' words.
    var stateWords: String { isSigned ? "đã ký nhận" : isCancelled ? "đã hủy" : "chưa ký" }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension HandoverRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let number = Column(CodingKeys.number)
        static let agencyCode = Column(CodingKeys.agencyCode)
        static let officeCode = Column(CodingKeys.officeCode)
        static let createdAt = Column(CodingKeys.createdAt)
        static let createdBy = Column(CodingKeys.createdBy)
        static let signedAt = Column(CodingKeys.signedAt)
        static let receivedBy = Column(CodingKeys.receivedBy)
        static let signedBy = Column(CodingKeys.signedBy)
        static let cancelledAt = Column(CodingKeys.cancelledAt)
        static let cancelledBy = Column(CodingKeys.cancelledBy)
        static let direction = Column(CodingKeys.direction)
    }
}
