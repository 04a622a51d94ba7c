/// Comma-separated text (RFC 4180) that a spreadsheet opens as it was meant.
enum CSV {
    static func field(_ text: String) -> String {
        // A leading = + - @ would be a formula in a spreadsheet: quoted, it stays text.
        guard text.contains(where: { ",\"\r\n".contains($0) }) || text.first.map({ "=+-@".contains($0) }) == true else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    static func document(_ lines: [[String]]) -> String { lines.map(line).joined(separator: "\r\n") + "\r\n" }
}
