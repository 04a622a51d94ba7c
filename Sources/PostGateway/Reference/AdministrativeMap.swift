/// Every commune-level unit of the reference data, former and current (`units.csv`), and the transit zones built on
/// them. Loading (`AdministrativeMap+CSV.swift`) has checked that codes never overlap and successions have no gaps.
struct AdministrativeMap: Sendable {
    let units: [AdministrativeUnit]
    private let unitsByCode: [String: [AdministrativeUnit]]
    /// The transit zones each unit code lies in: the J + n row "within one district" applies within a zone.
    let zonesByUnit: [String: Set<String>]

    init(units: [AdministrativeUnit], zones: [String: Set<String>]? = nil) {
        self.units = units
        unitsByCode = Dictionary(grouping: units, by: \.code)
        zonesByUnit = zones.map(Self.zonesByUnit(of:)) ?? Self.formerDistrictZones(units)
    }

    /// The unit that bore `code` on `day`, if any.
    func unit(_ code: String, on day: LocalDate) -> AdministrativeUnit? {
        unitsByCode[code]?.first { $0.isInForce(on: day) }
    }

    /// Every unit that ever bore `code`, earliest first.
    func units(withCode code: String) -> [AdministrativeUnit] { unitsByCode[code] ?? [] }

    func units(inForceOn day: LocalDate) -> [AdministrativeUnit] { units.filter { $0.isInForce(on: day) } }

    /// The units that took over an ended unit, each as it was on the day after the end.
    func successors(of unit: AdministrativeUnit) -> [AdministrativeUnit] {
        guard let end = unit.validTo else { return [] }
        return unit.successors.compactMap { self.unit($0, on: end.adding(days: 1)) }
    }

    /// The unit in force on `day` that a unit's territory ended up in: itself while in force, otherwise its main
    /// successor's, followed through every later change. A split unit's dossiers count under the unit that took
    /// most of it (listed first in units.csv).
    func current(_ unit: AdministrativeUnit, on day: LocalDate) -> AdministrativeUnit {
        var unit = unit
        while !unit.isInForce(on: day), let end = unit.validTo, end < day, let next = successors(of: unit).first { unit = next }
        return unit
    }

    /// Two units share a zone when some zone holds both; a unit is always in its own.
    func sameZone(_ a: String, _ b: String) -> Bool {
        a == b || !(zonesByUnit[a, default: []].isDisjoint(with: zonesByUnit[b, default: []]))
    }

    private static func zonesByUnit(of zones: [String: Set<String>]) -> [String: Set<String>] {
        var byUnit: [String: Set<String>] = [:]
        for (zone, codes) in zones { for code in codes { byUnit[code, default: []].insert(zone) } }
        return byUnit
    }

    /// The default zones keep the district boundaries of before 1 July 2025: a unit lies in its former district, and a
    /// unit formed since lies in every district its predecessors lay in (Phong Quang, made of communes of the former
    /// Bắc Kạn city and of Bạch Thông, shares a zone with both). Circular 17 has not been amended for two-level
    /// government; this is our reading until it is.
    private static func formerDistrictZones(_ units: [AdministrativeUnit]) -> [String: Set<String>] {
        var byUnit: [String: Set<String>] = [:]
        for unit in units { if let district = unit.formerDistrict { byUnit[unit.code, default: []].insert(district) } }
        // A successor inherits its predecessors' zones; successions chain, so repeat until nothing changes.
        var changed = true
        while changed {
            changed = false
            for unit in units {
                let zones = byUnit[unit.code, default: []]
                for successor in unit.successors where !zones.isSubset(of: byUnit[successor, default: []]) {
                    byUnit[successor, default: []].formUnion(zones)
                    changed = true
                }
            }
        }
        return byUnit
    }
}
