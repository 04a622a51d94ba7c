import Logging
import Synchronization

/// Every line a `logger` of this store logs, with its metadata: for tests of what the logs keep and what they must not.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        var logger = Logger(label: "captured") { _ in Handler(store: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let store: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            store.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }
}
