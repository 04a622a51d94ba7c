import Foundation

/// Renders the label of any item, dossier or result, as SVG (a browser prints it) or ZPL (a 203 dpi thermal printer).
struct LabelRenderer: Sendable {
    enum Format: String, CaseIterable, Sendable {
        case svg, zpl

        var contentType: String {
            switch self {
            case .svg: "image/svg+xml; charset=utf-8"
            case .zpl: "application/zpl; charset=utf-8"
            }
        }
    }

    let templates: LabelTemplates
    let reference: ReferenceData
    let publicBaseURL: String

    func render(_ detail: DossierDetail, trackingNumber: TrackingNumber, format: Format) throws -> String {
        let data = try LabelData(detail: detail, trackingNumber: trackingNumber, reference: reference, publicBaseURL: publicBaseURL)
        switch format {
        case .svg: return templates.svg.render(data.svgFields)
        case .zpl: return templates.zpl.render(data.zplFields)
        }
    }

    /// ZPL templates print values with ^FH, so the field-data characters ^ ~ _ travel hex-escaped.
    static func zplFieldData(_ text: String) -> String {
        text.replacingOccurrences(of: "_", with: "_5F").replacingOccurrences(of: "^", with: "_5E").replacingOccurrences(of: "~", with: "_7E")
    }
}
