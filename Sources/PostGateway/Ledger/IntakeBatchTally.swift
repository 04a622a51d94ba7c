import Foundation
import GRDB

/// The serials and audit entries of a batch of intakes. Written as one, a batch reads the serial counter once,
/// takes its serials in memory and moves the counter once, to the last serial taken; its audit entries are
/// chained from one read of the log's last row and appended at the end. Both happen in the batch's transaction,
/// so a batch rolled back takes its serials and entries with it. The single writer is the only one to touch the
/// counter and the log while the transaction is open. Per intake, a serial upsert and a read of the log's last row
/// were about a fifth of the writer's time.
///
/// Written with a savepoint per intake (the fallback), each intake takes its serial from the ledger and appends
/// its entry itself, so that an intake rolled back to its savepoint gives its serial back.
struct IntakeBatchTally {
    let prefix: String
    private let perIntake: Bool
    private var lastSerial: Int?
    private var lastIds: Ids?
    private var entries: [(entry: AuditEntry, at: String)] = []

    /// For a batch written as one transaction.
    static func batch(prefix: String) -> IntakeBatchTally { IntakeBatchTally(prefix: prefix, perIntake: false) }

    /// For intakes written each in its own savepoint: everything goes to the ledger at once.
    static func perIntake(prefix: String) -> IntakeBatchTally { IntakeBatchTally(prefix: prefix, perIntake: true) }

    mutating func nextSerial(in db: Database) throws -> Int {
        if perIntake { return try AppDatabase.nextSerial(prefix: prefix, in: db) }
        let next = try (lastSerial ?? Int.fetchOne(db.cachedStatement(sql: "SELECT lastSerial FROM serialCounter WHERE prefix = ?"),
                                                   arguments: [prefix]) ?? 0) + 1
        lastSerial = next
        return next
    }

    /// The ids of an intake's dossier and item, given by the batch rather than by SQLite so that its rows can be written
    /// together (`IntakeRows`). Both tables are AUTOINCREMENT: past the largest id they ever held, which a batch reads once.
    struct Ids {
        let dossier: Int64
        let item: Int64
    }

    mutating func nextIds(in db: Database) throws -> Ids {
        let last: Ids
        if let lastIds, !perIntake {
            last = lastIds
        } else {
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'dossier'), 0), coalesce((SELECT max(id) FROM dossier), 0)),
                       max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'item'), 0), coalesce((SELECT max(id) FROM item), 0))
                """))!
            last = Ids(dossier: row[0], item: row[1])
        }
        let next = Ids(dossier: last.dossier + 1, item: last.item + 1)
        lastIds = next
        return next
    }

    /// `at`: the time as the ledger writes times (`LedgerTime.string`).
    mutating func audit(_ entry: AuditEntry, at: String, in db: Database) throws {
        if perIntake { try AppDatabase.appendAudit(written: [(entry, at)], in: db) } else { entries.append((entry, at)) }
    }

    /// Writes what the batch kept in memory; call once, after its last intake.
    func finish(in db: Database) throws {
        if let lastSerial {
            try db.cachedStatement(sql: """
                INSERT INTO serialCounter (prefix, lastSerial) VALUES (?, ?)
                ON CONFLICT (prefix) DO UPDATE SET lastSerial = excluded.lastSerial
                """).execute(arguments: [prefix, lastSerial])
        }
        try AppDatabase.appendAudit(written: entries, in: db)
    }
}
