import Foundation
import Hummingbird
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct JSONValueTests {
    static func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try Self.parse(
            #" {"s": "Nguyễn \"A\"\n\u00e0\ud83d\ude00", "i": -42, "d": 1.5e3, "z": 0, "t": true, "f": false, "n": null, "a": [1, [], {}]} "#)
        #expect(
            value
                == .object([
                    "s": .string("Nguyễn \"A\"\nà😀"), "i": .integer(-42), "d": .number(1500), "z": .integer(0), "t": .bool(true), "f": .bool(false),
                    "n": .null, "a": .array([.integer(1), .array([]), .object([:])]),
                ]))
        #expect(try Self.parse("30000.5") == .number(30000.5))
        #expect(try Self.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "[1 2]", "{\"a\":1,}", "01", "1.", "-", ".5", "1e", "tru", "nul",
        "\"\\x\"", "\"\\ud83d\"", "\"a\u{01}b\"", "\"unterminated", "{} {}", "NaN", "Infinity", "1e400",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONValue.SyntaxError.self) { try Self.parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue(parsing: Data([0x22, 0xC3, 0x28, 0x22])) }
    }

    /// A document built from generated parts: numbers, text (with Vietnamese and characters that need escaping), flags.
    static func document(_ number: Int, _ text: String, _ flag: Bool) -> JSONValue {
        let vietnamese = text + "Đặng Thùy Dương \"\\\n\u{01}"
        return .object([
            "n": .integer(Int64(number)), "s": .string(vietnamese), "b": .bool(flag), "z": .null,
            "a": .array([.string(text), .integer(Int64(-number)), .number(Double(number) + 0.5)]),
            vietnamese: .object([text: .bool(!flag)]),
        ])
    }

    @Test func canonicalTextParsesBackToTheSameValue() async {
        await propertyCheck(input: Gen.int(in: -1_000_000...1_000_000), Gen.letterOrNumber.string(of: 0...12), Gen.bool) { number, text, flag in
            let value = Self.document(number, text, flag)
            #expect((try? JSONValue(parsing: Data(value.canonicalText.utf8))) == value)
        }
    }

    @Test func canonicalTextIsValidJSONForFoundationToo() async {
        await propertyCheck(input: Gen.int(in: -1_000_000...1_000_000), Gen.letterOrNumber.string(of: 0...12), Gen.bool) { number, text, flag in
            let text = Self.document(number, text, flag).canonicalText
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(text)")
        }
    }

    /// Request hashes in the ledger were made from these bytes: the order of keys (Swift's String order, which for
    /// these is code-point order) and the escapes must never change.
    @Test func theCanonicalTextIsPinnedByteForByte() {
        let value: JSONValue = .object([
            "đ": .integer(1), "a": .string("\"\\\n\t\r\u{01}Việt"), "Z": .array([.null, .bool(false), .number(1.5), .integer(-7)]), "é": .object([:]),
        ])
        #expect(value.canonicalText == #"{"Z":[null,false,1.5,-7],"a":"\"\\\n\t\r\u0001Việt","é":{},"đ":1}"#)
    }

    @Test func keyOrderAndWhiteSpaceDoNotChangeTheCanonicalText() throws {
        #expect(try Self.parse(#"{"b": 1, "a": [true, null]}"#).canonicalText == #"{"a":[true,null],"b":1}"#)
        #expect(try Self.parse("{\n \"a\" : [ true , null ] ,\"b\":1 }").canonicalText == #"{"a":[true,null],"b":1}"#)
    }

    @Test func aBodyIsJSONByItsMediaTypeInAnyCaseWithOrWithoutParameters() {
        for type in [
            "application/json", "Application/JSON", "application/json; charset=utf-8", " application/json ;charset=UTF-8",
            "\tapplication/json\t",
        ] {
            #expect(Request.namesJSON(type), "\(type)")
        }
        for type in [
            nil, "", "application/jsonx", "application/json-patch+json", "text/json", "application/x-www-form-urlencoded",
            "application /json", "application/js", "ＡPPLICATION/JSON", "application/json\u{0}",
        ] as [String?] {
            #expect(!Request.namesJSON(type), "\(type ?? "nil")")
        }
    }
}
