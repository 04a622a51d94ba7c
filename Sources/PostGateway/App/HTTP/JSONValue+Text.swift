import Foundation

// JSON text in and out for JSONValue, the request bodies the validator reads field by field and hashes in
// canonical form. Written here because neither Foundation parser keeps what that needs: JSONDecoder decodes into
// types, not into values of any kind, and JSONSerialization turns 0 and 1 into Bools on Linux and numbers into
// doubles. The parser is strict RFC 8259; the tests feed it hostile input.

extension JSONValue {
    struct SyntaxError: Error, Equatable {
        let offset: Int
    }

    static let maxDepth = 64

    /// Parses a complete JSON text (any value at the top, surrounded by optional white space).
    init(parsing data: Data) throws {
        self = try data.withUnsafeBytes { raw in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
            let value = try parser.value(depth: 0)
            try parser.end()
            return value
        }
    }

    /// The reader under `init(parsing:)`, also walked member by member where a page of a thousand rows should not
    /// become a thousand dictionaries (the one-stop's ledger list).
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func fail() -> SyntaxError { SyntaxError(offset: position) }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ literal: StaticString) throws {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw fail() }
            for index in 0..<count where bytes[position + index] != literal.utf8Start[index] { throw fail() }
            position += count
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < JSONValue.maxDepth else { throw fail() }
            skipWhitespace()
            guard position < bytes.count else { throw fail() }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            default: return try number()
            }
        }

        mutating func object(depth: Int) throws -> JSONValue {
            var fields: [String: JSONValue] = [:]
            try members(depth: depth) { key, parser in fields[key] = try parser.value(depth: depth + 1) }
            return .object(fields)
        }

        /// Walks the object at the current position: `body` gets each key and must read its value.
        mutating func members(depth: Int, _ body: (String, inout Parser) throws -> Void) throws {
            try members(depth: depth, keyBytes: { key, parser in try body(String(decoding: key, as: UTF8.self), &parser) })
        }

        /// As `members`, with each key as its UTF-8 bytes: a reader that knows the few keys it wants compares
        /// bytes instead of making a String of every key of a million rows.
        mutating func members(depth: Int, keyBytes body: (UnsafeBufferPointer<UInt8>, inout Parser) throws -> Void) throws {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { throw fail() }
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail() }
                // The keys of every contract are plain: their bytes are where they stand.
                if let key = plainString() {
                    try colon()
                    try body(key, &self)
                } else {
                    var key = try string()
                    try colon()
                    try key.withUTF8 { key in try body(key, &self) }
                }
                skipWhitespace()
                guard position < bytes.count else { throw fail() }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "}") else { throw fail() }
                position += 1
                return
            }
        }

        private mutating func colon() throws {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail() }
            position += 1
        }

        mutating func array(depth: Int) throws -> JSONValue {
            var values: [JSONValue] = []
            try elements(depth: depth) { parser in values.append(try parser.value(depth: depth + 1)) }
            return .array(values)
        }

        /// Walks the array at the current position: `body` must read each element.
        mutating func elements(depth: Int, _ body: (inout Parser) throws -> Void) throws {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { throw fail() }
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return
            }
            while true {
                try body(&self)
                skipWhitespace()
                guard position < bytes.count else { throw fail() }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "]") else { throw fail() }
                position += 1
                return
            }
        }

        /// Checks that nothing but whitespace follows the document.
        mutating func end() throws {
            skipWhitespace()
            guard position == bytes.count else { throw fail() }
        }

        /// At a string's opening quote: its bytes when it is printable ASCII without escapes, with the position moved
        /// past its closing quote; nil, with the position left where it was, for any other string.
        mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
            let start = position + 1
            var end = start
            while end < bytes.count, (0x20..<0x80).contains(bytes[end]), bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") {
                end += 1
            }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
            position = end + 1
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }

        mutating func string() throws -> String {
            // Plain ASCII is valid UTF-8 as it stands: no copy and no generic validation, which showed when the
            // nightly reconciliation reads a million rows.
            if let plain = plainString() { return String(decoding: plain, as: UTF8.self) }
            position += 1
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
                guard bytes[position] >= 0x20 else { throw fail() }
                position += 1
            }
            guard position < bytes.count else { throw fail() }
            var scalars = Array(bytes[start..<position])
            while bytes[position] != UInt8(ascii: "\"") {
                if bytes[position] == UInt8(ascii: "\\") {
                    position += 1
                    guard position < bytes.count else { throw fail() }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800...0xDBFF).contains(code) {
                            try expect("\\u")
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw fail() }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw fail() }
                        scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: throw fail()
                    }
                } else {
                    guard bytes[position] >= 0x20 else { throw fail() }
                    scalars.append(bytes[position])
                    position += 1
                }
                guard position < bytes.count else { throw fail() }
            }
            position += 1
            // Invalid UTF-8 is refused rather than repaired.
            guard let text = String(validating: scalars, as: UTF8.self) else { throw fail() }
            return text
        }

        /// The digits (and sign) already checked by `number()`, read without making a String; nil past Int64.
        func integerValue(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
            let negative = text.first == UInt8(ascii: "-")
            var value: Int64 = 0
            for byte in text.dropFirst(negative ? 1 : 0) {
                let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
                let digit = Int64(byte - UInt8(ascii: "0"))
                let (next, overflowAdd) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
                guard !overflowShift, !overflowAdd else { return nil }
                value = next
            }
            return value
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw fail() }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail()
                }
                code = code << 4 | UInt32(digit)
                position += 1
            }
            return code
        }

        mutating func number() throws -> JSONValue {
            let start = position
            func digits() -> Int {
                let first = position
                while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
                return position - first
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            guard digits() > 0 else { throw fail() }
            if bytes[integerStart] == UInt8(ascii: "0") && position - integerStart > 1 { throw fail() }  // no leading zeros
            var isInteger = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                isInteger = false
                guard digits() > 0 else { throw fail() }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                isInteger = false
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { throw fail() }
            }
            if isInteger, let integer = integerValue(bytes[start..<position]) { return .integer(integer) }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard let double = Double(text), double.isFinite else { throw fail() }
            return .number(double)
        }
    }

    /// Compact JSON text with keys in sorted order: stable bytes for hashing and for frozen outbox payloads.
    package var canonicalText: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// The same, as UTF-8 bytes: what a hash of it reads, with no string made on the way.
    var canonicalBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        write(into: &output)
        return output
    }

    private func write(into output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .number(let number): output.append(contentsOf: "\(number)".utf8)
        case .string(let text): Self.writeString(text, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // Sorting the members, not the keys, spares a hash lookup of every key to find its value again.
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { writeString($0, into: &output) }
    }

    private static func writeString(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most text needs no escaping: copy it whole.
        if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
