import GRDB
import Synchronization

/// Read-only connections to the ledger file for the two reads made on almost every request (a public tracking
/// lookup, a staff token check), run on the caller's thread instead of handed to the pool's readers and back.
///
/// Each such read is one statement over a few hot pages, some tens of microseconds. Taking a pool reader costs
/// more than that (a barrier queue, a semaphore, a schema check, then two thread hand-offs for the async form),
/// which profiles of first tracking lookups showed as the largest share of the request. Here a caller takes an
/// idle connection, or opens one, and runs the statement where it is: it never waits for another caller, so
/// blocking a thread of the concurrency pool for the read cannot deadlock it, and there are never more
/// connections open than threads that read at once.
///
/// Every connection is in WAL mode like the pool's readers: it sees each commit as soon as it is made, never
/// blocks the writer, and is never blocked by it.
final class InPlaceReaders: Sendable {
    /// The ledger file.
    let path: String
    private let configuration: Configuration
    private let idle = Mutex<[DatabaseQueue]>([])

    init(path: String, configuration: Configuration) {
        self.path = path
        var configuration = configuration
        configuration.readonly = true
        configuration.label = "PostGateway.inPlaceReader"
        self.configuration = configuration
    }

    /// Runs a closure of one statement (SQLite reads a statement from one snapshot, so no transaction is needed).
    func readStatement<T>(_ value: (Database) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? DatabaseQueue(path: path, configuration: configuration)
        defer { idle.withLock { $0.append(connection) } }
        return try connection.unsafeRead(value)
    }

    /// How many connections are open (all idle between reads).
    var count: Int { idle.withLock { $0.count } }
}
