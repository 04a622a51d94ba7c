import Foundation

/// `POST /api/v1/cases`: a complaint or an incident about one item.
struct OpenCaseRequest: Sendable, Equatable {
    let trackingNumber: TrackingNumber
    let origin: PostalCaseRecord.Origin
    let subject: PostalCaseRecord.Subject
    let openedAt: Date
    let note: String?

    static let fields: Set<String> = ["trackingNumber", "origin", "subject", "at", "note"]

    static func parse(_ body: JSONValue, now: Date) throws(Problem) -> OpenCaseRequest {
        var check = FieldChecker()
        let form = try FieldChecker.form(body)
        check.refuseUnknown(form, allowed: fields, at: "")
        let number = check.string(form["trackingNumber"], at: "trackingNumber", maxLength: 13).flatMap {
            check.trackingNumber($0, at: "trackingNumber")
        }
        let origin: PostalCaseRecord.Origin? = check.choice(form["origin"], at: "origin")
        let subject: PostalCaseRecord.Subject? = check.choice(form["subject"], at: "subject")
        var openedAt = now
        if let text = check.string(form["at"], at: "at", required: false, maxLength: 40) {
            if let date = ScanRequest.isoDate(text) {
                if date.timeIntervalSince(now) > 300 { check.report(FieldIssue("at", .timeInFuture)) }
                openedAt = LocalTime.millisecondPrecision(date)
            } else {
                check.report(FieldIssue("at", .invalidTime))
            }
        }
        let note = PostalCaseNote.check(form["note"], at: "note", &check)
        guard check.issues.isEmpty, let number, let origin, let subject else { throw Problem.validation(check.issues) }
        return OpenCaseRequest(trackingNumber: number, origin: origin, subject: subject, openedAt: openedAt, note: note)
    }
}

/// `POST /api/v1/cases/{id}/resolve`: whether the post was at fault, and what it paid.
struct ResolveCaseRequest: Sendable, Equatable {
    let upheld: Bool
    let compensation: Int64
    let resolution: String?

    static func parse(_ body: JSONValue) throws(Problem) -> ResolveCaseRequest {
        var check = FieldChecker()
        let form = try FieldChecker.form(body)
        check.refuseUnknown(form, allowed: ["upheld", "compensation", "resolution"], at: "")
        var upheld: Bool?
        switch form["upheld"] {
        case .bool(let flag)?: upheld = flag
        case nil, .null?: check.report(FieldIssue("upheld", .required))
        case let other?: check.report(FieldIssue("upheld", .wrongType, "boolean", other.kind))
        }
        var compensation: Int64? = 0
        if form["compensation"] != nil { compensation = check.money(form["compensation"], at: "compensation") }
        if let amount = compensation, amount > 0, upheld == false { check.report(FieldIssue("compensation", .compensationWithoutFault)) }
        let resolution = PostalCaseNote.check(form["resolution"], at: "resolution", &check)
        guard check.issues.isEmpty, let upheld, let compensation else { throw Problem.validation(check.issues) }
        return ResolveCaseRequest(upheld: upheld, compensation: compensation, resolution: resolution)
    }
}

enum PostalCaseNote {
    /// Notes show on staff pages and in exports: an ID or phone number has no business there.
    static func check(_ value: JSONValue?, at path: String, _ check: inout FieldChecker) -> String? {
        let note = check.string(value, at: path, required: false, maxLength: 500)
        if let note, ScanRequest.holdsLongNumber(note) { check.report(FieldIssue(path, .personalDataInNote)) }
        return note
    }
}
