import Foundation

/// What the public may see of a dossier (DESIGN §7): with the code alone, the stage and dates of each item's
/// journey; with the receipt's PIN, also the procedure, the agency, the appointment date and a masked name.
/// It is made from a `TrackedDossier`, which never holds anything personal but the masked name.
struct TrackingView {
    struct Step {
        let event: String
        let words: String
        let at: Date
        let officeName: String
    }

    struct Journey {
        let trackingNumber: String
        let kind: ItemKind
        let status: ItemStatus
        let statusWords: String
        let steps: [Step]
    }

    struct Details {
        let procedureName: String
        let agencyName: String
        let appointmentDate: String?
        let maskedName: String
        /// The desk's own words with its status (a rejection's reason, what a supplement needs): only with the PIN.
        let agencyNote: String?
        /// Supplements sent for this dossier, or the dossier this one supplements.
        let linkedTrackingNumbers: [String]
    }

    let code: String
    let acceptedOn: String
    let dueDate: String
    let oneStopStatus: Int?
    let oneStopStatusWords: String?
    /// What the citizen should do next, when the status asks something of them.
    let guidance: String?
    let journeys: [Journey]
    let details: Details?

    init(_ dossier: TrackedDossier, code: String, unlocked: Bool, reference: ReferenceData, language: Language) {
        self.code = code
        acceptedOn = LocalDate(dossier.acceptedAt).description
        dueDate = dossier.dueDate
        oneStopStatus = dossier.oneStopStatus
        let status = dossier.oneStopStatus.flatMap(OneStopStatus.init(rawValue:))
        oneStopStatusWords = status?.words(language)
        guidance = status?.guidance(resultByPost: dossier.service.resultByPost, language)
        journeys = dossier.items.map { item in
            Journey(trackingNumber: item.trackingNumber, kind: item.kind, status: item.status, statusWords: item.status.words(language),
                    steps: item.events.map { event in
                        Step(event: event.code.rawValue, words: ItemTransitions.status(after: event.code).words(language), at: event.occurredAt,
                             officeName: reference.office(event.officeCode)?.name ?? event.officeCode)
                    })
        }
        details = unlocked ? Details(
            procedureName: dossier.procedureName, agencyName: reference.agency(dossier.agencyCode)?.name ?? dossier.agencyCode,
            appointmentDate: dossier.appointmentDate, maskedName: dossier.maskedName, agencyNote: dossier.oneStopNote,
            linkedTrackingNumbers: dossier.linkedTrackingNumbers) : nil
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "code": .string(code),
            "acceptedOn": .string(acceptedOn),
            "dueDate": .string(dueDate),
            "oneStopStatus": oneStopStatus.map { .integer(Int64($0)) } ?? .null,
            "oneStopStatusText": oneStopStatusWords.map(JSONValue.string) ?? .null,
            "guidance": guidance.map(JSONValue.string) ?? .null,
            "items": .array(journeys.map { journey in
                .object([
                    "trackingNumber": .string(journey.trackingNumber),
                    "kind": .string(journey.kind.rawValue),
                    "status": .string(journey.status.rawValue),
                    "statusText": .string(journey.statusWords),
                    "events": .array(journey.steps.map { step in
                        .object(["event": .string(step.event), "text": .string(step.words), "at": .string(LocalTime.iso(step.at)),
                                 "office": .string(step.officeName)])
                    }),
                ])
            }),
        ]
        if let details {
            object["details"] = .object([
                "procedureName": .string(details.procedureName),
                "agencyName": .string(details.agencyName),
                "appointmentDate": details.appointmentDate.map(JSONValue.string) ?? .null,
                "applicantName": .string(details.maskedName),
                "agencyNote": details.agencyNote.map(JSONValue.string) ?? .null,
                "linkedTrackingNumbers": .array(details.linkedTrackingNumbers.map(JSONValue.string)),
            ])
        }
        return .object(object)
    }
}
