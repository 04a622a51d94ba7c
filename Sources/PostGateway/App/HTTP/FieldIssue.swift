/// One bad field of a request: where (a dotted path such as `applicant.idNumber` or `documents[0].kind`,
/// or a header or query parameter name), what rule it breaks, and the values the message needs.
struct FieldIssue: Sendable, Equatable, CustomStringConvertible {
    let field: String
    let code: IssueCode
    let arguments: [String]

    init(_ field: String, _ code: IssueCode, _ arguments: String...) {
        self.field = field
        self.code = code
        self.arguments = arguments
    }

    var description: String { "\(field): \(code.rawValue)" }
}

/// The machine-readable codes of field problems. Messages for each live in `IssueCode+Messages.swift`.
enum IssueCode: String, Sendable, CaseIterable {
    case required
    case wrongType
    case unknownField
    case empty
    case tooLong
    case controlCharacter
    case joiningCharacter
    case bidiControl
    case wrongPassword
    case passwordTooShort
    case passwordUnchanged
    case noteRequiredOffRoute
    case notOneOf
    case outOfRange
    case invalidIdNumber
    case invalidPhone
    case invalidEmail
    case invalidMoney
    case unknownProcedure
    case unknownAgency
    case unknownOffice
    case procedureNotPostal
    case procedureNotAtAgency
    case resultNotByPost
    case agencyClosed
    case agencyNotYetOpen
    case unknownUnit
    case unitEnded
    case unitOrProvince
    case unknownProvince
    case provinceInTheMap
    case resultAddressRequired
    case resultAddressNotExpected
    case tooMany
    case idempotencyKeyMissing
    case idempotencyKeyInvalid
    case idempotencyKeyReused
    case invalidTrackingNumber
    case badCheckDigit
    case invalidTime
    case timeInFuture
    case timeBeforeLastEvent
    case itemUnknown
    case notADossierItem
    case itemNotArrived
    case notAResultItem
    case unknownDossierCode
    case resultNotWaitingAtDesk
    case itemOfOtherAgency
    case itemAtOtherOffice
    case itemOnOpenManifest
    case duplicateItem
    case invalidDate
    case invalidRange
    case invalidCursor
    case feeDiffersFromCatalogue
    case identityCheckRequired
    case personalDataInNote
    case notAwaitingSupplement
    case supplementMismatch
    case invalidCompactDate
    case invalidCompactTime
    case notPrintableASCII
    case invalidUnixTime
    case compensationWithoutFault
    case complaintTooLate
    case invalidPeriod
}
