import Foundation
import Mustache

/// The server-rendered pages (public tracking and the staff pages), Mustache files shipped inside the
/// executable: unlike labels and receipts, provinces do not restyle these.
struct WebTemplates: Sendable {
    let track: MustacheTemplate
    let counter: MustacheTemplate
    let scan: MustacheTemplate
    let handovers: MustacheTemplate
    let handover: MustacheTemplate
    let dashboard: MustacheTemplate
    let login: MustacheTemplate
    let account: MustacheTemplate

    static func load() throws -> WebTemplates {
        func template(_ name: String) throws -> MustacheTemplate {
            guard let url = Bundle.module.url(forResource: name, withExtension: "html.mustache", subdirectory: "Templates")
                    ?? Bundle.module.url(forResource: name, withExtension: "html.mustache")
            else { throw LabelTemplateError(file: "\(name).html.mustache", reason: "is missing from the executable's resources") }
            return try MarkupTemplate.parse(try String(contentsOf: url, encoding: .utf8), rawFields: ["chart"])
        }
        return WebTemplates(track: try template("track"), counter: try template("counter"), scan: try template("scan"),
                            handovers: try template("handovers"), handover: try template("handover"),
                            dashboard: try template("dashboard"), login: try template("login"), account: try template("account"))
    }
}
