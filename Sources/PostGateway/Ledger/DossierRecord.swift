import Foundation
import GRDB

/// One row of `dossier`: what the citizen handed in, as written on the Phiếu gửi hồ sơ.
struct DossierRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "dossier"

    struct Document: Codable, Sendable, Equatable {
        let name: String
        let copies: Int
        let kind: DocumentKind

        /// The documents as the dossier row keeps them, written directly: canonical JSON (keys in sorted order).
        static func ledgerText(_ documents: [Document]) -> String {
            JSONValue.array(
                documents.map { document in
                    .object(["name": .string(document.name), "copies": .integer(Int64(document.copies)), "kind": .string(document.kind.rawValue)])
                }
            ).canonicalText
        }
    }

    var id: Int64?
    var service: ServiceType
    var procedureCode: String
    var procedureName: String
    var agencyCode: String
    var officeCode: String
    var applicantName: String
    /// Sealed (`IdNumberSealer`): opened only for the detail view of the dossier's own office. None for a result-only
    /// order, whose receiver shows an identity document at delivery and has it checked, never copied.
    var applicantIdSealed: String?
    var applicantPhone: String
    var applicantEmail: String?
    var applicantAddress: String
    var resultAddress: String?
    /// The commune-level unit of the result address (units.csv), for the result leg's J + n; nil before 2025's map.
    var resultUnitCode: String? = nil
    /// For a result address outside the map: its province (provinces.csv).
    var resultProvinceCode: String? = nil
    var documents: [Document]
    var postage: Int64
    var administrativeFee: Int64
    var note: String?
    var pinHash: String
    var transitScope: TransitScope
    /// J: the local day written on the Phiếu, from which J + n counts.
    var jDate: String
    var dueDate: String
    /// Mã hồ sơ, once the one-stop has received the dossier.
    var oneStopCode: String?
    var oneStopStatus: Int?
    var appointmentDate: String?
    var acceptedAt: Date
    var acceptedBy: String
    /// When the one-stop says `oneStopStatus` happened (its `ThoiDiem`).
    var oneStopStatusAt: Date? = nil
    /// The desk's words with that status (`NoiDung`): a rejection's reason, what a supplement needs.
    var oneStopNote: String? = nil
    /// The dossier this one supplements, when the desk asked for more (status 5).
    var supplementOf: Int64? = nil
    /// A result-only order's origin; nil for the dossiers a counter took in.
    var orderedVia: OrderChannel? = nil
    /// The channel the citizen agreed to be told by (v23); nil: no messages.
    var notifyBy: NoticeChannel? = nil

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension DossierRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let service = Column(CodingKeys.service)
        static let procedureCode = Column(CodingKeys.procedureCode)
        static let procedureName = Column(CodingKeys.procedureName)
        static let agencyCode = Column(CodingKeys.agencyCode)
        static let officeCode = Column(CodingKeys.officeCode)
        static let applicantName = Column(CodingKeys.applicantName)
        static let applicantIdSealed = Column(CodingKeys.applicantIdSealed)
        static let applicantPhone = Column(CodingKeys.applicantPhone)
        static let applicantEmail = Column(CodingKeys.applicantEmail)
        static let applicantAddress = Column(CodingKeys.applicantAddress)
        static let resultAddress = Column(CodingKeys.resultAddress)
        static let resultUnitCode = Column(CodingKeys.resultUnitCode)
        static let resultProvinceCode = Column(CodingKeys.resultProvinceCode)
        static let documents = Column(CodingKeys.documents)
        static let postage = Column(CodingKeys.postage)
        static let administrativeFee = Column(CodingKeys.administrativeFee)
        static let note = Column(CodingKeys.note)
        static let pinHash = Column(CodingKeys.pinHash)
        static let transitScope = Column(CodingKeys.transitScope)
        static let jDate = Column(CodingKeys.jDate)
        static let dueDate = Column(CodingKeys.dueDate)
        static let oneStopCode = Column(CodingKeys.oneStopCode)
        static let oneStopStatus = Column(CodingKeys.oneStopStatus)
        static let appointmentDate = Column(CodingKeys.appointmentDate)
        static let acceptedAt = Column(CodingKeys.acceptedAt)
        static let acceptedBy = Column(CodingKeys.acceptedBy)
        static let oneStopStatusAt = Column(CodingKeys.oneStopStatusAt)
        static let oneStopNote = Column(CodingKeys.oneStopNote)
        static let supplementOf = Column(CodingKeys.supplementOf)
        static let orderedVia = Column(CodingKeys.orderedVia)
        static let notifyBy = Column(CodingKeys.notifyBy)
    }
}

/// Written out, not derived from `Encodable`: intake writes this record for every dossier on the one writer, which
/// every intake waiting for its commit queues behind. `RecordEncodingTests` checks that every stored property is
/// written, under its own name, as the derived encoding would.
extension DossierRecord {
    func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.service] = service.rawValue
        container[Columns.procedureCode] = procedureCode
        container[Columns.procedureName] = procedureName
        container[Columns.agencyCode] = agencyCode
        container[Columns.officeCode] = officeCode
        container[Columns.applicantName] = applicantName
        container[Columns.applicantIdSealed] = applicantIdSealed
        container[Columns.applicantPhone] = applicantPhone
        container[Columns.applicantEmail] = applicantEmail
        container[Columns.applicantAddress] = applicantAddress
        container[Columns.resultAddress] = resultAddress
        container[Columns.resultUnitCode] = resultUnitCode
        container[Columns.resultProvinceCode] = resultProvinceCode
        container[Columns.documents] = Document.ledgerText(documents)
        container[Columns.postage] = postage
        container[Columns.administrativeFee] = administrativeFee
        container[Columns.note] = note
        container[Columns.pinHash] = pinHash
        container[Columns.transitScope] = transitScope.rawValue
        container[Columns.jDate] = jDate
        container[Columns.dueDate] = dueDate
        container[Columns.oneStopCode] = oneStopCode
        container[Columns.oneStopStatus] = oneStopStatus
        container[Columns.appointmentDate] = appointmentDate
        container[Columns.acceptedAt] = LedgerTime.string(acceptedAt)
        container[Columns.acceptedBy] = acceptedBy
        container[Columns.oneStopStatusAt] = oneStopStatusAt.map(LedgerTime.string)
        container[Columns.oneStopNote] = oneStopNote
        container[Columns.supplementOf] = supplementOf
        container[Columns.orderedVia] = orderedVia?.rawValue
        container[Columns.notifyBy] = notifyBy?.rawValue
    }
}
