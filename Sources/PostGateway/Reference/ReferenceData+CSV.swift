import Foundation

/// A reference file that cannot be used: the start stops and names the file, the line and why.
struct ReferenceDataError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    let reason: String

    var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

extension ReferenceData {
    /// District-level desks ended with the districts (Law on the Organisation of Local Government 2025, in force
    /// 1 July 2025): none may be open after this day.
    static let lastDayOfDistricts = LocalDate(year: 2025, month: 6, day: 30)

    /// Loads and cross-checks every reference file of a folder.
    package static func load(from directory: URL) throws -> ReferenceData {
        let map = try AdministrativeMap.load(from: directory)
        let today = LocalDate(Date())
        let offices = try CSVTable<Office>.read(
            directory.appending(path: "offices.csv"), columns: ["code", "name", "address", "unitCode", "formerUnitCode", "addressSource"]
        ) { row in
            let unit = try row.code("unitCode", pattern: .digits)
            guard map.units(withCode: unit).contains(where: { $0.validTo == nil }) else {
                throw row.error("unitCode \(unit) is not a unit in force in units.csv")
            }
            let former = row.optionalText("formerUnitCode")
            if let former, map.unit(former, on: lastDayOfDistricts) == nil {
                throw row.error("formerUnitCode \(former) is not a unit in force on \(lastDayOfDistricts)")
            }
            return try Office(
                code: row.code("code", pattern: .officeCode), name: row.text("name"), address: row.text("address"), unitCode: unit,
                formerUnitCode: former)
        }
        let officeCodes = Set(offices.values.map(\.code))
        let agencies = try loadAgencies(from: directory, map: map, officeCodes: officeCodes, today: today)
        let procedures = try CSVTable<Procedure>.read(
            directory.appending(path: "procedures.csv"),
            columns: ["code", "name", "field", "level", "fee", "processingDays", "documents", "dossierByPost", "resultByPost", "legalBasis"]
        ) { row in
            try Procedure(
                code: row.code("code", pattern: .procedureCode), name: row.text("name"), field: row.text("field"),
                level: row.choice("level"), fee: Int64(row.integer("fee", in: 0...100_000_000)),
                processingDays: row.integer("processingDays", in: 0...365), documents: row.list("documents"),
                dossierByPost: row.boolean("dossierByPost"), resultByPost: row.boolean("resultByPost"), legalBasis: row.text("legalBasis"))
        }
        let holidays = try CSVTable<Holiday>.read(directory.appending(path: "holidays.csv"), columns: ["date", "kind", "name"], key: "date") { row in
            let date = try row.text("date")
            guard LocalDate(iso: date) != nil else { throw row.error("date \(date) is not a YYYY-MM-DD day") }
            return try Holiday(date: date, kind: row.choice("kind"), name: row.text("name"))
        }
        let sla = try CSVTable<(TransitScope, TransitDeadlines.Row)>.read(
            directory.appending(path: "sla.csv"), columns: ["scope", "days", "daysWithAppointmentSlip", "description"], key: "scope"
        ) { row in
            let scope: TransitScope = try row.choice("scope")
            let days = try row.integer("days", in: 0...60)
            return (scope, TransitDeadlines.Row(days: days, daysWithAppointmentSlip: try row.integer("daysWithAppointmentSlip", in: days...120)))
        }
        let rows = Dictionary(uniqueKeysWithValues: sla.values)
        if let missing = TransitScope.allCases.first(where: { rows[$0] == nil }) {
            throw ReferenceDataError(file: "sla.csv", line: 0, reason: "no row for scope \(missing.rawValue)")
        }
        let provinces = try CSVTable<(String, String)>.read(directory.appending(path: "provinces.csv"), columns: ["code", "name", "source"]) { row in
            (try row.code("code", pattern: .digits), try row.text("name"))
        }
        let provinceNames = Dictionary(uniqueKeysWithValues: provinces.values)
        // Cities and special areas are listed by today's units; a former unit that went into one counts in it too.
        func unitAndPredecessors(_ code: String, _ row: CSVRow) throws -> [String] {
            guard let unit = map.currentUnit(code) else { throw row.error("unit \(code) is not a unit in force in units.csv") }
            return [unit.id] + map.predecessors(of: unit).map(\.id)
        }
        let cities = try CSVTable<TransitRules.BigCity>.read(
            directory.appending(path: "cities.csv"),
            columns: ["name", "class", "provinceCode", "decision", "unitCodes", "validFrom", "validTo"], key: "name"
        ) { row in
            guard ["special", "I"].contains(try row.text("class")) else { throw row.error("class must be special or I (Circular 17 Art 7)") }
            let province = try row.code("provinceCode", pattern: .digits)
            guard provinceNames[province] != nil else { throw row.error("provinceCode \(province) is not in provinces.csv") }
            _ = try row.text("decision")
            let ids = try row.list("unitCodes").flatMap { try unitAndPredecessors($0, row) }
            let validFrom = try row.date("validFrom", required: false)
            let validTo = try row.date("validTo", required: false)
            if let validFrom, let validTo, validTo < validFrom { throw row.error("ends on \(validTo) before it starts on \(validFrom)") }
            return try TransitRules.BigCity(name: row.text("name"), provinceCode: province, unitIds: Set(ids), validFrom: validFrom, validTo: validTo)
        }
        let specialAreas = try CSVTable<[String]>.read(
            directory.appending(path: "special-areas.csv"), columns: ["unitCode", "reason", "source"], key: "unitCode"
        ) { row in
            let ids = try unitAndPredecessors(try row.code("unitCode", pattern: .digits), row)
            _ = try row.text("reason")
            return ids
        }
        let horizons = try CSVTable<Horizon>.read(directory.appending(path: "horizons.csv"), columns: ["file", "knownUntil", "note"], key: "file") {
            row in
            let file = try row.text("file")
            guard FileManager.default.fileExists(atPath: directory.appending(path: file).path) else {
                throw row.error("names \(file), which is not here")
            }
            return try Horizon(file: file, knownUntil: row.date("knownUntil")!.description, note: row.text("note"))
        }
        for file in ["holidays.csv", "units.csv"] where !horizons.values.contains(where: { $0.file == file }) {
            throw ReferenceDataError(file: "horizons.csv", line: 0, reason: "says nothing of \(file): how far ahead is it known?")
        }
        // Optional: a province without sorting centres between its offices has no transit.csv.
        var transit: [String: Set<String>] = [:]
        let transitFile = directory.appending(path: "transit.csv")
        if FileManager.default.fileExists(atPath: transitFile.path) {
            let table = try CSVTable<(String, Set<String>)>.read(transitFile, columns: ["officeCode", "transitOfficeCodes"], key: "officeCode") {
                row in
                let office = try row.code("officeCode", pattern: .officeCode)
                guard officeCodes.contains(office) else { throw row.error("officeCode \(office) is not in offices.csv") }
                let centres = row.list("transitOfficeCodes")
                if let unknown = centres.first(where: { !officeCodes.contains($0) }) {
                    throw row.error("transitOfficeCodes names \(unknown), which is not in offices.csv")
                }
                return (office, Set(centres))
            }
            transit = Dictionary(table.values, uniquingKeysWith: { first, _ in first })
        }
        return ReferenceData(
            offices: offices.values, agencies: agencies, procedures: procedures.values,
            holidays: holidays.values, deadlines: TransitDeadlines(rows: rows), map: map,
            transit: TransitRules(map: map, bigCities: cities.values, specialAreaUnitIds: Set(specialAreas.values.joined())),
            horizons: horizons.values, provinces: provinceNames, transitOffices: transit)
    }

