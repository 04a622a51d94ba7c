/// Comma-separated text (RFC 4180) that a spreadsheet opens as it was meant, and never evaluates.
enum CSV {
    static func field(_ text: String) -> String {
        let scalars = text.unicodeScalars
        // A cell that starts with = + - @ (or a tab or CR before one) is a formula to Excel, LibreOffice and Sheets,
        // quoted or not: a leading apostrophe makes it text. Checked on scalars, never on Swift Characters
        // ("=\u{301}" is one Character that is not "=").
        let formula = scalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true && !isNumber(text)
        let needsQuotes = formula || scalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        var output = String.UnicodeScalarView()
        output.append("\"")
        if formula { output.append("'") }
        for scalar in scalars {
            if scalar == "\"" { output.append("\"") }
            output.append(scalar)
        }
        output.append("\"")
        return String(output)
    }

    /// A negative amount such as "-5000" is a number to a spreadsheet, not a formula: it stays as it is.
    private static func isNumber(_ text: String) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.utf8.first == UInt8(ascii: "-") && !digits.isEmpty && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    static func document(_ lines: [[String]]) -> String { lines.map(line).joined(separator: "\r\n") + "\r\n" }
}
