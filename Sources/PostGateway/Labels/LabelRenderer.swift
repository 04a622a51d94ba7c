import Foundation

/// Renders the label of any item, dossier or result, as SVG (a browser prints it) or ZPL (a 203 dpi thermal printer).
package struct LabelRenderer: Sendable {
    package enum Format: String, CaseIterable, Sendable {
        case svg, zpl

        var contentType: String {
            switch self {
            case .svg: "image/svg+xml; charset=utf-8"
            case .zpl: "application/zpl; charset=utf-8"
            }
        }
    }

    let templates: LabelTemplates
    package let reference: ReferenceData
    package let publicBaseURL: String

    package init(templates: LabelTemplates, reference: ReferenceData, publicBaseURL: String) {
        self.templates = templates
        self.reference = reference
        self.publicBaseURL = publicBaseURL
    }

    package func render(_ detail: DossierDetail, trackingNumber: TrackingNumber, format: Format) throws -> String {
        let data = try LabelData(detail: detail, trackingNumber: trackingNumber, reference: reference, publicBaseURL: publicBaseURL)
        switch format {
        case .svg:
            let graphics = data.svgGraphics
            return templates.svg.render(lookup: { data.fields[$0] ?? graphics[$0] }, escape: Markup.escaped)
        case .zpl: return templates.zpl.render(data.zplFields, escape: ZPLFieldData.escaped)
        }
    }
}
