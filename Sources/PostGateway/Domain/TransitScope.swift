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

/// Works out the scope of a journey between two commune-level units from the reference data: the zones of the
/// administrative map, the units of the big cities (`cities.csv`) and of the special areas (`special-areas.csv`).
struct TransitRules: Sendable {
    /// Where one end of a journey lies.
    struct Place: Sendable, Equatable {
        let unitCode: String
        let provinceCode: String
    }

    /// An urban area of special class or class I over the days it held that class: cities are reclassified
    /// (Thái Nguyên was class I from 2010 and is "equivalent to class II" since Resolution 111/2025 took effect).
    struct BigCity: Sendable {
        let name: String
        let unitCodes: Set<String>
        let validFrom: LocalDate?
        let validTo: LocalDate?

        func holds(_ unitCode: String, on day: LocalDate) -> Bool {
            unitCodes.contains(unitCode) && (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true)
        }
    }

    let map: AdministrativeMap
    let bigCities: [BigCity]
    let specialAreaUnits: Set<String>

    func isInBigCity(_ unitCode: String, on day: LocalDate) -> Bool { bigCities.contains { $0.holds(unitCode, on: day) } }

    /// The row for a journey starting on `day` (J).
    func scope(from: Place, to: Place, on day: LocalDate) -> TransitScope {
        if specialAreaUnits.contains(from.unitCode) || specialAreaUnits.contains(to.unitCode) { return .specialArea }
        if from.provinceCode == to.provinceCode {
            return map.sameZone(from.unitCode, to.unitCode) ? .sameZone : .sameProvince
        }
        if isInBigCity(from.unitCode, on: day) && isInBigCity(to.unitCode, on: day) { return .betweenBigCities }
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
