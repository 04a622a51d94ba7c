import Hummingbird

/// A query string checked like a form (what `FieldChecker` is for bodies): unknown parameters refused, and every
/// bad one named at once.
struct QueryChecker {
    let query: [String: String]
    private(set) var issues: [FieldIssue] = []

    /// The request's parameters; `allowed` are the ones the route knows. Empty values (a form's "all") are dropped
    /// when `droppingEmpty`; `defaults` stand in for parameters not given.
    init(_ request: Request, allowed: Set<String>, droppingEmpty: Bool = false, defaults: [String: String] = [:]) {
        var query = defaults
        for (key, value) in request.uri.queryParameters where !(droppingEmpty && value.isEmpty) { query[String(key)] = String(value) }
        self.init(query, allowed: allowed)
    }

    init(_ query: [String: String], allowed: Set<String>) {
        self.query = query
        for key in query.keys.sorted() where !allowed.contains(key) { issues.append(FieldIssue(key, .unknownField)) }
    }

    subscript(_ key: String) -> String? { query[key] }

    mutating func report(_ issue: FieldIssue) { issues.append(issue) }

    /// One of `choices`, or `fallback` when the parameter is absent.
    mutating func choice(_ key: String, among choices: [String], default fallback: String) -> String {
        let value = query[key] ?? fallback
        if !choices.contains(value) { report(FieldIssue(key, .notOneOf, choices.joined(separator: ", "))) }
        return value
    }

    /// A page size from 1 to `max`.
    mutating func limit(default fallback: Int, max: Int) -> Int {
        let limit = query["limit"].map { Int($0) ?? 0 } ?? fallback
        if !(1...max).contains(limit) { report(FieldIssue("limit", .outOfRange, "1", String(max))) }
        return limit
    }

    /// A keyset cursor: the last id of the previous page, spelled as the page gave it (`Int64` alone would take
    /// "0001", or two hundred zeros).
    mutating func cursor(_ key: String) -> Int64? {
        let id = query[key].map { text in Int64(text).flatMap { String($0) == text ? $0 : nil } ?? 0 }
        if let id, id < 1 { report(FieldIssue(key, .invalidCursor)) }
        return id
    }

    /// A required local day.
    mutating func day(_ key: String) -> LocalDate? {
        guard let text = query[key] else {
            report(FieldIssue(key, .required))
            return nil
        }
        guard let day = LocalDate(iso: text) else {
            report(FieldIssue(key, .invalidDate))
            return nil
        }
        return day
    }

    mutating func office(_ key: String, in reference: ReferenceData) -> String? {
        guard let code = query[key] else { return nil }
        if reference.office(code) == nil { report(FieldIssue(key, .unknownOffice, code)) }
        return code
    }

    mutating func agency(_ key: String, in reference: ReferenceData) -> String? {
        guard let code = query[key] else { return nil }
        if reference.agency(code) == nil { report(FieldIssue(key, .unknownAgency, code)) }
        return code
    }

    /// Throws the 422 naming every bad parameter, if there is one.
    func finish() throws(Problem) {
        guard issues.isEmpty else { throw Problem.validation(issues) }
    }
}
