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
            linkedTrackingNumbers: dossier.linkedTrackingNumbers ?? []) : nil
    }

    /// The answer of `GET /api/v1/track/{code}`, in canonical form (keys in sorted order, as every JSON answer is).
    var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.object { json in
            json.key("acceptedOn"); json.string(acceptedOn)
            json.key("code"); json.string(code)
            if let details {
                json.key("details"); json.object { json in
                    json.key("agencyName"); json.string(details.agencyName)
                    json.key("agencyNote"); json.string(details.agencyNote)
                    json.key("applicantName"); json.string(details.maskedName)
                    json.key("appointmentDate"); json.string(details.appointmentDate)
                    json.key("linkedTrackingNumbers"); json.array(details.linkedTrackingNumbers) { json, number in json.string(number) }
                    json.key("procedureName"); json.string(details.procedureName)
                }
            }
            json.key("dueDate"); json.string(dueDate)
            json.key("guidance"); json.string(guidance)
            json.key("items"); json.array(journeys) { json, journey in
                json.object { json in
                    json.key("events"); json.array(journey.steps) { json, step in
                        json.object { json in
                            json.key("at"); json.string(LocalTime.iso(step.at))
                            json.key("event"); json.string(step.event)
                            json.key("office"); json.string(step.officeName)
                            json.key("text"); json.string(step.words)
                        }
                    }
                    json.key("kind"); json.string(journey.kind.rawValue)
                    json.key("status"); json.string(journey.status.rawValue)
                    json.key("statusText"); json.string(journey.statusWords)
                    json.key("trackingNumber"); json.string(journey.trackingNumber)
                }
            }
            json.key("oneStopStatus"); json.integer(oneStopStatus)
            json.key("oneStopStatusText"); json.string(oneStopStatusWords)
        }
        return writer.bytes
    }
}
