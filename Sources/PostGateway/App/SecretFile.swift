import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A secret the gateway makes for itself when none is configured, kept in `<data>/secrets/NAME` with
/// owner-only permissions, so that a restart (or a second process on the same data) finds the same one.
///
/// A secret is made only when its file does not exist. A file that exists but cannot be read or is not a valid
/// secret stops the start: the sealed ID numbers, the printed PINs and the idempotency records depend on the key in
/// it, and a new one in its place would make all of them unreadable. The operator restores it, or removes it on
/// purpose.
enum SecretFile {
    struct Unusable: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String {
            "\(path): \(reason). Restore the file from a backup; remove it only if nothing was ever sealed, printed or "
                + "signed with it, and the gateway makes a new one."
        }
    }

    /// Where the secret `name` is kept.
    static func path(named name: String, dataDirectory: String) -> String {
        (((dataDirectory as NSString).appendingPathComponent("secrets")) as NSString).appendingPathComponent(name)
    }

    static func read(named name: String, dataDirectory: String, validate: (String) -> Bool, make: () -> String) throws -> String {
        let path = path(named: name, dataDirectory: dataDirectory)
        let folder = (path as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: path) { return try existing(at: path, validate: validate) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let secret = make()
        // O_EXCL: of two processes starting at once on the same data, the second keeps the first one's secret.
        let file = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard file >= 0 else {
            if errno == EEXIST { return try existing(at: path, validate: validate) }
            throw Unusable(path: path, reason: "it could not be created (\(String(cString: strerror(errno))))")
        }
        defer { close(file) }
        let bytes = Array(secret.utf8)
        // On disk before anything is sealed or printed with it, as the ledger's commits are.
        guard write(file, bytes, bytes.count) == bytes.count, fsync(file) == 0, FileSync.sync(path: folder) else {
            throw Unusable(path: path, reason: "it could not be written (\(String(cString: strerror(errno))))")
        }
        return secret
    }

    private static func existing(at path: String, validate: (String) -> Bool) throws -> String {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Unusable(path: path, reason: "it exists but could not be read")
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard validate(secret) else { throw Unusable(path: path, reason: "it exists but does not hold a valid secret") }
        return secret
    }
}
