import Foundation

/// Where and by when a new result item travels: it waits at the office that serves the agency (its pickup
/// list), and it is due at the citizen J + n working days after the result is ready, n by the scope from the desk to
/// the commune of the result address (the dossier's own scope for dossiers taken in before addresses carried one),
/// until its pickup makes that day J (`AppDatabase.recordScan`).
struct ResultItemPlanner: Sendable {
    /// The result items' S10 serials (`tracking.resultPrefix` and its ranges).
    let series: TrackingSeries
    let reference: ReferenceData

    struct Plan: Sendable, Equatable {
        let officeCode: String
        let dueDate: LocalDate
        /// The Circular 17 row the result leg travels by.
        var scope: TransitScope
    }

    /// The result leg from the desk to where the result address lay on the day of intake (J of the dossier), that unit
    /// followed to the one in force when the result is ready; the dossier's own scope when it named neither.
    func plan(
        agencyCode: String, fallbackOfficeCode: String, transitScope: TransitScope, resultUnitCode: String?, resultProvinceCode: String?,
        intakeDay: LocalDate?, readyAt: Date
    ) -> Plan {
        let agency = reference.agency(agencyCode)
        let day = LocalDate(readyAt)
        var destination: TransitRules.Place?
        if let code = resultUnitCode, let unit = reference.map.unit(code, on: intakeDay ?? day) {
            destination = .init(unit: reference.map.current(unit, on: day))
        } else if let province = resultProvinceCode {
            destination = .init(outsideTheMapIn: province)
        }
        var scope = transitScope
        if let agency, let destination { scope = reference.transit.scope(from: reference.place(of: agency, today: day), to: destination, on: day) }
        return Plan(officeCode: agency?.servingOfficeCode ?? fallbackOfficeCode, dueDate: reference.dueDate(from: day, scope: scope), scope: scope)
    }
}
