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
    /// A dossier's messages to the citizen.
    let notices: MustacheTemplate
    /// Shown at the top of every staff page while dossiers go to the sandbox one-stop (`forwardsToSandbox`).
    var sandboxBanner: String? = nil

    static let sandboxWords = "MÔI TRƯỜNG THỬ — hồ sơ đang được chuyển tới hệ thống một cửa giả lập (sandbox), không tới hệ thống một cửa của tỉnh."

    static func load() throws -> WebTemplates {
        func template(_ name: String) throws -> MustacheTemplate {
            guard
                let url = Bundle.module.url(forResource: name, withExtension: "html.mustache", subdirectory: "Templates")
                    ?? Bundle.module.url(forResource: name, withExtension: "html.mustache")
            else { throw LabelTemplateError(file: "\(name).html.mustache", reason: "is missing from the executable's resources") }
            return try MarkupTemplate.parse(try String(contentsOf: url, encoding: .utf8), rawFields: ["chart"])
        }
        return WebTemplates(
            track: try template("track"), counter: try template("counter"), scan: try template("scan"),
            handovers: try template("handovers"), handover: try template("handover"),
            dashboard: try template("dashboard"), login: try template("login"), account: try template("account"),
            notices: try template("notices"))
    }
}
