import Foundation

/// A secret the gateway makes for itself when none is configured, kept in `<data>/secrets/NAME` with
/// owner-only permissions, so that a restart (or a second process on the same data) finds the same one.
enum SecretFile {
    static func read(named name: String, dataDirectory: String, validate: (String) -> Bool, make: () -> String) throws -> String {
        let folder = (dataDirectory as NSString).appendingPathComponent("secrets")
        let path = (folder as NSString).appendingPathComponent(name)
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if validate(secret) { return secret }
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let secret = make()
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return secret
    }
}
