import PropertyBased
import Testing

@testable import PostGateway

@Suite struct TrackingNumberTests {
    @Test(arguments: [(12_345_678, 5), (0, 5), (8, 0), (15, 5), (1, 4)])
    func checkDigitMatchesTheDesignVectors(serial: Int, expected: Int) {
        #expect(TrackingNumber.checkDigit(serial: serial) == expected)
    }

    @Test func formatsPrefixSerialCheckDigitAndCountry() {
        #expect(TrackingNumber(prefix: "PH", serial: 15).description == "PH000000155VN")
        #expect(TrackingNumber(prefix: "RB", serial: 12_345_678).description == "RB123456785VN")
    }

    @Test func parsesWhatScannersAndPeopleType() throws {
        #expect(try TrackingNumber(parsing: "PH000000155VN") == TrackingNumber(prefix: "PH", serial: 15))
        #expect(try TrackingNumber(parsing: "  ph000000155vn ") == TrackingNumber(prefix: "PH", serial: 15))
    }

    @Test func wrongCheckDigitIsNamedWithTheExpectedDigit() {
        #expect(throws: TrackingNumber.ParseError.badCheckDigit(expected: 5)) { try TrackingNumber(parsing: "PH000000156VN") }
    }

    @Test(arguments: ["", "PH00000015VN", "PH0000001555VN", "P1000000155VN", "PH00000015AVN", "PH000000155US", "ĐH000000155VN", "PH000000155V"])
    func malformedNumbersAreBadFormat(text: String) {
        #expect(throws: TrackingNumber.ParseError.badFormat) { try TrackingNumber(parsing: text) }
    }

    @Test func everySerialRoundTripsThroughItsText() async {
        await propertyCheck(input: Gen.int(in: 0...TrackingNumber.maxSerial)) { serial in
            let number = TrackingNumber(prefix: "PK", serial: serial)
            #expect((try? TrackingNumber(parsing: number.description)) == number)
        }
    }

    @Test func anyOtherCheckDigitIsRefused() async {
        await propertyCheck(input: Gen.int(in: 0...TrackingNumber.maxSerial), Gen.int(in: 1...9)) { serial, shift in
            let number = TrackingNumber(prefix: "PH", serial: serial)
            let wrong = (number.checkDigit + shift) % 10
            var text = number.description
            text.replaceSubrange(text.index(text.startIndex, offsetBy: 10)...text.index(text.startIndex, offsetBy: 10), with: String(wrong))
            #expect(throws: TrackingNumber.ParseError.self) { try TrackingNumber(parsing: text) }
        }
    }
}
