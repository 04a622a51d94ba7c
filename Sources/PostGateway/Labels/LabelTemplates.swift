import Foundation
import Mustache

/// A template in `labels/` that cannot be used: the start stops and names the file and why.
struct LabelTemplateError: Error, CustomStringConvertible {
    let file: String
    let reason: String
    var description: String { "label template \(file): \(reason)" }
}

/// The printable templates a province may edit without recompiling: the label (SVG and ZPL, plain field
/// templates), the receipt (Phiếu gửi hồ sơ) and the handover manifest (Biên bản giao nhận), both Mustache.
struct LabelTemplates: Sendable {
    let svg: FieldTemplate
    let zpl: FieldTemplate
    let receipt: MustacheTemplate
    let manifest: MustacheTemplate

    static let files: [(name: String, fields: Set<String>)] = [
        ("label.svg.mustache", LabelData.fieldNames),
        ("label.zpl.mustache", LabelData.fieldNames),
        ("receipt.html.mustache", ReceiptData.fieldNames),
        ("manifest.html.mustache", ManifestData.fieldNames),
    ]

    static func load(from directory: URL) throws -> LabelTemplates {
        var labels: [FieldTemplate] = []
        var templates: [MustacheTemplate] = []
        for (name, fields) in files {
            let url = directory.appending(path: name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw LabelTemplateError(file: url.path, reason: "cannot be read")
            }
            if name.hasPrefix("label.") {
                do throws(FieldTemplate.ParseError) {
                    labels.append(try FieldTemplate(parsing: text, knownFields: fields))
                } catch {
                    throw LabelTemplateError(file: url.path, reason: error.reason)
                }
                continue
            }
            let unknown = Self.tagNames(in: text).subtracting(fields)
            guard unknown.isEmpty else {
                throw LabelTemplateError(file: url.path, reason: "refers to unknown field(s) \(unknown.sorted().joined(separator: ", ")); "
                                         + "known fields are \(fields.sorted().joined(separator: ", "))")
            }
            do { templates.append(try MustacheTemplate(string: text)) } catch {
                throw LabelTemplateError(file: url.path, reason: "is not a valid Mustache template: \(error)")
            }
        }
        return LabelTemplates(svg: labels[0], zpl: labels[1], receipt: templates[0], manifest: templates[1])
    }

    /// The names a Mustache template refers to: `{{name}}`, `{{{name}}}`, `{{&name}}`, sections `{{#name}}`,
    /// `{{^name}}`, `{{/name}}`; comments and partials are not fields. A dotted name counts by its first part.
    static func tagNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else { break }
            var tag = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = afterOpen[close.upperBound...]
            if tag.hasPrefix("!") || tag.hasPrefix(">") || tag.hasPrefix("%") || tag.hasPrefix("=") { continue }
            if tag.hasPrefix("{") { tag.removeFirst(); if rest.hasPrefix("}") { rest = rest.dropFirst() } }
            if let first = tag.first, "#^/&".contains(first) { tag.removeFirst() }
            let name = tag.trimmingCharacters(in: .whitespaces).split(separator: ".").first.map(String.init) ?? ""
            if !name.isEmpty { names.insert(name) }
        }
        return names
    }
}
