import CSV
import Foundation

/// A reference file that cannot be used: the start stops and names the file, the line and why.
struct ReferenceDataError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    let reason: String

    var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

extension ReferenceData {
    /// Loads and cross-checks every reference file of a folder.
    package static func load(from directory: URL) throws -> ReferenceData {
        let offices = try CSVTable<Office>.read(
            directory.appending(path: "offices.csv"), columns: ["code", "name", "address", "areaCode", "provinceCode"]
        ) { row in
            try Office(
                code: row.code("code", pattern: .officeCode), name: row.text("name"), address: row.text("address"),
                areaCode: row.code("areaCode", pattern: .digits), provinceCode: row.code("provinceCode", pattern: .digits))
        }
        let officeCodes = Set(offices.values.map(\.code))
        let agencies = try CSVTable<Agency>.read(
            directory.appending(path: "agencies.csv"),
            columns: ["code", "name", "level", "areaCode", "provinceCode", "address", "servingOfficeCode"]
        ) { row in
            let serving = try row.text("servingOfficeCode")
            guard officeCodes.contains(serving) else { throw row.error("servingOfficeCode \(serving) is not in offices.csv") }
            return try Agency(
                code: row.text("code"), name: row.text("name"), level: row.choice("level"),
                areaCode: row.code("areaCode", pattern: .digits), provinceCode: row.code("provinceCode", pattern: .digits),
                address: row.text("address"), servingOfficeCode: serving)
        }
        let procedures = try CSVTable<Procedure>.read(
            directory.appending(path: "procedures.csv"),
            columns: ["code", "name", "field", "level", "fee", "processingDays", "documents", "postalAllowed"]
        ) { row in
            try Procedure(
                code: row.code("code", pattern: .procedureCode), name: row.text("name"), field: row.text("field"),
                level: row.choice("level"), fee: Int64(row.integer("fee", in: 0...100_000_000)),
                processingDays: row.integer("processingDays", in: 0...365),
                documents: row.text("documents").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) },
                postalAllowed: row.boolean("postalAllowed"))
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
        // Optional: a province without sorting centres between its offices has no transit.csv.
        var transit: [String: Set<String>] = [:]
        let transitFile = directory.appending(path: "transit.csv")
        if FileManager.default.fileExists(atPath: transitFile.path) {
            let table = try CSVTable<(String, Set<String>)>.read(transitFile, columns: ["officeCode", "transitOfficeCodes"], key: "officeCode") {
                row in
                let office = try row.code("officeCode", pattern: .officeCode)
                guard officeCodes.contains(office) else { throw row.error("officeCode \(office) is not in offices.csv") }
                let centres = try row.text("transitOfficeCodes").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                if let unknown = centres.first(where: { !officeCodes.contains($0) }) {
                    throw row.error("transitOfficeCodes names \(unknown), which is not in offices.csv")
                }
                return (office, Set(centres))
            }
            transit = Dictionary(table.values, uniquingKeysWith: { first, _ in first })
        }
        return ReferenceData(
            offices: offices.values, agencies: agencies.values, procedures: procedures.values,
            holidays: holidays.values, deadlines: TransitDeadlines(rows: rows), transitOffices: transit)
    }
}

/// Reads one CSV file row by row through CSV.swift, keeping the line number of each row for errors.
/// Fields may not span lines, so a row's line is its record number plus the header line.
struct CSVTable<Value> {
    let values: [Value]

    struct Row {
        let file: String
        let line: Int
        let fields: [String: String]

        func error(_ reason: String) -> ReferenceDataError { ReferenceDataError(file: file, line: line, reason: reason) }

        func text(_ column: String) throws -> String {
            let value = fields[column, default: ""].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw error("\(column) is empty") }
            return value
        }

        enum Pattern {
            case digits, officeCode, procedureCode

            func matches(_ text: String) -> Bool {
                switch self {
                case .digits: return text.isASCIIDigits
                case .officeCode: return text.count == 6 && text.isASCIIDigits
                case .procedureCode:
                    // 1.001234, 2.000815.000.00.00.H55: a digit, a dot, six digits, then optional dotted parts.
                    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
                    return parts.count >= 2 && parts[0].count == 1 && parts[1].count == 6
                        && parts[0...1].allSatisfy(\.isASCIIDigits)
                        && parts.dropFirst(2).allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) } }
                }
            }
        }

        func code(_ column: String, pattern: Pattern) throws -> String {
            let value = try text(column)
            guard pattern.matches(value) else { throw error("\(column) \"\(value)\" is not a valid \(column)") }
            return value
        }

        func integer(_ column: String, in range: ClosedRange<Int>) throws -> Int {
            let value = try text(column)
            guard let number = Int(value), range.contains(number) else {
                throw error("\(column) \"\(value)\" is not a whole number in \(range.lowerBound)…\(range.upperBound)")
            }
            return number
        }

        func boolean(_ column: String) throws -> Bool {
            switch try text(column) {
            case "true": return true
            case "false": return false
            case let other: throw error("\(column) \"\(other)\" is not true or false")
            }
        }

        func choice<T: RawRepresentable & CaseIterable>(_ column: String) throws -> T where T.RawValue == String {
            let value = try text(column)
            guard let choice = T(rawValue: value) else {
                throw error("\(column) \"\(value)\" is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return choice
        }
    }

    /// Reads `url`, requiring exactly `columns` as the header, and refuses duplicate values in `key`.
    static func read(_ url: URL, columns: [String], key: String = "code", _ makeValue: (Row) throws -> Value) throws -> CSVTable {
        let file = url.lastPathComponent
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ReferenceDataError(file: file, line: 0, reason: "cannot be read as UTF-8 text")
        }
        guard !text.contains("\r") || text.contains("\r\n") else {
            throw ReferenceDataError(file: file, line: 0, reason: "uses bare carriage returns as line ends")
        }
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        guard reader.headerRow == columns else {
            throw ReferenceDataError(file: file, line: 1, reason: "header must be \(columns.joined(separator: ","))")
        }
        var values: [Value] = []
        var seenKeys: Set<String> = []
        var line = 1
        while let fields = reader.next() {
            line += 1
            if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
            let row = Row(file: file, line: line, fields: Dictionary(uniqueKeysWithValues: zip(columns, fields)))
            guard fields.count == columns.count else {
                throw row.error("has \(fields.count) fields, the header has \(columns.count)")
            }
            if fields.contains(where: { $0.contains("\n") }) { throw row.error("a field spans several lines") }
            let keyValue = row.fields[key, default: ""]
            guard seenKeys.insert(keyValue).inserted else { throw row.error("\(key) \(keyValue) appears twice") }
            values.append(try makeValue(row))
        }
        if let error = reader.error {
            throw ReferenceDataError(file: file, line: line, reason: "is not valid CSV (\(error))")
        }
        guard !values.isEmpty else { throw ReferenceDataError(file: file, line: 0, reason: "has no rows") }
        return CSVTable(values: values)
    }
}
