import Mustache

/// Every Mustache template of the gateway (pages, receipt, manifest) is parsed here, so that `{{value}}` goes through
/// `Markup.escaped`. swift-mustache's own HTML escaping compares Swift `Character`s, and lets `"\u{600}<"` through raw.
///
/// The library's way to change escaping is a content type selected by a `{{% CONTENT_TYPE: … }}` pragma, looked up
/// when a template is parsed: the pragma is put before the template's own text. A template may not change it back,
/// nor call partials (swift-mustache renders a partial with its HTML escaping whatever the caller chose).
enum MarkupTemplate {
    struct Refusal: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    private static let contentTypeName = "POSTGATEWAY_MARKUP"

    private struct ContentType: MustacheContentType {
        func escapeText(_ text: String) -> String { Markup.escaped(text) }
    }

    /// - Parameter rawFields: the only names `{{{…}}}` or `{{&…}}` may insert unescaped (drawings the gateway makes).
    static func parse(_ text: String, rawFields: Set<String> = []) throws -> MustacheTemplate {
        for tag in tags(in: text) {
            if let first = tag.first, "%><$=".contains(first) {
                throw Refusal(reason: "{{\(tag)}}: pragmas, delimiters, partials and blocks are not allowed; values are escaped by the gateway")
            }
            if tag.hasPrefix("{") || tag.hasPrefix("&") {
                let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                guard rawFields.contains(name) else {
                    throw Refusal(
                        reason:
                            "{{\(tag)}}: only \(rawFields.isEmpty ? "no field" : rawFields.sorted().joined(separator: ", ")) may be inserted unescaped"
                    )
                }
            }
        }
        MustacheContentTypes.register(ContentType(), named: contentTypeName)
        return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(contentTypeName) }}" + text)
    }

    /// The text between each `{{` and the `}}` that closes it, trimmed (a triple mustache keeps its first `{`).
    static func tags(in text: String) -> [String] {
        var tags: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else { break }
            tags.append(afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = afterOpen[close.upperBound...]
        }
        return tags
    }
}
