import Crypto
import Foundation

/// The PIN printed on the citizen's receipt, which unlocks the fuller public tracking view.
///
/// The PIN is derived from the tracking number with a secret key (HMAC-SHA256), so it never has to be
/// stored: the ledger keeps only a keyed hash to check it against, and a receipt reprinted later shows the
/// same PIN. The key lives in config or the environment, or is generated once into the data folder.
struct TrackingPins: Sendable {
    static let digits = 6
    /// The HMAC with the key already taken in, copied for each code: keying it afresh (padding the key, hashing
    /// both pads) cost as much as the rest of the code, three times per intake.
    private let keyed: HMAC<SHA256>

    init(key: SymmetricKey) { keyed = HMAC(key: key) }

    func pin(for trackingNumber: TrackingNumber) -> String {
        let mac = code("pin|\(trackingNumber)")
        let value = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: Self.digits - text.count) + text
    }

    func hash(pin: String, for trackingNumber: TrackingNumber) -> String {
        Data(code("verify|\(trackingNumber)|\(pin)")).base64EncodedString()
    }

    /// What the idempotency record keeps of an intake's body (canonical JSON: the same JSON with its keys in another
    /// order or other white space is the same request). Keyed, because the body holds the ID number and a plain
    /// hash of it, beside the other fields in the dossier row, could be searched for the number's 12 digits.
    /// Of the body's canonical bytes (`JSONValue.canonicalBytes`), with no string made of them.
    func requestHash(_ canonicalBody: [UInt8]) -> String {
        var mac = keyed
        var label = "request|"
        label.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        canonicalBody.withUnsafeBytes { mac.update(data: $0) }
        return Hex.string(mac.finalize())
    }

    /// Constant-time comparison of a typed PIN against the stored hash (a MAC compared to bytes is `safeCompare`).
    func matches(pin: String, for trackingNumber: TrackingNumber, storedHash: String) -> Bool {
        guard let stored = Data(base64Encoded: storedHash) else { return false }
        return code("verify|\(trackingNumber)|\(pin)") == stored
    }

    /// The MAC of the parts' UTF-8 one after the other, as of their concatenation.
    private func code(_ parts: String...) -> HashedAuthenticationCode<SHA256> {
        var mac = keyed
        for var part in parts {
            part.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        }
        return mac.finalize()
    }
}

extension TrackingPins {
    /// The key from config when given, otherwise the one kept in `<data>/secrets/pin.key`, made on first use.
    static func load(configuredKey: String?, dataDirectory: String) throws -> TrackingPins {
        let encoded =
            try configuredKey
            ?? SecretFile.read(
                named: "pin.key", dataDirectory: dataDirectory, validate: { Data(base64Encoded: $0)?.count == 32 },
                make: { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString() })
        return TrackingPins(key: SymmetricKey(data: Data(base64Encoded: encoded)!))
    }
}
