import Foundation

/// A UPU S10 item number as Vietnam Post prints it: `PH000000155VN`.
///
/// Two service-indicator letters, an 8-digit serial, a mod-11 check digit and the country code.
/// The check digit is never stored separately: it is always derived from the serial.
struct TrackingNumber: Hashable, Sendable, CustomStringConvertible {
    static let country = "VN"
    static let maxSerial = 99_999_999

    let prefix: String
    let serial: Int

    enum ParseError: Error, Equatable {
        /// Not the S10 shape at all (length, letters, digits, country).
        case badFormat
        /// The shape is right but the check digit is not the one the serial implies.
        case badCheckDigit(expected: Int)
    }

    /// Builds the number for a serial issued by the ledger; the prefix must be two capital ASCII letters.
    init(prefix: String, serial: Int) {
        precondition(Self.isServiceIndicator(prefix), "S10 prefix must be two capital letters")
        precondition((0...Self.maxSerial).contains(serial), "S10 serial must have 8 digits")
        self.prefix = prefix
        self.serial = serial
    }

    /// Parses what a person typed or a scanner read: surrounding spaces are ignored and letters may be lower case.
    init(parsing text: some StringProtocol) throws(ParseError) {
        let scalars = Array(text.trimmingCharacters(in: .whitespaces).uppercased().unicodeScalars)
        guard scalars.count == 13,
              scalars[0..<2].allSatisfy(Self.isCapitalLetter),
              scalars[2..<11].allSatisfy(Self.isDigit),
              String(String.UnicodeScalarView(scalars[11..<13])) == Self.country
        else { throw .badFormat }
        let digits = scalars[2..<11].map { Int($0.value) - 48 }
        let serial = digits[0..<8].reduce(0) { $0 * 10 + $1 }
        let expected = Self.checkDigit(serial: serial)
        guard digits[8] == expected else { throw .badCheckDigit(expected: expected) }
        self.prefix = String(String.UnicodeScalarView(scalars[0..<2]))
        self.serial = serial
    }

    var checkDigit: Int { Self.checkDigit(serial: serial) }

    var description: String {
        let digits = String(serial)
        return prefix + String(repeating: "0", count: 8 - digits.count) + digits + String(checkDigit) + Self.country
    }

    /// S10 check digit: weights 8 6 4 2 3 5 9 7 over the serial; c = 11 − (sum mod 11); 10 → 0, 11 → 5.
    static func checkDigit(serial: Int) -> Int {
        let weights = [8, 6, 4, 2, 3, 5, 9, 7]
        var remaining = serial
        var sum = 0
        for weight in weights.reversed() {
            sum += (remaining % 10) * weight
            remaining /= 10
        }
        switch 11 - sum % 11 {
        case 10: return 0
        case 11: return 5
        case let digit: return digit
        }
    }

    static func isServiceIndicator(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 2 && scalars.allSatisfy(isCapitalLetter)
    }

    private static func isCapitalLetter(_ scalar: Unicode.Scalar) -> Bool { ("A"..."Z").contains(scalar) }
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
