import Foundation

/// The dossiers a report is about: taken in, finished or still open between two local days (both included), at one
/// post office and for one agency when given.
struct ReportFilter: Sendable, Equatable {
    let from: LocalDate
    let to: LocalDate
    let officeCode: String?
    let agencyCode: String?

    /// The day open dossiers are judged on: the period's last day, or today while the period is still running
    /// (a dossier due tomorrow is not late today).
    func asOf(today: LocalDate) -> LocalDate { min(to, today) }

    /// The longest period one report covers.
    static let maxDays = 366

    /// `from`, `to`, `officeCode`, `agencyCode` from a query, every bad one named; `allowed` adds the caller's own keys.
    static func parse(_ query: [String: String], reference: ReferenceData, today: LocalDate,
                      allowed: Set<String> = []) throws(Problem) -> ReportFilter {
        var issues: [FieldIssue] = []
        for key in query.keys.sorted() where !["from", "to", "officeCode", "agencyCode"].contains(key) && !allowed.contains(key) {
            issues.append(FieldIssue(key, .unknownField))
        }
        func day(_ key: String) -> LocalDate? {
            guard let text = query[key] else { issues.append(FieldIssue(key, .required)); return nil }
            guard let day = LocalDate(iso: text) else { issues.append(FieldIssue(key, .invalidDate)); return nil }
            return day
        }
        let from = day("from"), to = day("to")
        if let from, let to {
            if to < from { issues.append(FieldIssue("to", .invalidRange)) }
            else if to.daysSinceEpoch - from.daysSinceEpoch >= maxDays { issues.append(FieldIssue("to", .tooMany, String(maxDays))) }
        }
        if let office = query["officeCode"], reference.office(office) == nil { issues.append(FieldIssue("officeCode", .unknownOffice, office)) }
        if let agency = query["agencyCode"], reference.agency(agency) == nil { issues.append(FieldIssue("agencyCode", .unknownAgency, agency)) }
        guard issues.isEmpty, let from, let to else { throw Problem.validation(issues) }
        return ReportFilter(from: from, to: to, officeCode: query["officeCode"], agencyCode: query["agencyCode"])
    }
}
