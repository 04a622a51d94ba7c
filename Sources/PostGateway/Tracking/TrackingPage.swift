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
            "oneStopStatusText": view.oneStopStatusWords ?? "",
            "guidance": view.guidance ?? "",
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
        ]
        if let details = view.details {
            context["details"] = [
                "procedureName": details.procedureName, "agencyName": details.agencyName,
                "appointmentDate": details.appointmentDate.map(LocalDate.vietnameseForm) ?? "", "applicantName": details.maskedName,
                "agencyNote": details.agencyNote ?? "", "linked": details.linkedTrackingNumbers.map { ["trackingNumber": $0] },
            ]
        }
        return context
    }

    /// The lookup form (`GET /t`), with what was wrong with the code typed, if anything.
    static func lookupContext(error: String?) -> [String: Any] {
        ["lang": Language.vi.rawValue, "lookup": true, "lookupError": error ?? ""]
    }

    static func problemContext(code: String, problem: Problem, language: Language) -> [String: Any] {
        var context: [String: Any] = [
            "lang": language.rawValue, "code": String(code.prefix(40)), "found": false,
            "message": problem.detail?(language) ?? problem.kind.title(language), "askPin": true,
        ]
        if let retryAfter = problem.retryAfter { context["retryAfter"] = retryAfter }
        return context
    }
}
