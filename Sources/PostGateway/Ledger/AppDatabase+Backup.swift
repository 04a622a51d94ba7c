import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

extension AppDatabase {
    struct BackupRefused: Error, CustomStringConvertible {
        let description: String
    }

    /// A consistent copy of the ledger, taken while it is in use, with SQLite's online backup API: the copy is one
    /// snapshot of the ledger, commits in the WAL included, which copying the file would miss. It is written beside
    /// `path` under a temporary name, checked, made durable, and only then given its name, so that a copy that
    /// exists under `path` is whole. Returns how many dossiers the copy holds.
    /// Synchronous: it is the whole work of the `backup` command, and blocks only that command.
    func backup(toPath path: String) throws -> Int {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw BackupRefused(description: "\(path) exists already; choose a new name (a backup never overwrites a file)")
        }
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let partial = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let dossiers: Int
        do {
            let copy = try DatabaseQueue(path: partial)
            try reader.backup(to: copy)
            dossiers = try copy.read { db in
                let check = try String.fetchOne(db, sql: "PRAGMA quick_check")
                guard check == "ok" else { throw BackupRefused(description: "the copy failed SQLite's check: \(check ?? "no answer")") }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier") ?? 0
            }
            try copy.close()
        }
        guard Self.sync(path: partial), rename(partial, path) == 0, Self.sync(path: folder) else {
            throw BackupRefused(description: "the copy could not be written to \(path): \(String(cString: strerror(errno)))")
        }
        return dossiers
    }

    private static func sync(path: String) -> Bool {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return fsync(descriptor) == 0
    }
}
