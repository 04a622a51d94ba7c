import Foundation

/// The registration's frozen payload keeps the ID number sealed at rest like the dossier row does; the
/// forwarder opens it only for the moment of sending, so every retry still sends the same bytes.
extension OneStopRegistration {
    static func sealingIdNumber(_ payload: String, with idNumbers: IdNumberSealer) -> String {
        replacingIdNumber(in: payload) { $0.hasPrefix(IdNumberSealer.prefix) ? $0 : idNumbers.seal($0) }
    }

    /// The payload to send; nil when its number was sealed with a key that has left the keyring, so that the
    /// sealed text is never sent as if it were the number.
    static func openingIdNumber(_ payload: String, with idNumbers: IdNumberSealer) -> String? {
        try? replacingIdNumber(in: payload) { $0.hasPrefix(IdNumberSealer.prefix) ? try idNumbers.open($0) : $0 }
    }

    private static func replacingIdNumber(in payload: String, _ change: (String) throws -> String) rethrows -> String {
        guard case .object(var fields)? = try? JSONValue(parsing: Data(payload.utf8)), case .string(let value)? = fields["SoGiayTo"]
        else { return payload }
        fields["SoGiayTo"] = .string(try change(value))
        return JSONValue.object(fields).canonicalText
    }
}
