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
package struct LabelTemplates: Sendable {
    let svg: FieldTemplate
    let zpl: FieldTemplate
    let receipt: MustacheTemplate
    let manifest: MustacheTemplate
    /// The biên bản of results collected at a desk in one batch.
    let pickupManifest: MustacheTemplate
    /// The receipt of a result order taken at the counter.
    let orderReceipt: MustacheTemplate

    static let files: [(name: String, fields: Set<String>)] = [
        ("label.svg.mustache", LabelData.fieldNames),
        ("label.zpl.mustache", LabelData.fieldNames),
        ("receipt.html.mustache", ReceiptData.fieldNames),
        ("manifest.html.mustache", ManifestData.fieldNames),
        ("pickup-manifest.html.mustache", PickupManifestData.fieldNames),
        ("order-receipt.html.mustache", OrderReceiptData.fieldNames),
    ]

    package static func load(from directory: URL) throws -> LabelTemplates {
        var labels: [FieldTemplate] = []
        var templates: [MustacheTemplate] = []
        for (name, fields) in files {
            let url = directory.appending(path: name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw LabelTemplateError(file: url.path, reason: "cannot be read")
            }
            if name.hasPrefix("label.") {
                do throws(FieldTemplate.ParseError) {
                    let rawFields = name.hasSuffix(".svg.mustache") ? LabelData.svgGraphicNames : LabelData.zplGraphicNames
                    let label = try FieldTemplate(parsing: text, knownFields: fields, rawFields: rawFields)
                    if name.hasSuffix(".zpl.mustache"), let field = Self.fieldOutsideHexEscapes(label) {
                        throw FieldTemplate.ParseError(
                            reason: "{{\(field)}} must be printed in a field that starts ^FH^FD: without ^FH its escapes print as they are")
                    }
                    labels.append(label)
                } catch {
                    throw LabelTemplateError(file: url.path, reason: error.reason)
                }
                continue
            }
            let unknown = Self.tagNames(in: text).subtracting(fields)
            guard unknown.isEmpty else {
                throw LabelTemplateError(
                    file: url.path,
                    reason: "refers to unknown field(s) \(unknown.sorted().joined(separator: ", ")); "
                        + "known fields are \(fields.sorted().joined(separator: ", "))")
            }
            do {
                templates.append(try MarkupTemplate.parse(text, rawFields: name.hasSuffix("receipt.html.mustache") ? LabelData.svgGraphicNames : []))
            } catch let refusal as MarkupTemplate.Refusal {
                throw LabelTemplateError(file: url.path, reason: refusal.reason)
            } catch {
                throw LabelTemplateError(file: url.path, reason: "is not a valid Mustache template: \(error)")
            }
        }
        return LabelTemplates(
            svg: labels[0], zpl: labels[1], receipt: templates[0], manifest: templates[1], pickupManifest: templates[2],
            orderReceipt: templates[3])
    }

    /// The first text field of a ZPL template that is not inside a `^FH` … `^FD` … `^FS` field, where its hex escapes
    /// are read as escapes.
    static func fieldOutsideHexEscapes(_ template: FieldTemplate) -> String? {
        var sinceFieldEnd = ""
        for segment in template.segments {
            switch segment {
            case .text(let text):
                sinceFieldEnd += text
                if let end = sinceFieldEnd.range(of: "^FS", options: .backwards) { sinceFieldEnd = String(sinceFieldEnd[end.upperBound...]) }
            case .field(let name, let escaped):
                guard escaped else { continue }
                guard let data = sinceFieldEnd.range(of: "^FD", options: .backwards),
                    sinceFieldEnd[..<data.lowerBound].contains("^FH")
                else { return name }
            }
        }
        return nil
    }

    /// The names a Mustache template refers to: `{{name}}`, `{{{name}}}`, `{{&name}}`, sections `{{#name}}`,
    /// `{{^name}}`, `{{/name}}`; comments and partials are not fields. A dotted name counts by its first part.
    static func tagNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        for var tag in MarkupTemplate.tags(in: text) {
            if tag.hasPrefix("!") || tag.hasPrefix(">") || tag.hasPrefix("%") || tag.hasPrefix("=") { continue }
            if tag.hasPrefix("{") { tag.removeFirst() }
            if let first = tag.first, "#^/&".contains(first) { tag.removeFirst() }
            let name = tag.trimmingCharacters(in: .whitespaces).split(separator: ".").first.map(String.init) ?? ""
            if !name.isEmpty { names.insert(name) }
        }
        return names
    }
}
