extension ReferenceData {
    /// Where an office stands: its unit as it is today (offices carry post-2025 addresses only).
    func place(of office: Office) -> TransitRules.Place {
        let unit = map.units(withCode: office.unitCode).last { $0.validTo == nil }
        return .init(unitCode: office.unitCode, provinceCode: unit?.provinceCode ?? "")
    }

    /// Where a desk stands: its unit as it was on the desk's last open day.
    func place(of agency: Agency, today: LocalDate) -> TransitRules.Place {
        .init(unitCode: agency.unitCode, provinceCode: unit(of: agency, today: today)?.provinceCode ?? "")
    }

    func place(of unit: AdministrativeUnit) -> TransitRules.Place { .init(unitCode: unit.code, provinceCode: unit.provinceCode) }

    /// The scope of a dossier's journey from the counter to the desk.
    func scope(from office: Office, to agency: Agency, on day: LocalDate) -> TransitScope {
        transit.scope(from: place(of: office), to: place(of: agency, today: day), on: day)
    }
}
