/// Text made safe for HTML and XML (SVG), in element content and in quoted attribute values alike.
///
/// It works on UTF-8 bytes: every character it replaces is ASCII, and an ASCII byte never occurs inside a
/// multi-byte scalar. Comparing Swift `Character`s instead is the trap this type exists for: `"\u{600}<"` and
/// `"<\u{301}"` are each one grapheme cluster that is not equal to `"<"`, so a `<` went out raw.
enum Markup {
    static func escaped(_ text: String) -> String {
        let needsWork = text.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"): true
            case 0..<0x20, 0x7F: true
            case 0xEF: true  // may begin U+FFFE or U+FFFF, which XML does not allow
            default: false
            }
        }
        guard needsWork else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output.append(contentsOf: "&amp;".unicodeScalars)
            case "<": output.append(contentsOf: "&lt;".unicodeScalars)
            case ">": output.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
            case "'": output.append(contentsOf: "&#39;".unicodeScalars)
            case "`": output.append(contentsOf: "&#96;".unicodeScalars)
            // As references, so that an XML reader keeps them as they are in an attribute (where it would read each
            // as a space) and a CR as a CR; a browser shows them as the characters themselves.
            case "\t": output.append(contentsOf: "&#9;".unicodeScalars)
            case "\n": output.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": output.append(contentsOf: "&#13;".unicodeScalars)
            // Characters XML 1.0 forbids even as references: an SVG with one would not open at all.
            case "\u{0}"..."\u{1F}", "\u{7F}", "\u{FFFE}", "\u{FFFF}": output.append("\u{FFFD}")
            default: output.append(scalar)
            }
        }
        return String(output)
    }
}
