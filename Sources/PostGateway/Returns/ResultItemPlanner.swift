import Foundation

/// Where and by when a new result item travels: it waits at the office that serves the agency (its pickup
/// list), and it is due at the citizen J + n working days after the result is ready, n by the dossier's scope, until
/// its pickup makes that day J (`AppDatabase.recordScan`).
struct ResultItemPlanner: Sendable {
    let prefix: String
    let reference: ReferenceData

    struct Plan: Sendable, Equatable {
        let officeCode: String
        let dueDate: LocalDate
    }

    func plan(agencyCode: String, fallbackOfficeCode: String, transitScope: TransitScope, readyAt: Date) -> Plan {
        Plan(
            officeCode: reference.agency(agencyCode)?.servingOfficeCode ?? fallbackOfficeCode,
            dueDate: reference.dueDate(from: LocalDate(readyAt), scope: transitScope))
    }
}
