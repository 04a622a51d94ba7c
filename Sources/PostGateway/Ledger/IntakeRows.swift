import Foundation
import GRDB

/// The rows a batch of intakes adds to the ledger, kept until the batch is decided and then written with one
/// statement per table for each run of up to 64 intakes (`Database.insertRows`).
///
/// SQLite pays for each statement: its program, its statement journal (a statement of many rows), its end.
/// Written an intake at a time, five statements per intake were most of the single writer's time; a statement of 25
/// rows costs a fraction of 25 statements of one row (the item and event rows of 25 intakes, measured through SQLite
/// itself: 14 µs per intake one row at a time, 6 µs by statements of 25). The ids are given, not left to SQLite, so
/// that each row can name the rows it belongs to before any is written (`IntakeBatchTally.nextIds`).
struct IntakeRows {
    /// The first intake of this batch under each idempotency key, for a repeat of the key later in the same batch.
    struct Taken {
        let requestHash: String
        let accepted: AcceptedDossier
    }

    private var dossiers: [[RowValue]] = []
    private var items: [[RowValue]] = []
    private var events: [[RowValue]] = []
    private var messages: [[RowValue]] = []
    private var keys: [[RowValue]] = []
    /// The dossiers this batch's supplements complete.
    private var originals: [Int64] = []
    private var taken: [String: Taken] = [:]

    /// The intake of this batch that took `key`, if one did.
    func taken(key: String) -> Taken? { taken[key] }

    /// An accepted intake's dossier, item, first event, outbox message and idempotency record.
    mutating func add(_ submission: IntakeSubmission, ids: IntakeBatchTally.Ids, trackingNumber: TrackingNumber, pinHash: String,
                      supplementOf: Int64?, accepted: AcceptedDossier) {
        let texts = submission.texts
        let now = texts.acceptedAt
        let applicant = submission.applicant
        dossiers.append([
            .integer(ids.dossier), .text(submission.service.rawValue), .text(submission.procedure.code), .text(submission.procedure.name),
            .text(submission.agency.code), .text(submission.office.code), .text(applicant.fullName), .text(submission.sealedIdNumber),
            .text(applicant.phone), RowValue(applicant.email), .text(applicant.address), RowValue(submission.resultAddress), .text(texts.documents),
            .integer(submission.postage), .integer(submission.administrativeFee), RowValue(submission.note), .text(pinHash),
            .text(submission.transitScope.rawValue), .text(texts.jDate), .text(texts.dueDate), .text(now),
            .text(submission.acceptedBy), RowValue(supplementOf),
        ])
        let number = trackingNumber.description
        items.append([.integer(ids.item), .integer(ids.dossier), .text(number), .text(submission.office.code),
                      .text(texts.dueDate), .text(now), .text(now)])
        events.append([.integer(ids.item), .text(ItemEventCode.accepted.rawValue), RowValue(ItemEventCode.accepted.upuCode), .text(now),
                       .text(submission.office.code), .text(submission.acceptedBy), .text(now)])
        messages.append([.integer(ids.dossier), .text(OutboxMessageRecord.Kind.registerDossier.rawValue),
                         .text((submission.registration ?? OneStopRegistration.Template(submission)).json(trackingNumber: trackingNumber)),
                         .text(now), .text(now), .text(now)])
        keys.append([.text(submission.ledgerKey), .text(submission.requestHash), .integer(ids.dossier), .text(now)])
        taken[submission.ledgerKey] = Taken(requestHash: submission.requestHash, accepted: accepted)
        if let supplementOf { originals.append(supplementOf) }
    }

    /// Writes the rows, parents first (an item names its dossier, an event its item). Cached statements with explicit
    /// columns: the record types' generic persistence cost more than the rest of the transaction together. The columns
    /// are the migrations'; the records read them back.
    func insert(in db: Database) throws {
        try db.insertRows(dossiers, into: """
            dossier (id, service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed, applicantPhone,
                applicantEmail, applicantAddress, resultAddress, documents, postage, administrativeFee, note, pinHash, transitScope, jDate,
                dueDate, acceptedAt, acceptedBy, supplementOf)
            """, row: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        // No trigger does it since v17: an original's tracking view now links to its supplement.
        for original in originals { try AppDatabase.moveRevision(ofDossier: original, in: db) }
        try db.insertRows(items, into: "item (id, dossierId, kind, trackingNumber, status, officeCode, dueDate, cashOnDelivery, createdAt, updatedAt)",
                          row: "(?, ?, 'dossier', ?, 'accepted', ?, ?, 0, ?, ?)")
        try db.insertRows(events, into: "itemEvent (itemId, code, upuCode, occurredAt, officeCode, actor, recordedAt)",
                          row: "(?, ?, ?, ?, ?, ?, ?)")
        try db.insertRows(messages, into: "outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)",
                          row: "(?, ?, ?, 'pending', 0, ?, ?, ?)")
        try db.insertRows(keys, into: "idempotencyKey (key, requestHash, dossierId, createdAt)", row: "(?, ?, ?, ?)")
    }

    /// The intakes already in the ledger under these idempotency keys: their request hash and dossier.
    static func earlier(keys: [String], in db: Database) throws -> [String: (requestHash: String, dossierId: Int64)] {
        var found: [String: (requestHash: String, dossierId: Int64)] = [:]
        for chunk in Database.statementChunks(keys.count) {
            let statement = try db.cachedStatement(sql: """
                SELECT key, requestHash, dossierId FROM idempotencyKey WHERE key IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ", ")))
                """)
            let rows = try Row.fetchCursor(statement, arguments: StatementArguments(keys[chunk]))
            while let row = try rows.next() { found[row["key"]] = (row["requestHash"], row["dossierId"]) }
        }
        return found
    }
}
