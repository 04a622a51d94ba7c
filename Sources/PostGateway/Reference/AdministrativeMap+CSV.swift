import Foundation

extension AdministrativeMap {
    static let columns = [
        "code", "validFrom", "validTo", "name", "kind", "provinceCode", "formerDistrict", "successors", "successorProvince", "source",
    ]

    /// Reads `units.csv` and, when the province keeps its own, `transit-zones.csv`, refusing what would make a code or
    /// a succession ambiguous: a unit that ends before it starts, one code for two units on the same day, an ended
    /// unit without a successor, a successor that does not exist on the next day or starts later (a gap) or already
    /// existed beside it (an overlap), and a successor in another province that the row does not announce.
    static func load(from directory: URL) throws -> AdministrativeMap {
        struct Line {
            let unit: AdministrativeUnit
            let row: CSVRow
            let successorProvince: String?
        }
        let table = try CSVTable<Line>.read(directory.appending(path: "units.csv"), columns: columns, key: nil) { row in
            let validFrom = try row.date("validFrom", required: false)
            let validTo = try row.date("validTo", required: false)
            if let validFrom, let validTo, validTo < validFrom {
                throw row.error("ends on \(validTo) before it starts on \(validFrom)")
            }
            let successors = row.list("successors")
            if validTo != nil, successors.isEmpty { throw row.error("ends on \(validTo!) but names no successor") }
            if validTo == nil, !successors.isEmpty { throw row.error("names successors but has no validTo") }
            let province = try row.code("provinceCode", pattern: .digits)
            let successorProvince = row.optionalText("successorProvince")
            if let successorProvince, !successorProvince.isASCIIDigits {
                throw row.error("successorProvince \"\(successorProvince)\" is not a province code")
            }
            let unit = try AdministrativeUnit(
                code: row.code("code", pattern: .digits), validFrom: validFrom, validTo: validTo, name: row.text("name"),
                kind: row.choice("kind"), provinceCode: province, formerDistrict: row.optionalText("formerDistrict"),
                successors: successors)
            return Line(unit: unit, row: row, successorProvince: successorProvince)
        }
        let lines = table.values
        let byCode = Dictionary(grouping: lines, by: \.unit.code)
        for line in lines {
            let unit = line.unit
            if let other = byCode[unit.code]!.first(where: { $0.row.line < line.row.line && overlap($0.unit, unit) }) {
                throw line.row.error(
                    "code \(unit.code) is used twice on the same day: line \(other.row.line) (\(other.unit.fullName)) is in force too")
            }
        }
        for line in lines {
            guard let end = line.unit.validTo else { continue }
            let next = end.adding(days: 1)
            for code in line.unit.successors {
                guard let candidates = byCode[code] else { throw line.row.error("successor \(code) is not in units.csv") }
                guard let successor = candidates.first(where: { $0.unit.isInForce(on: next) }) else {
                    if let later = candidates.first(where: { ($0.unit.validFrom.map { $0 > next } ?? false) }) {
                        throw line.row.error(
                            "gap: successor \(code) starts on \(later.unit.validFrom!), not on \(next), the day after this unit ends")
                    }
                    throw line.row.error("successor \(code) does not exist on \(next), the day after this unit ends")
                }
                if let start = successor.unit.validFrom, start <= end, line.unit.validFrom.map({ $0 < start }) ?? true {
                    throw line.row.error("overlap: successor \(code) starts on \(start), while this unit is still in force")
                }
                let province = successor.unit.provinceCode
                if province != line.unit.provinceCode, line.successorProvince != province {
                    throw line.row.error(
                        "successor \(code) lies in province \(province), not \(line.unit.provinceCode): say so in successorProvince")
                }
                if let said = line.successorProvince, said != province {
                    throw line.row.error("successorProvince says \(said), but successor \(code) lies in province \(province)")
                }
            }
        }
        let units = lines.map(\.unit)
        let zonesFile = directory.appending(path: "transit-zones.csv")
        guard FileManager.default.fileExists(atPath: zonesFile.path) else { return AdministrativeMap(units: units) }
        // A province draws its zones over today's units; the former ones keep their districts.
        let current = Set(units.filter { $0.validTo == nil }.map(\.code))
        let zones = try CSVTable<(String, Set<String>)>.read(zonesFile, columns: ["zone", "unitCodes"], key: "zone") { row in
            let codes = row.list("unitCodes")
            guard !codes.isEmpty else { throw row.error("unitCodes is empty") }
            if let unknown = codes.first(where: { !current.contains($0) }) { throw row.error("unit \(unknown) is not a unit in force in units.csv") }
            return (try row.text("zone"), Set(codes))
        }
        return AdministrativeMap(units: units, zones: Dictionary(uniqueKeysWithValues: zones.values))
    }

    private static func overlap(_ a: AdministrativeUnit, _ b: AdministrativeUnit) -> Bool {
        (a.validFrom.map { start in b.validTo.map { start <= $0 } ?? true } ?? true)
            && (b.validFrom.map { start in a.validTo.map { start <= $0 } ?? true } ?? true)
    }
}
