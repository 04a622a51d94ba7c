/// A label template: text with `{{field}}` (escaped for the output format) and `{{{field}}}` (inserted as is),
/// and `{{! comments }}`. Labels need nothing more, and so small a language is easy to check: every `{{field}}`
/// goes through the escaper of the label's format (SVG or ZPL). Receipts and manifests, which need sections, stay
/// with swift-mustache.
struct FieldTemplate: Sendable {
    enum Segment: Sendable, Equatable {
        case text(String)
        case field(String, escaped: Bool)
    }

    struct ParseError: Error { let reason: String }

    let segments: [Segment]

    /// - Parameter rawFields: the only fields `{{{…}}}` may insert as they are: drawings the gateway makes, never text.
    init(parsing text: String, knownFields: Set<String>, rawFields: Set<String>) throws(ParseError) {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            let triple = rest[open.upperBound...].hasPrefix("{")
            let nameStart = triple ? rest.index(after: open.upperBound) : open.upperBound
            let closing = triple ? "}}}" : "}}"
            guard let close = rest[nameStart...].range(of: closing) else { throw ParseError(reason: "a {{ is never closed") }
            let tag = rest[nameStart..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("!") { continue }
            guard !tag.isEmpty, tag.allSatisfy({ $0.isLetter || $0.isNumber }) else {
                throw ParseError(reason: "{{\(tag)}}: label templates take plain field names only (no sections or partials)")
            }
            guard knownFields.contains(tag) else {
                throw ParseError(reason: "refers to unknown field \(tag); known fields are \(knownFields.sorted().joined(separator: ", "))")
            }
            guard !triple || rawFields.contains(tag) else {
                throw ParseError(reason: "{{{\(tag)}}}: only \(rawFields.sorted().joined(separator: ", ")) may be inserted as they are")
            }
            segments.append(.field(tag, escaped: !triple))
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        self.segments = segments
    }

    func render(_ fields: [String: String], escape: (String) -> String) -> String {
        render(lookup: { fields[$0] }, escape: escape)
    }

    /// Renders with values looked up by name, so that callers can layer sources without merging dictionaries.
    func render(lookup: (String) -> String?, escape: (String) -> String) -> String {
        var output = ""
        output.reserveCapacity(16_384)
        for segment in segments {
            switch segment {
            case .text(let text): output += text
            case .field(let name, let escaped):
                let value = lookup(name) ?? ""
                output += escaped ? escape(value) : value
            }
        }
        return output
    }
}
