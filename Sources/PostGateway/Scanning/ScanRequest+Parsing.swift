import Foundation

extension ScanRequest {
    static let fields: Set<String> = ["trackingNumber", "event", "officeCode", "at", "note", "identityChecked"]

    /// Reads a scan body, reporting every bad field at once. A tracking number with a wrong check digit is a
    /// 422 naming the right digit, so a mistyped number is caught before it is looked up.
    static func parse(_ body: JSONValue, reference: ReferenceData, now: Date, actor: String) throws(Problem) -> ScanRequest {
        var check = FieldChecker()
        let form = try FieldChecker.form(body)
        check.refuseUnknown(form, allowed: fields, at: "")
        let trackingNumber = check.string(form["trackingNumber"], at: "trackingNumber", maxLength: 13).flatMap { text in
            check.trackingNumber(text, at: "trackingNumber")
        }
        let event = check.string(form["event"], at: "event", maxLength: 32).flatMap { text -> ItemEventCode? in
            guard let event = ItemEventCode(rawValue: text), ItemTransitions.scannable.contains(event) else {
                check.report(FieldIssue("event", .notOneOf, ItemTransitions.scannable.map(\.rawValue).joined(separator: ", ")))
                return nil
            }
            return event
        }
        let office = check.office(form["officeCode"], at: "officeCode", in: reference)
        var occurredAt = now
        if let text = check.string(form["at"], at: "at", required: false, maxLength: 40) {
            if let date = Self.isoDate(text) {
                // A scanner's clock may run a little ahead; five minutes of slack, no more.
                if date.timeIntervalSince(now) > 300 { check.report(FieldIssue("at", .timeInFuture)) }
                occurredAt = LocalTime.millisecondPrecision(date)
            } else {
                check.report(FieldIssue("at", .invalidTime))
            }
        }
        let note = check.string(form["note"], at: "note", required: false, maxLength: 300)
        // Notes travel to the one-stop and show on staff pages: an ID or phone number has no business there.
        if let note, Self.holdsLongNumber(note) { check.report(FieldIssue("note", .personalDataInNote)) }
        var identityChecked = false
        switch form["identityChecked"] {
        case nil, .null?: break
        case .bool(let value)?: identityChecked = value
        case let other?: check.report(FieldIssue("identityChecked", .wrongType, "boolean", other.kind))
        }
        if event == .delivered && !identityChecked { check.report(FieldIssue("identityChecked", .identityCheckRequired)) }
        guard check.issues.isEmpty, let trackingNumber, let event, let office else { throw .validation(check.issues) }
        return ScanRequest(
            trackingNumber: trackingNumber, event: event, officeCode: office.code, occurredAt: occurredAt,
            note: note, actor: actor, identityChecked: identityChecked)
    }

    /// Nine digits or more in a row, spaces, dots and dashes aside: an ID number (12, or 9 on old cards) or a phone
    /// number, also when a label is written against it ("CCCD019090001234", "SĐT0912345678"); or an email address.
    /// S10 numbers (PH000000155VN) are codes, not personal data, and are set aside first.
    static func holdsLongNumber(_ text: String) -> Bool {
        if text.contains(/\S@\S+\.\S/) { return true }
        var run = 0
        for character in text.replacing(/(?i)\b[A-Z]{2}[0-9]{9}[A-Z]{2}\b/, with: " ") {
            if character.isASCII && character.isNumber {
                run += 1
                if run >= 9 { return true }
            } else if character != " " && character != "." && character != "-" {
                run = 0
            }
        }
        return false
    }

    static func isoDate(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
    }
}

extension FieldChecker {
    /// An S10 number in a body field: a bad shape or a wrong check digit is a field issue.
    mutating func trackingNumber(_ text: String, at path: String) -> TrackingNumber? {
        do throws(TrackingNumber.ParseError) {
            return try TrackingNumber(parsing: text)
        } catch {
            switch error {
            case .badFormat: report(FieldIssue(path, .invalidTrackingNumber))
            case .badCheckDigit(let expected): report(FieldIssue(path, .badCheckDigit, String(expected)))
            }
            return nil
        }
    }
}
