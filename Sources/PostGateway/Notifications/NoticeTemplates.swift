import Foundation
import Yams

/// `config/notices.yaml` that cannot be used: the start stops and says which entry and why.
struct NoticeTemplateError: Error, CustomStringConvertible {
    let file: String
    let reason: String
    var description: String { "notice templates \(file): \(reason)" }
}

/// The wording of every milestone's message, editable without recompiling: the ZNS template Zalo approved (its id and
/// its text, whose fields are the template's parameters) and the unaccented SMS text. Plain `{{field}}` templates
/// (`FieldTemplate`): a message needs no sections, and its values are codes and dates the gateway makes.
struct NoticeTemplates: Sendable {
    struct Entry: Sendable {
        let zaloTemplateId: String
        let text: FieldTemplate
        let sms: FieldTemplate
        /// The fields the ZNS template takes, sent as its `template_data`.
        let zaloParameters: [String]
    }

    let entries: [NoticeMilestone: Entry]

    func entry(_ milestone: NoticeMilestone) -> Entry { entries[milestone]! }

    /// The longest value each field can take, for the SMS length check. `office` is cut to this length when sent; a
    /// mã hồ sơ is the one-stop's, at most 50 characters as the gateway takes it (`ResultOrder+Parsing`).
    static func longestValues(publicBaseURL: String) -> [String: String] {
        [
            "code": String(repeating: "W", count: 13), "link": publicBaseURL + "/t/" + String(repeating: "W", count: 13),
            "pin": String(repeating: "9", count: TrackingPins.digits), "time": "23:59 31/12/2099",
            "dossierCode": String(repeating: "W", count: 50), "appointment": "31/12/2099", "day": "31/12/2099",
            "until": "31/12/2099", "office": String(repeating: "W", count: officeNameLimit),
        ]
    }

    /// An office's name longer than this is cut in an SMS.
    static let officeNameLimit = 40

    static func load(from path: String, publicBaseURL: String) throws -> NoticeTemplates {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw NoticeTemplateError(file: path, reason: "cannot be read (notifications.templates)")
        }
        do {
            return try parse(text, publicBaseURL: publicBaseURL)
        } catch let error as NoticeTemplateError {
            throw NoticeTemplateError(file: path, reason: error.reason)
        }
    }

    static func parse(_ text: String, publicBaseURL: String) throws -> NoticeTemplates {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw NoticeTemplateError(file: "", reason: "is not YAML: \(error)") }
        guard let mapping = root?.mapping else { throw NoticeTemplateError(file: "", reason: "must map each milestone to its entry") }
        var entries: [NoticeMilestone: Entry] = [:]
        let longest = longestValues(publicBaseURL: publicBaseURL)
        for (key, value) in mapping {
            guard let name = key.string, let milestone = NoticeMilestone(rawValue: name) else {
                throw NoticeTemplateError(
                    file: "",
                    reason: "\(key.string ?? "?") is not a milestone; they are \(NoticeMilestone.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            func field(_ field: String) throws -> String {
                guard let text = value.mapping?[field]?.string, !text.isEmpty else {
                    throw NoticeTemplateError(file: "", reason: "\(name).\(field) is missing or empty")
                }
                return text
            }
            if let unknown = value.mapping?.keys.compactMap(\.string).first(where: { !["zalo", "text", "sms"].contains($0) }) {
                throw NoticeTemplateError(file: "", reason: "\(name).\(unknown) is not a field; an entry has zalo, text and sms")
            }
            func template(_ key: String) throws -> FieldTemplate {
                let source = try field(key)
                do throws(FieldTemplate.ParseError) {
                    return try FieldTemplate(parsing: source, knownFields: milestone.placeholders, rawFields: [])
                } catch {
                    throw NoticeTemplateError(file: "", reason: "\(name).\(key) \(error.reason)")
                }
            }
            let sms = try template("sms")
            let rendered = sms.render(longest, escape: { $0 })
            guard let septets = SMSText.septetCount(rendered) else {
                throw NoticeTemplateError(file: "", reason: "\(name).sms must be written without accents (GSM-7 only)")
            }
            guard septets <= SMSText.limit else {
                throw NoticeTemplateError(
                    file: "", reason: "\(name).sms takes \(septets) characters with the longest values; one SMS holds \(SMSText.limit)")
            }
            let text = try template("text")
            let parameters = text.segments.compactMap { if case .field(let name, _) = $0 { name } else { nil } }
            entries[milestone] = Entry(zaloTemplateId: try field("zalo"), text: text, sms: sms, zaloParameters: Array(Set(parameters)).sorted())
        }
        let missing = NoticeMilestone.allCases.filter { entries[$0] == nil }
        guard missing.isEmpty else {
            throw NoticeTemplateError(file: "", reason: "has no entry for \(missing.map(\.rawValue).joined(separator: ", "))")
        }
        return NoticeTemplates(entries: entries)
    }
}
