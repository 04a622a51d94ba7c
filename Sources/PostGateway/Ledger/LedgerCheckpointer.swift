import GRDB
import GRDBSQLite
import Logging
import ServiceLifecycle
import Synchronization

/// Copies the WAL back into the ledger file on a connection and a thread of its own, instead of in the writer.
///
/// SQLite's automatic checkpoint runs in the connection that commits, right after the commit: in the single writer,
/// which every counter intake waits for. Under load it copied some hundreds of pages into the file and fsynced it
/// every few dozen commits, with the next batch of intakes waiting behind it. While this service runs, the writer only
/// tells it (through SQLite's WAL hook) that `threshold` more pages are in the WAL, and the checkpoint is made here,
/// beside the writer: a passive checkpoint takes no write lock and never makes the writer wait.
///
/// SQLite starts the WAL again from its beginning only when a write begins with everything in it copied, which a
/// checkpoint beside a busy writer seldom leaves it: so past `backstop` pages the writer checkpoints itself, as SQLite
/// would have, finding most pages already copied, and the WAL starts again. When the service stops, the writer
/// checkpoints after its commits as before.
///
/// Nothing durable depends on it: every commit is already in the WAL and on disk (synchronous=FULL).
final class LedgerCheckpointer: Service, Sendable {
    private let database: AppDatabase
    private let connection: DatabaseQueue
    /// New pages in the WAL that make this service checkpoint (SQLite's own automatic checkpoint waits for 1,000).
    let threshold: Int
    /// Pages in the WAL past which the writer checkpoints itself (10,000 pages of 4 KiB are 40 MB).
    let backstop: Int
    private let logger: Logger
    /// The WAL's pages already copied by this service's last checkpoint: the next one waits for `threshold` more.
    private let copied = Atomic<Int>(0)
    /// Pages in the WAL after the writer's last commit.
    private let pages = Atomic<Int>(0)
    private let grown: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Nil for a ledger in memory, which has no WAL to checkpoint.
    init?(database: AppDatabase, threshold: Int = 1000, backstop: Int = 10_000, logger: Logger) throws {
        guard let connection = try database.checkpointConnection() else { return nil }
        self.database = database
        self.connection = connection
        self.threshold = threshold
        self.backstop = backstop
        self.logger = logger
        (grown, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func run() async throws {
        try await database.divertCheckpoints(to: self)
        for await _ in grown.cancelOnGracefulShutdown() {
            do {
                let result = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                copied.store(result.checkpointedFrameCount, ordering: .relaxed)
            } catch {
                logger.warning("ledger checkpoint failed; the next one will copy what this one did not", metadata: ["error": .error(error)])
            }
        }
        // Even when cancelled: the hook must not outlive the service it calls.
        do {
            try database.restoreAutomaticCheckpoints(from: self)
        } catch {
            logger.error("the ledger writer could not take its checkpoints back", metadata: ["error": .error(error)])
        }
    }

    /// Pages in the WAL after the writer's last commit (fewer than before once the WAL started again).
    var walPages: Int { pages.load(ordering: .relaxed) }
    /// Pages of the WAL the last checkpoint made here had copied.
    var pagesCopied: Int { copied.load(ordering: .relaxed) }

    /// Called by the writer after each commit, on its own thread: a checkpoint itself past the backstop, else a wake-up
    /// for this service once enough new pages gathered.
    private func writerCommitted(_ db: OpaquePointer?, _ name: UnsafePointer<CChar>?, pages: Int) -> Int32 {
        self.pages.store(pages, ordering: .relaxed)
        if pages >= backstop {
            // Whatever the checkpoint answers, the commit is made: an error returned from the hook would be reported as
            // the commit's own (SQLite's default hook ignores it too). A busy checkpoint (this service's, or a backup's)
            // only means the WAL starts again after a later commit.
            let code = sqlite3_wal_checkpoint(db, name)
            if code != SQLITE_OK && code != SQLITE_BUSY {
                logger.warning("the ledger writer's checkpoint failed", metadata: ["sqlite.code": "\(code)"])
            }
            return SQLITE_OK
        }
        let copied = copied.load(ordering: .relaxed)
        if pages - (pages < copied ? 0 : copied) >= threshold { wake.yield() }
        return SQLITE_OK
    }

    /// The WAL hook: a C function, handed this service as its context (retained while the hook is set).
    static let walHook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { context, db, name, pages in
        guard let context else { return SQLITE_OK }
        return Unmanaged<LedgerCheckpointer>.fromOpaque(context).takeUnretainedValue().writerCommitted(db, name, pages: Int(pages))
    }
}
