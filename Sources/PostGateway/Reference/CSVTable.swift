import CSV
import Foundation

/// One row of a reference file, with its line for errors.
struct CSVRow {
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

    /// nil for an empty field.
    func optionalText(_ column: String) -> String? {
        let value = fields[column, default: ""].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    /// A `|`-separated list; empty for an empty field.
    func list(_ column: String) -> [String] {
        fields[column, default: ""].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func date(_ column: String, required: Bool = true) throws -> LocalDate? {
        guard let value = required ? try text(column) : optionalText(column) else { return nil }
        guard let day = LocalDate(iso: value) else { throw error("\(column) \(value) is not a YYYY-MM-DD day") }
        return day
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

struct CSVTable<Value> {
    let values: [Value]

    typealias Row = CSVRow

    /// Reads `url`, requiring exactly `columns` as the header, and refuses duplicate values in `key` (when there is one).
    static func read(_ url: URL, columns: [String], key: String? = "code", _ makeValue: (Row) throws -> Value) throws -> CSVTable {
        let file = url.lastPathComponent
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ReferenceDataError(file: file, line: 0, reason: "cannot be read as UTF-8 text")
        }
        guard !text.contains("\r") || text.contains("\r\n") else {
            throw ReferenceDataError(file: file, line: 0, reason: "uses bare carriage returns as line ends")
        }
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = reader.headerRow ?? []
        if let unknown = header.first(where: { !columns.contains($0) }) {
            throw ReferenceDataError(file: file, line: 1, reason: "unknown column \(unknown); the header must be \(columns.joined(separator: ","))")
        }
        guard header == columns else {
            let missing = columns.filter { !header.contains($0) }
            let why = missing.isEmpty ? "columns out of order" : "missing column \(missing.joined(separator: ", "))"
            throw ReferenceDataError(file: file, line: 1, reason: "\(why); the header must be \(columns.joined(separator: ","))")
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
            if let key {
                let keyValue = row.fields[key, default: ""]
                guard seenKeys.insert(keyValue).inserted else { throw row.error("\(key) \(keyValue) appears twice") }
            }
            values.append(try makeValue(row))
        }
        if let error = reader.error {
            throw ReferenceDataError(file: file, line: line, reason: "is not valid CSV (\(error))")
        }
        guard !values.isEmpty else { throw ReferenceDataError(file: file, line: 0, reason: "has no rows") }
        return CSVTable(values: values)
    }
}
