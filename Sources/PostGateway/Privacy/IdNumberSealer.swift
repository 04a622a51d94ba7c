import Crypto
import Foundation

/// Seals citizens' ID numbers at rest (AES-256-GCM) and opens them for the few views allowed to show them.
///
/// A sealed value names the key that sealed it — `aesgcm:<keyId>:<base64 nonce|ciphertext|tag>` — so keys
/// can rotate: the keyring's first key seals, every key in it opens, and `postgateway reseal` rewrites the
/// ledger under the first key before an old one is dropped.
package struct IdNumberSealer: Sendable {
    struct Key: Sendable {
        let id: String
        let key: SymmetricKey
    }

    static let prefix = "aesgcm:"
    /// Binds a sealed value to its purpose, so it cannot be swapped in for another encrypted field.
    private static let purpose = Data("dossier.applicantIdNumber".utf8)

    let current: Key
    private let keys: [String: SymmetricKey]

    init(keys: [Key]) {
        precondition(!keys.isEmpty, "a keyring has at least one key")
        current = keys[0]
        self.keys = Dictionary(keys.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first })
    }

    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    package func seal(_ plain: String) -> String {
        let box = try! AES.GCM.seal(Data(plain.utf8), using: current.key, authenticating: Self.purpose)
        return Self.prefix + current.id + ":" + box.combined!.base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "aesgcm", let data = Data(base64Encoded: String(parts[2])) else {
            throw OpenError(description: "not a sealed value")
        }
        guard let key = keys[String(parts[1])] else { throw OpenError(description: "sealed with key \(parts[1]), which is not in the keyring") }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: key, authenticating: Self.purpose), as: UTF8.self)
    }

    /// What staff see everywhere but their own office's detail view: the last three digits.
    static func mask(_ idNumber: String) -> String {
        String(repeating: "•", count: max(0, idNumber.count - 3)) + idNumber.suffix(3)
    }
}

extension IdNumberSealer {
    /// A keyring written `id:base64,id:base64` (the first seals). Ids are short names such as `k2026`.
    static func parse(keyring: String) throws(GatewayConfiguration.SettingError) -> IdNumberSealer {
        var keys: [Key] = []
        for entry in keyring.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber }),
                let data = Data(base64Encoded: String(parts[1])), data.count == 32
            else {
                throw .init(reason: "must be id:base64 pairs (32-byte keys, ids of letters and digits), separated by commas")
            }
            keys.append(Key(id: String(parts[0]), key: SymmetricKey(data: data)))
        }
        guard !keys.isEmpty else { throw .init(reason: "must name at least one key") }
        guard Set(keys.map(\.id)).count == keys.count else { throw .init(reason: "names a key id twice") }
        return IdNumberSealer(keys: keys)
    }

    /// The configured keyring, or the one kept in `<data>/secrets/id-number.keys`, made on first use.
    static func load(configuredKeyring: String?, dataDirectory: String) throws -> IdNumberSealer {
        let keyring =
            try configuredKeyring
            ?? SecretFile.read(
                named: "id-number.keys", dataDirectory: dataDirectory, validate: { (try? parse(keyring: $0)) != nil },
                make: { "k1:" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString() })
        return try parse(keyring: keyring)
    }

    /// A keyring of one fresh key, for tests and tools that make a ledger of their own.
    static func ephemeral() -> IdNumberSealer {
        IdNumberSealer(keys: [Key(id: "t1", key: SymmetricKey(size: .bits256))])
    }
}
