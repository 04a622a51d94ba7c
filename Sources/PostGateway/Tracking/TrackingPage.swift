import Foundation

/// The Mustache context of the public tracking page (`Web/Templates/track.html.mustache`).
enum TrackingPage {
    static func context(_ view: TrackingView, language: Language) -> [String: Any] {
        var context: [String: Any] = [
            "lang": language.rawValue,
            "code": view.code,
            "found": true,
            "acceptedOn": LocalDate.vietnameseForm(view.acceptedOn),
            "dueDate": LocalDate.vietnameseForm(view.dueDate),
            "items": view.journeys.map { journey -> [String: Any] in
                [
                    "trackingNumber": journey.trackingNumber,
                    "isResult": journey.kind == .result,
                    "statusText": journey.statusWords,
                    "steps": journey.steps.reversed().map { step -> [String: Any] in
                        ["text": step.words, "at": ReceiptData.vietnameseTime(step.at), "iso": LocalTime.iso(step.at), "office": step.officeName]
                    },
                ]
            },
            "askPin": view.details == nil,
            "hasNotices": !view.notices.isEmpty,
            "notices": view.notices.map { notice -> [String: Any] in
                ["text": notice.words, "at": ReceiptData.vietnameseTime(notice.sentAt), "iso": LocalTime.iso(notice.sentAt)]
            },
        ]
        context.merge(present(["oneStopStatusText": view.oneStopStatusWords, "guidance": view.guidance])) { $1 }
        if let details = view.details {
            let known: [String: Any] = [
                "procedureName": details.procedureName, "agencyName": details.agencyName, "applicantName": details.maskedName,
                "linked": details.linkedTrackingNumbers.map { ["trackingNumber": $0] },
            ]
            context["details"] = known.merging(
                present([
                    "appointmentDate": details.appointmentDate.map(LocalDate.vietnameseForm), "agencyNote": details.agencyNote,
                ])
            ) { $1 }
        }
        return context
    }

    /// The values that are there. Mustache renders a section for any string, even an empty one, so a value that is
    /// not there must be a key that is not there, or the page shows an empty row (or an empty alert).
    private static func present(_ values: [String: String?]) -> [String: Any] {
        values.compactMapValues { $0 }
    }

    /// The lookup form (`GET /t`), with what was wrong with the code typed, if anything.
    static func lookupContext(error: String?) -> [String: Any] {
        ["lang": Language.vi.rawValue, "lookup": true].merging(present(["lookupError": error])) { $1 }
    }

    static func problemContext(code: String, problem: Problem, language: Language) -> [String: Any] {
        var context: [String: Any] = [
            "lang": language.rawValue, "code": String(code.prefix(40)), "found": false,
            // A field's own words (a wrong check digit, and which digit is right) tell a citizen more than the
            // problem's sentence, which is about fields and what was saved.
            "message": problem.issues.first.map { $0.code.message(language, $0.arguments) }
                ?? problem.detail?(language) ?? problem.kind.title(language),
            "askPin": true,
        ]
        if let retryAfter = problem.retryAfter { context["retryAfter"] = retryAfter }
        return context
    }
}
