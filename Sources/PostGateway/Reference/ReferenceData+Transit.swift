extension ReferenceData {
    /// Where an office stood on `day`: the unit of its post-2025 address, or before the change the unit it stood in
    /// then (a reused code names another unit before the change, and a new unit's zones are wider than its parts').
    func place(of office: Office, on day: LocalDate) -> TransitRules.Place {
        if day <= Self.lastDayOfDistricts, let former = office.formerUnitCode.flatMap({ map.unit($0, on: day) }) { return .init(unit: former) }
        return map.currentUnit(office.unitCode).map(TransitRules.Place.init(unit:)) ?? .init(outsideTheMapIn: "")
    }

    /// Where a desk stands: its unit as it was on the desk's last open day.
    func place(of agency: Agency, today: LocalDate) -> TransitRules.Place {
        unit(of: agency, today: today).map(TransitRules.Place.init(unit:)) ?? .init(outsideTheMapIn: "")
    }

    /// The scope of a dossier's journey from the counter to the desk.
    func scope(from office: Office, to agency: Agency, on day: LocalDate) -> TransitScope {
        transit.scope(from: place(of: office, on: day), to: place(of: agency, today: day), on: day)
    }
}
