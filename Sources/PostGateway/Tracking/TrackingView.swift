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
    /// The notices sent to the citizen: which milestone, when (TT17 Art 5.2h's invitations among them).
    let notices: [(words: String, milestone: String, sentAt: Date)]

    init(_ dossier: TrackedDossier, code: String, unlocked: Bool, reference: ReferenceData, language: Language) {
        self.code = code
        acceptedOn = LocalDate(dossier.acceptedAt).description
        dueDate = dossier.dueDate
        oneStopStatus = dossier.oneStopStatus
        let status = dossier.oneStopStatus.flatMap(OneStopStatus.init(rawValue:))
        oneStopStatusWords = status?.words(language)
        guidance = status?.guidance(resultByPost: dossier.service.resultByPost, language)
        journeys = dossier.items.map { item in
            Journey(
                trackingNumber: item.trackingNumber, kind: item.kind, status: item.status, statusWords: item.status.words(language),
                steps: item.events.map { event in
                    Step(
                        event: event.code.rawValue, words: ItemTransitions.status(after: event.code).words(language), at: event.occurredAt,
                        officeName: reference.office(event.officeCode)?.name ?? event.officeCode)
                })
        }
        notices = dossier.notices.map { notice in
            (language == .vi ? notice.milestone.words.vi : notice.milestone.words.en, notice.milestone.rawValue, notice.sentAt)
        }
        details =
            unlocked
            ? Details(
                procedureName: dossier.procedureName, agencyName: reference.agency(dossier.agencyCode)?.name ?? dossier.agencyCode,
                appointmentDate: dossier.appointmentDate, maskedName: dossier.maskedName, agencyNote: dossier.oneStopNote,
                linkedTrackingNumbers: dossier.linkedTrackingNumbers ?? []) : nil
    }

    /// The answer of `GET /api/v1/track/{code}`.
    var jsonBytes: [UInt8] {
        get throws { Array(try JSONEncoder.sortedKeys().encode(self)) }
    }
}

/// The answer's keys are the API's (openapi.yaml), not the view's names; a missing value is `null`, never left out.
extension TrackingView: Encodable {
    private enum Keys: String, CodingKey {
        case acceptedOn, code, details, dueDate, guidance, items, notices, oneStopStatus, oneStopStatusText, milestone, sentAt
        case agencyName, agencyNote, applicantName, appointmentDate, linkedTrackingNumbers, procedureName
        case events, kind, status, statusText, trackingNumber
        case at, event, office, text
    }

    func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: Keys.self)
        try json.encode(acceptedOn, forKey: .acceptedOn)
        try json.encode(code, forKey: .code)
        if let details {
            var object = json.nestedContainer(keyedBy: Keys.self, forKey: .details)
            try object.encode(details.agencyName, forKey: .agencyName)
            try object.encode(details.agencyNote, forKey: .agencyNote)
            try object.encode(details.maskedName, forKey: .applicantName)
            try object.encode(details.appointmentDate, forKey: .appointmentDate)
            try object.encode(details.linkedTrackingNumbers, forKey: .linkedTrackingNumbers)
            try object.encode(details.procedureName, forKey: .procedureName)
        }
        try json.encode(dueDate, forKey: .dueDate)
        try json.encode(guidance, forKey: .guidance)
        var items = json.nestedUnkeyedContainer(forKey: .items)
        for journey in journeys {
            var item = items.nestedContainer(keyedBy: Keys.self)
            var events = item.nestedUnkeyedContainer(forKey: .events)
            for step in journey.steps {
                var event = events.nestedContainer(keyedBy: Keys.self)
                try event.encode(LocalTime.iso(step.at), forKey: .at)
                try event.encode(step.event, forKey: .event)
                try event.encode(step.officeName, forKey: .office)
                try event.encode(step.words, forKey: .text)
            }
            try item.encode(journey.kind.rawValue, forKey: .kind)
            try item.encode(journey.status.rawValue, forKey: .status)
            try item.encode(journey.statusWords, forKey: .statusText)
            try item.encode(journey.trackingNumber, forKey: .trackingNumber)
        }
        var notices = json.nestedUnkeyedContainer(forKey: .notices)
        for notice in self.notices {
            var object = notices.nestedContainer(keyedBy: Keys.self)
            try object.encode(notice.milestone, forKey: .milestone)
            try object.encode(LocalTime.iso(notice.sentAt), forKey: .sentAt)
            try object.encode(notice.words, forKey: .text)
        }
        try json.encode(oneStopStatus, forKey: .oneStopStatus)
        try json.encode(oneStopStatusWords, forKey: .oneStopStatusText)
    }
}
