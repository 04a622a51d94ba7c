import Crypto
import Foundation

/// One line of the audit log: who did or saw what, when, from where, and how it ended (the HTTP status).
struct AuditEntry: Sendable, Equatable {
    let actor: String
    let action: String
    let subject: String?
    let officeCode: String?
    let remoteAddress: String?
    let outcome: Int

    /// The first row's previous hash.
    static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over the previous row's hash and every field of this row, as a canonical JSON array so that no
    /// field's text can be made to look like two.
    static func chainHash(
        previous: String, id: Int64, at: String, actor: String, action: String, subject: String?,
        officeCode: String?, remoteAddress: String?, outcome: Int
    ) -> String {
        let text = JSONValue.array([
            .string(previous), .integer(id), .string(at), .string(actor), .string(action), subject.map(JSONValue.string) ?? .null,
            officeCode.map(JSONValue.string) ?? .null, remoteAddress.map(JSONValue.string) ?? .null, .integer(Int64(outcome)),
        ]).canonicalText
        return Hex.string(SHA256.hash(data: Data(text.utf8)))
    }
}
