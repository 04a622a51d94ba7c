/// Every commune-level unit of the reference data, former and current (`units.csv`), and the transit zones built on
/// them. Loading (`AdministrativeMap+CSV.swift`) has checked that codes never overlap and successions have no gaps.
struct AdministrativeMap: Sendable {
    let units: [AdministrativeUnit]
    private let unitsByCode: [String: [AdministrativeUnit]]
    /// The transit zones each unit lies in, by `AdministrativeUnit.id`: the J + n row "within one district" applies
    /// within a zone.
    let zonesByUnit: [String: Set<String>]

    /// `zones` (a province's `transit-zones.csv`, by the codes of units in force today) replaces the default zones of
    /// today's units; former units keep the districts they lay in.
    init(units: [AdministrativeUnit], zones: [String: Set<String>]? = nil) {
        self.units = units
        unitsByCode = Dictionary(grouping: units, by: \.code)
        var byUnit = Self.formerDistrictZones(units, unitsByCode: unitsByCode)
        if let zones {
            for unit in units where unit.validTo == nil { byUnit[unit.id] = [] }
            for (zone, codes) in zones {
                for code in codes {
                    for unit in unitsByCode[code, default: []] where unit.validTo == nil { byUnit[unit.id, default: []].insert(zone) }
                }
            }
        }
        zonesByUnit = byUnit
    }

    /// The unit that bore `code` on `day`, if any.
    func unit(_ code: String, on day: LocalDate) -> AdministrativeUnit? {
        unitsByCode[code]?.first { $0.isInForce(on: day) }
    }

    /// The unit that bears `code` today (offices and the lists a province keeps name today's units).
    func currentUnit(_ code: String) -> AdministrativeUnit? { unitsByCode[code]?.first { $0.validTo == nil } }

    /// Every unit that ever bore `code`, earliest first.
    func units(withCode code: String) -> [AdministrativeUnit] { unitsByCode[code] ?? [] }

    func units(inForceOn day: LocalDate) -> [AdministrativeUnit] { units.filter { $0.isInForce(on: day) } }

    /// The units that took over an ended unit, each as it was on the day after the end.
    func successors(of unit: AdministrativeUnit) -> [AdministrativeUnit] {
        guard let end = unit.validTo else { return [] }
        return unit.successors.compactMap { self.unit($0, on: end.adding(days: 1)) }
    }

    /// Every unit whose territory went, at some change, into `unit` (its predecessors, theirs, and so on).
    func predecessors(of unit: AdministrativeUnit) -> [AdministrativeUnit] {
        let direct = units.filter { former in successors(of: former).contains { $0.id == unit.id } }
        return direct + direct.flatMap(predecessors(of:))
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
    func sameZone(_ a: AdministrativeUnit, _ b: AdministrativeUnit) -> Bool {
        a.id == b.id || !(zonesByUnit[a.id, default: []].isDisjoint(with: zonesByUnit[b.id, default: []]))
    }

    /// The same, for the units two codes named on `day`.
    func sameZone(_ a: String, _ b: String, on day: LocalDate) -> Bool {
        guard let first = unit(a, on: day), let second = unit(b, on: day) else { return false }
        return sameZone(first, second)
    }

    /// The default zones keep the district boundaries of before 1 July 2025: a unit lies in its former district, and a
    /// unit formed since lies in every district its predecessors lay in (Phong Quang, made of communes of the former
    /// Bắc Kạn city and of Bạch Thông, shares a zone with both). Circular 17 has not been amended for two-level
    /// government; this is our reading until it is. Keyed by unit, not code: a reused code's former unit keeps its
    /// own district only.
    private static func formerDistrictZones(_ units: [AdministrativeUnit], unitsByCode: [String: [AdministrativeUnit]]) -> [String: Set<String>] {
        var byUnit: [String: Set<String>] = [:]
        for unit in units { if let district = unit.formerDistrict { byUnit[unit.id, default: []].insert(district) } }
        func successors(of unit: AdministrativeUnit) -> [AdministrativeUnit] {
            guard let end = unit.validTo else { return [] }
            return unit.successors.compactMap { code in unitsByCode[code]?.first { $0.isInForce(on: end.adding(days: 1)) } }
        }
        // A successor inherits its predecessors' zones; successions chain, so repeat until nothing changes.
        var changed = true
        while changed {
            changed = false
            for unit in units {
                let zones = byUnit[unit.id, default: []]
                for successor in successors(of: unit) where !zones.isSubset(of: byUnit[successor.id, default: []]) {
                    byUnit[successor.id, default: []].formUnion(zones)
                    changed = true
                }
            }
        }
        return byUnit
    }
}
