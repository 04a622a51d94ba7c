import Crypto
import Foundation

/// The random secrets of staff access: API tokens, session cookies, CSRF tokens and generated passwords.
/// Only SHA-256 hashes of tokens and sessions reach the ledger; 256 random bits need no slow hash.
package enum StaffSecrets {
    /// A recognisable prefix, so that a token pasted where it should not be is easy to find and revoke.
    static let tokenPrefix = "pgw_"

    package static func randomText(bytes: Int = 32) -> String {
        let data = SymmetricKey(size: .init(bitCount: bytes * 8)).withUnsafeBytes { Data($0) }
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func newToken() -> String { tokenPrefix + randomText() }

    static func hash(_ secret: String) -> String { Hex.string(SHA256.hash(data: Data(secret.utf8))) }

    /// A password to read out or print once: 16 characters from an alphabet without look-alikes (≈ 90 bits).
    static func newPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
