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

    /// The query parameters a filter reads.
    static let parameters: Set<String> = ["from", "to", "officeCode", "agencyCode"]

    /// `from`, `to`, `officeCode`, `agencyCode`, each bad one reported to `check`; nil when any is bad.
    static func parse(_ check: inout QueryChecker, reference: ReferenceData) -> ReportFilter? {
        let from = check.day("from")
        let to = check.day("to")
        if let from, let to {
            if to < from {
                check.report(FieldIssue("to", .invalidRange))
            } else if to.daysSinceEpoch - from.daysSinceEpoch >= maxDays {
                check.report(FieldIssue("to", .tooMany, String(maxDays)))
            }
        }
        let office = check.office("officeCode", in: reference)
        let agency = check.agency("agencyCode", in: reference)
        guard check.issues.isEmpty, let from, let to else { return nil }
        return ReportFilter(from: from, to: to, officeCode: office, agencyCode: agency)
    }
}
