import Foundation
import PropertyBased
import Testing

@testable import PostGateway

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads an XML document back: each element's attributes and text, as an XML reader (not a test's own parsing) sees them.
final class XMLReading: NSObject, XMLParserDelegate {
    private(set) var elements: [String] = []
    private(set) var attributes: [String: String] = [:]
    private(set) var text = ""

    static func read(_ document: String) -> XMLReading? {
        let reading = XMLReading()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = reading
        return parser.parse() ? reading : nil
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(elementName)
        self.attributes.merge(attributes) { $1 }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite struct MarkupTests {
    /// What an XML reader gives back for the text: itself, but for the scalars XML cannot carry at all.
    static func asXMLReadsIt(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0x09, 0x0A, 0x0D: scalar
                    case 0..<0x20, 0x7F, 0xFFFE, 0xFFFF: "\u{FFFD}"
                    default: scalar
                    }
                }))
    }

    @Test func hostileTextInAnAttributeAndAnElementReadsBackAsTheSameText() async {
        await propertyCheck(input: HostileText.gen) { text in
            let escaped = Markup.escaped(text)
            let reading = XMLReading.read("<svg><text class=\"\(escaped)\" data-b='\(escaped)'>\(escaped)</text></svg>")
            #expect(reading?.elements == ["svg", "text"], "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(reading?.attributes["class"] == Self.asXMLReadsIt(text))
            #expect(reading?.attributes["data-b"] == Self.asXMLReadsIt(text))
            #expect(reading?.text == Self.asXMLReadsIt(text))
        }
    }

    @Test func theCharactersThatJoinTheirNeighboursDoNotHideAMarkupCharacter() {
        // Each is one Swift Character that is not equal to the character it holds.
        for attack in ["A\u{600}<img src=x onerror=alert(1)//\u{600}>", "<\u{301}script>", "\"\u{FF9E}/autofocus/onfocus=x//", "&\u{200D}lt;"] {
            let escaped = Markup.escaped(attack)
            #expect(!escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) }, "\(escaped)")
        }
        #expect(Markup.escaped("Nguyễn Thị Hồng Nhung") == "Nguyễn Thị Hồng Nhung")
        #expect(Markup.escaped("a<b") == "a&lt;b")
    }

    @Test func aMustacheTemplateEscapesByScalarsInTextAndInAttributes() async throws {
        let template = try MarkupTemplate.parse("<p title=\"{{v}}\">{{v}}</p>")
        await propertyCheck(input: HostileText.gen) { text in
            let reading = XMLReading.read(template.render(["v": text]))
            #expect(reading?.elements == ["p"])
            #expect(reading?.attributes["title"] == Self.asXMLReadsIt(text))
            #expect(reading?.text == Self.asXMLReadsIt(text))
        }
    }

    @Test func aTemplateMayNotTurnEscapingOffNorInsertTextRaw() {
        for text in ["{{% CONTENT_TYPE: HTML }}<p>{{v}}</p>", "{{=<% %>=}}<p><%{v}%></p>", "<p>{{{v}}}</p>", "<p>{{& v}}</p>", "{{> other}}"] {
            #expect(throws: MarkupTemplate.Refusal.self, "\(text)") { try MarkupTemplate.parse(text) }
        }
        #expect(throws: Never.self) { try MarkupTemplate.parse("<svg>{{{qrSVG}}}</svg>", rawFields: ["qrSVG"]) }
    }
}