    /// The desks: each in force over its days, in a unit of its own time, served by a known office, and, once closed,
    /// naming desks open the next day. No district-level desk is open after the districts ended.
    private static func loadAgencies(from directory: URL, map: AdministrativeMap, officeCodes: Set<String>, today: LocalDate) throws -> [Agency] {
        let agencyColumns = [
            "code", "name", "level", "unitCode", "address", "servingOfficeCode", "validFrom", "validTo", "successors", "codeSource",
        ]
        let agencyTable = try CSVTable<(Agency, CSVRow)>.read(directory.appending(path: "agencies.csv"), columns: agencyColumns) { row in
            let serving = try row.text("servingOfficeCode")
            guard officeCodes.contains(serving) else { throw row.error("servingOfficeCode \(serving) is not in offices.csv") }
            let validFrom = try row.date("validFrom", required: false)
            let validTo = try row.date("validTo", required: false)
            if let validFrom, let validTo, validTo < validFrom { throw row.error("ends on \(validTo) before it starts on \(validFrom)") }
            let level: AgencyLevel = try row.choice("level")
            if level == .city, validTo.map({ $0 > lastDayOfDistricts }) ?? true {
                throw row.error("a district-level desk cannot be open after \(lastDayOfDistricts): districts were abolished")
            }
            let unitCode = try row.code("unitCode", pattern: .digits)
            let lastDay = validTo ?? today
            guard map.unit(unitCode, on: lastDay) != nil else {
                throw row.error("unitCode \(unitCode) is not a unit in force on \(lastDay), the desk's last open day")
            }
            let successors = row.list("successors")
            if validTo != nil, successors.isEmpty { throw row.error("ends on \(validTo!) but names no successor desk") }
            let source: CodeSource = try row.choice("codeSource")
            let agency = try Agency(
                code: row.text("code"), name: row.text("name"), level: level, unitCode: unitCode, address: row.text("address"),
                servingOfficeCode: serving, validFrom: validFrom?.description, validTo: validTo?.description, successors: successors,
                codeSource: source.rawValue)
            return (agency, row)
        }
        let agenciesByCode = Dictionary(agencyTable.values.map { ($0.0.code, $0.0) }, uniquingKeysWith: { first, _ in first })
        for (agency, row) in agencyTable.values {
            guard let end = agency.validTo.flatMap(LocalDate.init(iso:)) else { continue }
            for code in agency.successors {
                guard let successor = agenciesByCode[code] else { throw row.error("successor desk \(code) is not in agencies.csv") }
                guard successor.isOpen(on: end.adding(days: 1)) else {
                    throw row.error("successor desk \(code) is not open on \(end.adding(days: 1)), the day after this desk closes")
                }
            }
        }
        return agencyTable.values.map(\.0)
    }

    /// Whether a desk's code is the one-stop's published one or stands in for it.
    enum CodeSource: String, CaseIterable { case official, illustrative }
}

/// Reads one CSV file row by row through CSV.swift, keeping the line number of each row for errors.
/// Fields may not span lines, so a row's line is its record number plus the header line.
