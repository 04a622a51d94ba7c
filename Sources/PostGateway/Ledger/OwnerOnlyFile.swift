import Foundation

/// The ledger and its copies hold citizens' names, phones and addresses: only the gateway's own user may read them,
/// whatever the umask of the shell or service that started it.
enum OwnerOnlyFile {
    /// Creates `path` empty, readable and writable by its owner only, unless it is there already. SQLite gives the WAL
    /// and shared-memory files it makes beside a database the database file's permissions. `makingFolder`: the
    /// folder is made too if missing, the owner's only as well.
    static func prepare(_ path: String, makingFolder: Bool) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if makingFolder && !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return }
            throw CocoaError(
                .fileWriteNoPermission,
                userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
        }
        close(descriptor)
    }
}
