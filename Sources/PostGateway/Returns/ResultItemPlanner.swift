import Foundation

/// Where and by when a new result item travels: it waits at the office that serves the agency (its pickup
/// list), and it is due at the citizen J + n working days after the result is ready, n by the scope from the desk to
/// the commune of the result address (the dossier's own scope for dossiers taken in before addresses carried one),
/// until its pickup makes that day J (`AppDatabase.recordScan`).
struct ResultItemPlanner: Sendable {
    let prefix: String
    let reference: ReferenceData

    struct Plan: Sendable, Equatable {
        let officeCode: String
        let dueDate: LocalDate
    }

    func plan(agencyCode: String, fallbackOfficeCode: String, transitScope: TransitScope, resultUnitCode: String?, readyAt: Date) -> Plan {
        let agency = reference.agency(agencyCode)
        let day = LocalDate(readyAt)
        var scope = transitScope
        if let agency, let code = resultUnitCode,
            let unit = reference.map.units(withCode: code).last(where: { $0.validFrom.map { $0 <= day } ?? true })
        {
            scope = reference.transit.scope(from: reference.place(of: agency, today: day), to: reference.place(of: unit), on: day)
        }
        return Plan(officeCode: agency?.servingOfficeCode ?? fallbackOfficeCode, dueDate: reference.dueDate(from: day, scope: scope))
    }
}
