import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a file in the data folder (flock), so that two reconciliation runs never overlap: not
/// two in the server, not the server's and one from cron. The kernel drops it when the process dies, so a
/// crashed run never leaves a stale lock behind.
final class RunLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// The lock, or nil when another run holds it.
    static func acquire(path: String) throws -> RunLock? {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ReconciliationFailure(reason: "cannot open the run lock \(path): errno \(errno)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return RunLock(descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
