import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Flushing a file or a folder to disk, for the files the gateway writes outside the ledger (its secrets, a
/// backup): a folder is synced too, so that a new name in it survives a power cut.
enum FileSync {
    /// Whether `path` (a file or a folder) could be opened and synced.
    static func sync(path: String) -> Bool {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return fsync(descriptor) == 0
    }
}
