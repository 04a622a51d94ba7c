import PropertyBased
import Testing
@testable import PostGateway

@Suite struct ZPLFieldDataTests {
    /// The fields of a ZPL label as a printer reads them: the data after each `^FD` up to the next `^` or `~` (where a
    /// printer takes the next command), with `_XX` read as a byte when the field was opened with `^FH`.
    static func fields(_ zpl: String) -> [String] {
        var fields: [String] = []
        var hex = false
        var rest = Array(zpl.utf8)[...]
        while let caret = rest.firstIndex(where: { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "~") }) {
            let command = String(decoding: rest[(caret + 1)...].prefix(2), as: UTF8.self)
            rest = rest[(caret + 1)...].dropFirst(2)
            if command == "FH" { hex = true }
            guard command == "FD" else { continue }
            let end = rest.firstIndex(where: { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "~") }) ?? rest.endIndex
            var bytes: [UInt8] = []
            var data = rest[..<end]
            while let byte = data.first {
                if hex, byte == UInt8(ascii: "_"), data.count >= 3, let value = UInt8(String(decoding: data.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    data = data.dropFirst(3)
                } else {
                    bytes.append(byte)
                    data = data.dropFirst()
                }
            }
            fields.append(String(decoding: bytes, as: UTF8.self))
            hex = false
            rest = rest[end...]
        }
        return fields
    }

    @Test func hostileTextStaysOneFieldAndPrintsAsItself() async throws {
        let template = try FieldTemplate(parsing: "^XA^FO40,40^A1N,28,28^FH^FD{{senderName}}^FS^FO40,90^FH^FDx^FS^XZ",
                                         knownFields: ["senderName"], rawFields: [])
        await propertyCheck(input: HostileText.gen) { text in
            let zpl = template.render(["senderName": text], escape: ZPLFieldData.escaped)
            #expect(Self.fields(zpl) == [text, "x"], "\(zpl)")
        }
    }

    @Test func theIssuesAttackPrintsNoSecondBarcode() {
        let name = "A\u{600}^FS\u{600}^FO40,40\u{600}^BCN,100\u{600}^FDPH999999999VN\u{600}^FS"
        let escaped = ZPLFieldData.escaped(name)
        #expect(!escaped.utf8.contains(UInt8(ascii: "^")) && !escaped.utf8.contains(UInt8(ascii: "~")))
        #expect(ZPLFieldData.escaped("A^B~C_D") == "A_5EB_7EC_5FD")
    }

    @Test func aLabelTemplateThatPrintsATextFieldWithoutHexEscapesIsRefused() throws {
        let fields = LabelData.fieldNames
        let plain = try FieldTemplate(parsing: "^XA^FO1,1^FD{{senderName}}^FS^XZ", knownFields: fields, rawFields: [])
        #expect(LabelTemplates.fieldOutsideHexEscapes(plain) == "senderName")
        let hexed = try FieldTemplate(parsing: "^XA^FO1,1^FH^FDNgười gửi: {{senderName}}^FS^FO1,1^FDa^FS^XZ", knownFields: fields, rawFields: [])
        #expect(LabelTemplates.fieldOutsideHexEscapes(hexed) == nil)
        #expect(throws: FieldTemplate.ParseError.self) {
            try FieldTemplate(parsing: "^FH^FD{{{senderName}}}^FS", knownFields: fields, rawFields: LabelData.zplGraphicNames)
        }
    }
}
