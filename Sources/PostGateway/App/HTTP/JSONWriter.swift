/// JSON text written straight into bytes, for an answer made on every request: building a `JSONValue` first (a
/// dictionary for each object, its members sorted when written) showed in the profiles of first tracking lookups.
/// The caller writes each object's keys in sorted order, so the text is the canonical text `JSONValue` would give.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Nothing written yet in the innermost object or array: the next member or element needs no comma.
    private var atFirst = true

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    mutating func object(_ members: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        atFirst = true
        members(&self)
        bytes.append(UInt8(ascii: "}"))
        atFirst = false
    }

    mutating func array<Element>(_ elements: [Element], _ write: (inout JSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        atFirst = true
        for element in elements {
            separate()
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
        atFirst = false
    }

    /// A member's name; its value is written next.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func string(_ text: String?) {
        guard let text else { return null() }
        JSONValue.writeString(text, into: &bytes)
    }

    mutating func integer(_ number: Int?) {
        guard let number else { return null() }
        bytes.append(contentsOf: String(number).utf8)
    }

    mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }

    private mutating func separate() {
        if !atFirst { bytes.append(UInt8(ascii: ",")) }
        atFirst = false
    }
}
