import Foundation
import GRDB

/// One row of `outboxMessage`: a call to the one-stop, written in the same transaction as the change that
/// needs it, and delivered at least once by the forwarder.
struct OutboxMessageRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outboxMessage"

    enum Kind: String, Codable, Sendable {
        case registerDossier, reportHandover, reportReturnProgress
        /// Call 7: a result-only order's progress, keyed by its mã hồ sơ.
        case reportOrderProgress
    }
    enum State: String, Codable, Sendable, CaseIterable { case pending, inFlight, delivered, dead }

    var id: Int64?
    var dossierId: Int64
    var kind: Kind
    /// The request body, frozen when the message is written so that every retry sends the same bytes.
    var payload: String
    var state: State
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var createdAt: Date
    /// Set at its first attempt, and again when a dead message is sent again: the forwarder's horizon counts from
    /// here (v10), not from `createdAt`, which may be long before the message could be tried.
    var retryFrom: Date?
    var updatedAt: Date
    /// Dead because the one-stop refused it (400, 409, 422), not because the forwarder ran out of time (v14).
    var refused: Bool?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Writes a message for the forwarder to send as soon as it can (in the caller's transaction).
    static func enqueue(dossierId: Int64, kind: Kind, payload: String, at now: Date, in db: Database) throws {
        var message = pending(dossierId: dossierId, kind: kind, payload: payload, at: now)
        try message.insert(db)
    }

    /// A new message, due at once.
    static func pending(dossierId: Int64, kind: Kind, payload: String, at now: Date) -> OutboxMessageRecord {
        OutboxMessageRecord(
            dossierId: dossierId, kind: kind, payload: payload, state: .pending, attempts: 0,
            nextAttemptAt: now, lastError: nil, createdAt: now, updatedAt: now)
    }
}

extension OutboxMessageRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let dossierId = Column(CodingKeys.dossierId)
        static let kind = Column(CodingKeys.kind)
        static let payload = Column(CodingKeys.payload)
        static let state = Column(CodingKeys.state)
        static let attempts = Column(CodingKeys.attempts)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        static let lastError = Column(CodingKeys.lastError)
        static let createdAt = Column(CodingKeys.createdAt)
        static let retryFrom = Column(CodingKeys.retryFrom)
        static let updatedAt = Column(CodingKeys.updatedAt)
        static let refused = Column(CodingKeys.refused)
    }
}

/// Written out, not derived from `Encodable`: intake writes this record for every dossier on the one writer, which
/// every intake waiting for its commit queues behind. `RecordEncodingTests` checks that every stored property is
/// written, under its own name, as the derived encoding would.
extension OutboxMessageRecord {
    func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.dossierId] = dossierId
        container[Columns.kind] = kind.rawValue
        container[Columns.payload] = payload
        container[Columns.state] = state.rawValue
        container[Columns.attempts] = attempts
        container[Columns.nextAttemptAt] = LedgerTime.string(nextAttemptAt)
        container[Columns.lastError] = lastError
        container[Columns.createdAt] = LedgerTime.string(createdAt)
        container[Columns.retryFrom] = retryFrom.map(LedgerTime.string)
        container[Columns.updatedAt] = LedgerTime.string(updatedAt)
        container[Columns.refused] = refused
    }
}
