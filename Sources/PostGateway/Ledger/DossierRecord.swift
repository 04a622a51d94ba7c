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

/// Written out, not derived from `Encodable`: intake writes this record for every dossier on the single writer, where
/// the derived encoding's boxes are the biggest cost that is not SQLite's. `RecordEncodingTests` checks that every
/// stored property is written, under its own name, as the derived encoding would.
extension DossierRecord {
    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["service"] = service.rawValue
        container["procedureCode"] = procedureCode
        container["procedureName"] = procedureName
        container["agencyCode"] = agencyCode
        container["officeCode"] = officeCode
        container["applicantName"] = applicantName
        container["applicantIdSealed"] = applicantIdSealed
        container["applicantPhone"] = applicantPhone
        container["applicantEmail"] = applicantEmail
        container["applicantAddress"] = applicantAddress
        container["resultAddress"] = resultAddress
        container["resultUnitCode"] = resultUnitCode
        container["resultProvinceCode"] = resultProvinceCode
        container["documents"] = Document.ledgerText(documents)
        container["postage"] = postage
        container["administrativeFee"] = administrativeFee
        container["note"] = note
        container["pinHash"] = pinHash
        container["transitScope"] = transitScope.rawValue
        container["jDate"] = jDate
        container["dueDate"] = dueDate
        container["oneStopCode"] = oneStopCode
        container["oneStopStatus"] = oneStopStatus
        container["appointmentDate"] = appointmentDate
        container["acceptedAt"] = acceptedAt
        container["acceptedBy"] = acceptedBy
        container["oneStopStatusAt"] = oneStopStatusAt
        container["oneStopNote"] = oneStopNote
        container["supplementOf"] = supplementOf
        container["orderedVia"] = orderedVia?.rawValue
        container["notifyBy"] = notifyBy?.rawValue
    }
}
