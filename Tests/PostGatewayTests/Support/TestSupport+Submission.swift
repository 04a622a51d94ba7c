import Foundation

@testable import PostGateway

extension TestSupport {
    /// The sample intake (`intake()`) validated as the counter's route does, ready for a ledger's `acceptDossiers`.
    static func submission(
        key: String, pins: TrackingPins, idNumbers: IdNumberSealer, acceptedBy: String = "counter",
        _ changes: (inout [String: Any]) -> Void = { _ in }
    ) throws -> IntakeSubmission {
        let validator = IntakeValidator(reference: reference, pins: pins, idNumbers: idNumbers)
        return try validator.validate(
            try JSONValue(parsing: Data(buffer: json(intake(changes)))), idempotencyKey: key, acceptedAt: mondayMorning, acceptedBy: acceptedBy)
    }

    /// The same, by another applicant.
    static func submission(key: String, name: String, pins: TrackingPins, idNumbers: IdNumberSealer, acceptedBy: String = "counter") throws
        -> IntakeSubmission
    {
        try submission(key: key, pins: pins, idNumbers: idNumbers, acceptedBy: acceptedBy) { form in
            var applicant = form["applicant"] as! [String: Any]
            applicant["fullName"] = name
            form["applicant"] = applicant
        }
    }
}
