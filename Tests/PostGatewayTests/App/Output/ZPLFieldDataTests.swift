import Foundation
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
                if hex, byte == UInt8(ascii: "_"), data.count >= 3,
                    let value = UInt8(String(decoding: data.dropFirst().prefix(2), as: UTF8.self), radix: 16)
                {
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
        let template = try FieldTemplate(
            parsing: "^XA^FO40,40^A1N,28,28^FH^FD{{senderName}}^FS^FO40,90^FH^FDx^FS^XZ",
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

/// The shipped label templates, every text field filled with hostile text: the SVG still reads as the same drawing with
/// the text as text, and the ZPL prints each field as typed and no command of its own.
@Suite struct LabelTemplateEscapingTests {
    static let templates = try! LabelTemplates.load(from: TestSupport.packageRoot.appending(path: "labels"))
    static func isText(_ field: String) -> Bool { !LabelData.svgGraphicNames.contains(field) && !LabelData.zplGraphicNames.contains(field) }

    @Test func theSVGLabelStaysOneWellFormedDrawing() async {
        await propertyCheck(input: HostileText.gen) { text in
            let svg = Self.templates.svg.render(lookup: { Self.isText($0) ? text : "" }, escape: Markup.escaped)
            let reading = XMLReading.read(svg)
            #expect(reading != nil)
            #expect(reading?.elements.filter { $0 != "text" && $0 != "tspan" && $0 != "g" && $0 != "rect" && $0 != "line" } == ["svg"])
            // By bytes: a text that starts with a combining mark is not "contained" as Swift Characters count.
            let expected = Data(MarkupTests.asXMLReadsIt(text).utf8)
            #expect(expected.isEmpty || Data((reading?.text ?? "").utf8).range(of: expected) != nil)
        }
    }

    @Test func theZPLLabelPrintsEachFieldAsTypedAndNoCommandOfItsOwn() async {
        let empty = Self.templates.zpl.render(lookup: { _ in "" }, escape: ZPLFieldData.escaped)
        let commands = ZPLFieldDataTests.fields(empty).count
        await propertyCheck(input: HostileText.gen) { text in
            let zpl = Self.templates.zpl.render(lookup: { Self.isText($0) ? text : "" }, escape: ZPLFieldData.escaped)
            #expect(ZPLFieldDataTests.fields(zpl).count == commands)
            #expect(ZPLFieldDataTests.fields(zpl).contains(text))
            #expect(zpl.components(separatedBy: "^BC").count == 2 && zpl.components(separatedBy: "^XZ").count == 2)
        }
    }
}
