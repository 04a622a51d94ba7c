import GRDB
import Synchronization

/// Tells, once each transaction has committed, which dossiers changed in what public tracking shows: the
/// `dossierRevision` rows that the schema's triggers, or a supplement's intake, moved (its rowid is the dossier's id).
final class DossierChangeObserver: TransactionObserver, Sendable {
    private let changed = Mutex<Set<Int64>>([])
    private let onCommit: @Sendable (Set<Int64>) -> Void

    init(onCommit: @escaping @Sendable (Set<Int64>) -> Void) {
        self.onCommit = onCommit
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "dossierRevision"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        let id = event.rowID
        changed.withLock { _ = $0.insert(id) }
    }

    func databaseDidCommit(_ db: Database) {
        let ids = changed.withLock { changed in
            defer { changed.removeAll() }
            return changed
        }
        if !ids.isEmpty { onCommit(ids) }
    }

    func databaseDidRollback(_ db: Database) {
        changed.withLock { $0.removeAll() }
    }
}
