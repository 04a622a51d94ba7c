import CSV
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct CSVTests {
    static func read(_ document: String) throws -> [[String]] {
        var rows: [[String]] = []
        let reader = try CSVReader(string: document)
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    static func isNegativeNumber(_ text: String) -> Bool {
        text.count > 1 && text.first == "-" && text.dropFirst().allSatisfy(\.isASCII) && Int(text) != nil
    }

    @Test func hostileTextReadsBackAsTheSameCellsAndNeverAsAFormula() async throws {
        await propertyCheck(input: HostileText.gen, HostileText.gen) { first, second in
            let rows = try? Self.read(CSV.document([[first, second, "x"]]))
            let expected = [first, second].map { text in
                text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true && !Self.isNegativeNumber(text) ? "'" + text : text
            }
            #expect(rows == [expected + ["x"]])
            for cell in rows?.first ?? [] where !Self.isNegativeNumber(cell) {
                #expect(cell.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } != true, "\(cell)")
            }
        }
    }

    @Test func aFormulaIsTextEvenBehindAJoiningCharacter() {
        #expect(CSV.field("=\u{301}HYPERLINK(\"http://x\")") == "\"'=\u{301}HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSV.field("-5") == "-5")
        #expect(CSV.field("-5+A1") == "\"'-5+A1\"")
        #expect(CSV.field("Nguyễn, Văn") == "\"Nguyễn, Văn\"")
        #expect(CSV.field("PH000000014VN") == "PH000000014VN")
    }
}
