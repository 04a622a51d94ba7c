import Crypto
import Foundation

/// Checks a one-stop callback the Standard Webhooks way before a byte of its body is parsed: the three
/// headers, a timestamp of digits only within five minutes of now, and at least one `v1,` signature that is
/// HMAC-SHA256 of `id.timestamp.body` under one of our secrets, compared in constant time.
struct WebhookVerifier: Sendable {
    enum Failure: Error, Equatable, Sendable {
        case missingHeader(String)
        case malformedId
        case malformedTimestamp
        case timestampOutsideWindow
        case noValidSignature
    }

    private let keys: [SymmetricKey]
    let tolerance: TimeInterval

    /// Several secrets let the gateway accept both keys while the one-stop rotates; each is `whsec_` + base64.
    init?(secrets: [String], tolerance: TimeInterval = 300) {
        var keys: [SymmetricKey] = []
        for secret in secrets {
            guard let key = Self.key(secret: secret) else { return nil }
            keys.append(key)
        }
        guard !keys.isEmpty else { return nil }
        self.keys = keys
        self.tolerance = tolerance
    }

    /// The key of a Standard Webhooks secret: `whsec_` and the base64 of at least 16 bytes; nil for anything else.
    static func key(secret: String) -> SymmetricKey? {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), bytes.count >= 16 else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// At most this many signatures are tried, so a header stuffed with thousands costs nothing.
    static let maxSignatures = 8

    func verify(id: String?, timestamp: String?, signatures: String?, body: some Collection<UInt8>, now: Date) throws(Failure) {
        guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader("webhook-timestamp") }
        guard let signatures, !signatures.isEmpty else { throw .missingHeader("webhook-signature") }
        // The id is kept for ever and shown to operators: printable ASCII, bounded.
        guard id.utf8.count <= 200, id.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { throw .malformedId }
        guard let seconds = Self.unixSeconds(timestamp) else { throw .malformedTimestamp }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw .timestampOutsideWindow }

        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        let candidates = signatures.split(separator: " ", omittingEmptySubsequences: true).prefix(Self.maxSignatures).compactMap { token -> Data? in
            guard token.hasPrefix("v1,"), let mac = Data(base64Encoded: String(token.dropFirst(3))), mac.count == SHA256.byteCount else { return nil }
            return mac
        }
        for mac in candidates {
            for key in keys where HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) {
                return
            }
        }
        throw .noValidSignature
    }

    /// `webhook-timestamp`: 1 to 12 ASCII digits and nothing else — no sign, no exponent, no `nan`, no space.
    static func unixSeconds(_ text: String) -> Int64? {
        guard (1...12).contains(text.utf8.count), text.isASCIIDigits else { return nil }
        return text.utf8.reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
    }
}
