import Crypto
import Foundation

/// Standard Webhooks signing: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed with the bytes of a
/// `whsec_…` secret.
public struct WebhookSigner: Sendable {
    private let key: SymmetricKey

    /// `secret` is `whsec_` followed by base64, or nil when it is not.
    public init?(secret: String) {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), bytes.count >= 16 else { return nil }
        key = SymmetricKey(data: bytes)
    }

    public func signature(id: String, timestamp: String, body: Data) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: signed, using: key)).base64EncodedString()
    }

    /// A fresh secret in the `whsec_` form.
    public static func makeSecret() -> String {
        "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
    }
}
