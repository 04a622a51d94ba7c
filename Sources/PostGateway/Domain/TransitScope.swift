/// The rows of Circular 17/2017/TT-BTTTT Art 7: how far an item travels decides its J + n.
///
/// The circular's first two rows speak of districts, which were abolished on 1 July 2025: a "zone" stands in for the
/// district (see `AdministrativeMap.sameZone`) until the ministry amends it.
enum TransitScope: String, CaseIterable, Codable, Sendable {
    /// Within one zone: the circular's "nội quận, huyện, thị xã, thành phố thuộc tỉnh".
    case sameZone
    case sameProvince
    /// Between provinces, both ends in an urban area of special class or class I.
    case betweenBigCities
    case interProvince
    /// Either end in an area with special geographic conditions: the time the post publishes for it.
    case specialArea
}

/// Works out the scope of a journey between two places from the reference data: the zones of the administrative
/// map, the urban areas of special class and class I (`cities.csv`) and the special areas (`special-areas.csv`).
struct TransitRules: Sendable {
    /// Where one end of a journey lies: a unit of the map as it was on the day, or, for an address outside the map,
    /// only its province.
    struct Place: Sendable {
        let unit: AdministrativeUnit?
        let provinceCode: String

        init(unit: AdministrativeUnit) {
            self.unit = unit
            provinceCode = unit.provinceCode
        }

        init(outsideTheMapIn provinceCode: String) {
            unit = nil
            self.provinceCode = provinceCode
        }
    }

    /// An urban area of special class or class I over the days it held that class: cities are reclassified
    /// (Thái Nguyên was class I from 2010 and is "equivalent to class II" since Resolution 111/2025 took effect).
    struct BigCity: Sendable {
        let name: String
        let provinceCode: String
        /// Its units (`AdministrativeUnit.id`), former ones included; empty when the map does not carry its
        /// province, whose addresses then count by province.
        let unitIds: Set<String>
        let validFrom: LocalDate?
        let validTo: LocalDate?

        func holds(_ place: Place, on day: LocalDate) -> Bool {
            guard (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true) else { return false }
            guard let unit = place.unit else { return unitIds.isEmpty && place.provinceCode == provinceCode }
            return unitIds.contains(unit.id)
        }
    }

    let map: AdministrativeMap
    let bigCities: [BigCity]
    /// The special areas' units (`AdministrativeUnit.id`), with the former units that went into them.
    let specialAreaUnitIds: Set<String>

    func isInBigCity(_ place: Place, on day: LocalDate) -> Bool { bigCities.contains { $0.holds(place, on: day) } }

    func isSpecialArea(_ place: Place) -> Bool { place.unit.map { specialAreaUnitIds.contains($0.id) } ?? false }

    /// The row for a journey starting on `day` (J).
    func scope(from: Place, to: Place, on day: LocalDate) -> TransitScope {
        if isSpecialArea(from) || isSpecialArea(to) { return .specialArea }
        if from.provinceCode == to.provinceCode {
            guard let a = from.unit, let b = to.unit else { return .sameProvince }
            return map.sameZone(a, b) ? .sameZone : .sameProvince
        }
        if isInBigCity(from, on: day) && isInBigCity(to, on: day) { return .betweenBigCities }
        return .interProvince
    }
}

/// The J + n table as configured (reference/sla.csv): working days per scope, and doubled figures for
/// when an appointment slip must also reach the citizen.
struct TransitDeadlines: Sendable {
    struct Row: Sendable, Equatable {
        let days: Int
        let daysWithAppointmentSlip: Int
    }

    let rows: [TransitScope: Row]

    func workingDays(for scope: TransitScope, withAppointmentSlip: Bool = false) -> Int {
        let row = rows[scope]!
        return withAppointmentSlip ? row.daysWithAppointmentSlip : row.days
    }
}
