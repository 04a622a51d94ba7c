import Foundation

/// The registration's frozen payload keeps the ID number sealed at rest like the dossier row does; the
/// forwarder opens it only for the moment of sending, so every retry still sends the same bytes.
extension OneStopRegistration {
    static func sealingIdNumber(_ payload: String, with idNumbers: IdNumberSealer) -> String {
        replacingIdNumber(in: payload) { $0.hasPrefix(IdNumberSealer.prefix) ? $0 : idNumbers.seal($0) }
    }

    /// The payload to send. One whose key has left the keyring stays sealed and the one-stop refuses it:
    /// the message goes dead and an operator sees it, rather than guessing.
    static func openingIdNumber(_ payload: String, with idNumbers: IdNumberSealer) -> String {
        replacingIdNumber(in: payload) { (try? idNumbers.open($0)) ?? $0 }
    }

    private static func replacingIdNumber(in payload: String, _ change: (String) -> String) -> String {
        guard case .object(var fields)? = try? JSONValue(parsing: Data(payload.utf8)), case .string(let value)? = fields["SoGiayTo"]
        else { return payload }
        fields["SoGiayTo"] = .string(change(value))
        return JSONValue.object(fields).canonicalText
    }
}
