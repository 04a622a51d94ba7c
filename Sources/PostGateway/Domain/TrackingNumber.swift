import Foundation

/// A UPU S10 item number as Vietnam Post prints it: `PH000000155VN`.
///
/// Two service-indicator letters, an 8-digit serial, a mod-11 check digit and the country code.
/// The check digit is never stored separately: it is always derived from the serial.
package struct TrackingNumber: Hashable, Sendable, CustomStringConvertible {
    static let maxSerial = 99_999_999

    let prefix: String
    let serial: Int

    package enum ParseError: Error, Equatable {
        /// Not the S10 shape at all (length, letters, digits, country).
        case badFormat
        /// The shape is right but the check digit is not the one the serial implies.
        case badCheckDigit(expected: Int)
    }

    /// Builds the number for a serial issued by the ledger; the prefix must be two capital ASCII letters.
    package init(prefix: String, serial: Int) {
        precondition(Self.isServiceIndicator(prefix), "S10 prefix must be two capital letters")
        precondition((0...Self.maxSerial).contains(serial), "S10 serial must have 8 digits")
        self.prefix = prefix
        self.serial = serial
    }

    /// Parses what a person typed or a scanner read: surrounding spaces are ignored and letters may be lower case.
    /// Works on UTF-8 bytes: this runs for every scan and every public lookup.
    package init(parsing text: some StringProtocol) throws(ParseError) {
        // The usual case, a number as the ledger writes it, read where its bytes are: the reconciliation parses
        // two million of them.
        if let exact = text.utf8.withContiguousStorageIfAvailable(Self.exact), let exact {
            self = try exact.get()
            return
        }
        var bytes = Array(text.utf8)
        if bytes.contains(where: { $0 >= 0x80 }) {
            // Beyond ASCII only Unicode spaces around the number can be right; Foundation knows them.
            bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        } else {
            while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
            let leading = bytes.prefix { $0 == 0x20 || $0 == 0x09 }.count
            if leading > 0 { bytes.removeFirst(leading) }
        }
        guard bytes.count == 13 else { throw .badFormat }
        for index in [0, 1, 11, 12] where (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[index]) { bytes[index] -= 32 }
        // Trimmed and in capitals, it must now be the number as the ledger writes it.
        guard let exact = bytes.withUnsafeBufferPointer(Self.exact) else { throw .badFormat }
        self = try exact.get()
    }

    /// A number written exactly as the ledger writes it (two capitals, nine digits, `VN`), or why its check digit is
    /// wrong; nil for any other shape. Both ways into `init(parsing:)` end here.
    private static func exact(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<TrackingNumber, ParseError>? {
        guard bytes.count == 13, isCapitalLetter(bytes[0]), isCapitalLetter(bytes[1]),
            bytes[11] == UInt8(ascii: "V"), bytes[12] == UInt8(ascii: "N")
        else { return nil }
        var serial = 0
        for index in 2..<10 {
            guard isDigit(bytes[index]) else { return nil }
            serial = serial * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        }
        guard isDigit(bytes[10]) else { return nil }
        let expected = checkDigit(serial: serial)
        guard Int(bytes[10] - UInt8(ascii: "0")) == expected else { return .failure(.badCheckDigit(expected: expected)) }
        return .success(TrackingNumber(prefix: String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<2]), as: UTF8.self), serial: serial))
    }

    var checkDigit: Int { Self.checkDigit(serial: serial) }

    /// Written byte by byte into the string's own 13 bytes: the single writer writes several per intake, and joining
    /// five small strings was most of the cost.
    package var description: String {
        String(unsafeUninitializedCapacity: 13) { bytes in
            var prefixBytes = prefix.utf8.makeIterator()
            bytes[0] = prefixBytes.next()!
            bytes[1] = prefixBytes.next()!
            var remaining = serial
            for index in stride(from: 9, through: 2, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            bytes[10] = UInt8(ascii: "0") + UInt8(checkDigit)
            bytes[11] = UInt8(ascii: "V")
            bytes[12] = UInt8(ascii: "N")
            return 13
        }
    }

    private static let weightsFromTheLastDigit = [7, 9, 5, 3, 2, 4, 6, 8]

    /// S10 check digit: weights 8 6 4 2 3 5 9 7 over the serial; c = 11 − (sum mod 11); 10 → 0, 11 → 5.
    static func checkDigit(serial: Int) -> Int {
        var remaining = serial
        var sum = 0
        for weight in weightsFromTheLastDigit {
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
        text.utf8.count == 2 && text.utf8.allSatisfy(isCapitalLetter)
    }

    private static func isCapitalLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
