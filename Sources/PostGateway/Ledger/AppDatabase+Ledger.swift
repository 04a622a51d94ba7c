// The ledger as a whole: a consistent copy of it (the `backup` command), one unchanging view of it (`ledger copy`), and waiting out a ledger busy with other work.
import Foundation
import GRDB
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

extension AppDatabase {
    struct BackupRefused: Error, CustomStringConvertible {
        let description: String
    }

    /// One unchanging view of the ledger, read while the gateway goes on writing (`LedgerCopy`): a read transaction
    /// kept open on a connection of its own, which WAL lets writers pass.
    func snapshot() throws -> DatabaseSnapshot {
        guard let pool = reader as? DatabasePool else { throw BackupRefused(description: "a snapshot needs the ledger's file (WAL)") }
        return try pool.makeSnapshot()
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
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        let partial = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: partial) }
        try OwnerOnlyFile.prepare(partial, makingFolder: false)
        let copy = try DatabaseQueue(path: partial)
        try reader.backup(to: copy)
        let dossiers = try copy.read { db in
            let check = try String.fetchOne(db, sql: "PRAGMA quick_check")
            guard check == "ok" else { throw BackupRefused(description: "the copy failed SQLite's check: \(check ?? "no answer")") }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier") ?? 0
        }
        try copy.close()
        guard FileSync.sync(path: partial), rename(partial, path) == 0, FileSync.sync(path: folder) else {
            throw BackupRefused(description: "the copy could not be written to \(path): \(String(cString: strerror(errno)))")
        }
        return dossiers
    }
}

extension AppDatabase {
    /// Records what a sender learnt, however long the ledger stays busy. The sends are done, so their outcomes must
    /// reach the ledger: otherwise the claimed rows stay in flight until the next start, and hold back every later row
    /// of their dossiers. A ledger busy past its timeout (a vacuum, a reseal, a reconcile's repairs) is waited out,
    /// doubling up to `longestWait`; only a shutdown stops the waiting, and the next start recovers what was in flight.
    /// The forwarder's and the notifier's outcomes go through here.
    static func recordingThroughBusyLedger(
        longestWait: Duration, logger: Logger, failure: Logger.Message, metadata: Logger.Metadata, _ record: () async throws -> Void
    ) async throws {
        var wait = min(.milliseconds(100), longestWait)
        while true {
            do {
                return try await record()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.error(failure, metadata: metadata.merging(["error": .error(error)]) { $1 })
                let pause = wait
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                wait = min(wait * 2, longestWait)
            }
        }
    }
}
