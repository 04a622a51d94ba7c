/// The rows of Circular 17/2017/TT-BTTTT Art 7: how far an item travels decides its J + n.
enum TransitScope: String, CaseIterable, Codable, Sendable {
    case sameDistrict, sameProvince, betweenBigCities, interProvince

    /// Where a place is, for the J + n table: its (pre-2025 district-level) area and its province.
    struct Place: Sendable {
        let areaCode: String
        let provinceCode: String
    }

    static func between(_ from: Place, _ to: Place, bigCityProvinces: Set<String>) -> TransitScope {
        if from.provinceCode == to.provinceCode {
            return from.areaCode == to.areaCode ? .sameDistrict : .sameProvince
        }
        if bigCityProvinces.contains(from.provinceCode) && bigCityProvinces.contains(to.provinceCode) {
            return .betweenBigCities
        }
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
