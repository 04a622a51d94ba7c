import Foundation

/// A counter intake that passed every check, with its deadlines worked out: what the ledger writes.
struct IntakeSubmission: Sendable {
    struct Applicant: Sendable, Equatable {
        let fullName: String
        let idNumber: String
        /// Normalised to the `0…` form.
        let phone: String
        let email: String?
        let address: String
    }

    let idempotencyKey: String
    /// The key as the ledger keeps it (`ledgerKey(office:key:)`).
    let ledgerKey: String
    /// SHA-256 of the request body in canonical form (sorted keys), to tell a replay from a reused key.
    let requestHash: String
    let service: ServiceType
    let procedure: ReferenceData.Procedure
    let agency: ReferenceData.Agency
    let office: ReferenceData.Office
    let applicant: Applicant
    /// The ID number as the ledger keeps it (`IdNumberSealer`): the dossier row and the frozen registration hold
    /// the same sealed text.
    let sealedIdNumber: String
    let resultAddress: String?
    /// The commune-level unit of the result address, in force on the day of intake.
    let resultUnit: AdministrativeUnit?
    /// For a result address outside the map: its province.
    let resultProvinceCode: String?
    let documents: [DossierRecord.Document]
    let postage: Int64
    let administrativeFee: Int64
    let note: String?
    /// The dossier this one completes, when the desk asked for more documents (status 5).
    var supplementTo: TrackingNumber? = nil
    let transitScope: TransitScope
    let jDate: LocalDate
    let dueDate: LocalDate
    let acceptedAt: Date
    let acceptedBy: String
    /// The address the intake came from, for the audit log.
    var acceptedFrom: String? = nil
    /// Accepted, but worth a second look by the clerk (shown in the 201 answer).
    let warnings: [FieldIssue]
    /// The channel the citizen agreed to be told by; nil: no messages.
    var notifyBy: NoticeChannel? = nil
    /// The key as the ledger keeps it, scoped to the office: each office's counters may number their keys their own
    /// way (`QUAY-000001`), and two offices' equal keys are two intakes (v12). A key holds no space.
    static func ledgerKey(office: ReferenceData.Office, key: String) -> String { "\(office.code) \(key)" }
}

/// What the ledger did with a submission.
enum IntakeOutcome: Sendable, Equatable {
    /// Written now.
    case accepted(AcceptedDossier)
    /// The same key and the same request came before: the first answer again, nothing written.
    case replayed(AcceptedDossier)
    /// The key came before with a different request: refused, nothing written.
    case keyReused
    /// A supplement for a dossier that is not waiting for one (or is not this procedure at this agency).
    case supplementRefused(FieldIssue)
}

struct AcceptedDossier: Sendable, Equatable {
    let trackingNumber: TrackingNumber
    /// The citizen's PIN, derived from the tracking number (see TrackingPins).
    let pin: String
    let dueDate: String
    let acceptedAt: Date
}
