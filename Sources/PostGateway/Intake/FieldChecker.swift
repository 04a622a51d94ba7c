import Foundation

/// Reads fields out of a schemaless JSON object, collecting every problem instead of stopping at the first,
/// so that the clerk sees all bad fields of a form at once.
struct FieldChecker {
    private(set) var issues: [FieldIssue] = []

    mutating func report(_ issue: FieldIssue) { issues.append(issue) }

    static func path(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : "\(parent).\(key)" }

    /// Reports keys that the form does not have: a misspelt optional field must not silently vanish.
    mutating func refuseUnknown(_ object: [String: JSONValue], allowed: Set<String>, at parent: String) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            report(FieldIssue(Self.path(parent, key), .unknownField))
        }
    }

    /// The request body as a form: anything but a JSON object is refused before a field is read.
    static func form(_ body: JSONValue) throws(Problem) -> [String: JSONValue] {
        guard case .object(let form) = body else { throw .validation([FieldIssue("(body)", .wrongType, "object", body.kind)]) }
        return form
    }

    /// A post office code from the reference data; an unknown one is reported with the code that was sent.
    mutating func office(_ value: JSONValue?, at path: String, in reference: ReferenceData) -> ReferenceData.Office? {
        string(value, at: path, maxLength: 20).flatMap { code in
            reference.office(code)
                ?? {
                    report(FieldIssue(path, .unknownOffice, code))
                    return nil
                }()
        }
    }

    mutating func object(_ value: JSONValue?, at path: String) -> [String: JSONValue]? {
        switch value {
        case .object(let object): return object
        case nil, .null: report(FieldIssue(path, .required))
        case let other?: report(FieldIssue(path, .wrongType, "object", other.kind))
        }
        return nil
    }

    mutating func array(_ value: JSONValue?, at path: String) -> [JSONValue]? {
        switch value {
        case .array(let array): return array
        case nil, .null: report(FieldIssue(path, .required))
        case let other?: report(FieldIssue(path, .wrongType, "array", other.kind))
        }
        return nil
    }

    /// A trimmed string; an optional field that is absent, null or blank answers nil without a problem.
    mutating func string(_ value: JSONValue?, at path: String, required: Bool = true, maxLength: Int) -> String? {
        switch value {
        case .string(let raw):
            let text = Self.trimmed(raw)
            if text.isEmpty {
                if required { report(FieldIssue(path, .empty)) }
                return nil
            }
            // A character is one byte or more: a text of no more bytes than the limit is within it without counting
            // its characters (grapheme breaking, most of the check's cost for Vietnamese text).
            guard text.utf8.count <= maxLength || text.count <= maxLength else {
                report(FieldIssue(path, .tooLong, String(maxLength)))
                return nil
            }
            guard !Self.holdsControlCharacter(text) else {
                report(FieldIssue(path, .controlCharacter))
                return nil
            }
            if let confusion = Confusable.problem(in: text) {
                report(FieldIssue(path, confusion))
                return nil
            }
            return text
        case nil, .null:
            if required { report(FieldIssue(path, .required)) }
        case let other?:
            report(FieldIssue(path, .wrongType, "string", other.kind))
        }
        return nil
    }

    /// Whether the text holds a control character other than a line break or a tab: nothing a clerk types, and a NUL
    /// (U+0000) would end the text early wherever it is read as a C string. UTF-8 never puts a byte below 0x80 inside a
    /// longer character, so the bytes tell.
    static func holdsControlCharacter(_ text: String) -> Bool {
        text.utf8.contains { byte in (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F }
    }

    /// White space off both ends, in Swift (Foundation's trimming bridges through NSString on Linux).
    static func trimmed(_ text: String) -> String {
        // Most texts start and end with a printable ASCII character: nothing to trim, and no copy.
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ value: JSONValue?, at path: String) -> T? where T.RawValue == String {
        choice(value, at: path, among: T.allCases.map { $0 })
    }

    mutating func choice<T: RawRepresentable>(_ value: JSONValue?, at path: String, among choices: [T]) -> T? where T.RawValue == String {
        guard let text = string(value, at: path, maxLength: 64) else { return nil }
        guard let choice = T(rawValue: text), choices.contains(where: { $0.rawValue == text }) else {
            report(FieldIssue(path, .notOneOf, choices.map(\.rawValue).joined(separator: ", ")))
            return nil
        }
        return choice
    }

    mutating func integer(_ value: JSONValue?, at path: String, in range: ClosedRange<Int64>) -> Int64? {
        switch value {
        case .integer(let number) where range.contains(number): return number
        case nil, .null: report(FieldIssue(path, .required))
        case .integer, .number: report(FieldIssue(path, .outOfRange, String(range.lowerBound), String(range.upperBound)))
        case let other?: report(FieldIssue(path, .wrongType, "number", other.kind))
        }
        return nil
    }

    /// An optional true or false; absent or null is `defaultValue`.
    mutating func bool(_ value: JSONValue?, at path: String, default defaultValue: Bool) -> Bool? {
        switch value {
        case nil, .null: return defaultValue
        case .bool(let flag): return flag
        case let other?:
            report(FieldIssue(path, .wrongType, "boolean", other.kind))
            return nil
        }
    }

    /// Money is whole đồng, never negative, never a fraction, never a string.
    mutating func money(_ value: JSONValue?, at path: String) -> Int64? {
        switch value {
        case .integer(let amount) where Money.validRange.contains(amount): return amount
        case nil, .null: report(FieldIssue(path, .required))
        default: report(FieldIssue(path, .invalidMoney))
        }
        return nil
    }
}
