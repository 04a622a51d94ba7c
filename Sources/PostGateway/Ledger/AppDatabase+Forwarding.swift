import Foundation
import GRDB

/// A message the forwarder has claimed: what to send and where.
struct ClaimedMessage: Sendable {
    let id: Int64
    let kind: OutboxMessageRecord.Kind
    /// What the call's path names: the dossier item's number, or a result-only order's mã hồ sơ.
    let key: String
    let payload: String
    let attempts: Int
    /// Since when it has been tried: its first attempt, or its last requeue by a person or a reconcile run. The
    /// forwarder gives up `deadAfter` past this. Not since it was written: a message that waited behind its
    /// dossier's registration through an outage has not been tried yet, and gets the whole horizon too.
    let retryingSince: Date
}

/// What the forwarder learnt from one attempt.
enum DeliveryOutcome: Sendable {
    case delivered
    case retry(at: Date, reason: String)
    /// The one-stop does not know the dossier (it lost it, or its ledger was restored from a backup): the
    /// registration goes again, then this message, at `at` or once the registration is through.
    case registerAgain(retryAt: Date, reason: String)
    /// Given up on: past the horizon, or `refused` by the one-stop, which would refuse the same bytes again.
    case dead(reason: String, refused: Bool = false)
}

/// The outbox as operators see it.
package struct OutboxStatistics: Sendable {
    package let pending: Int
    package let inFlight: Int
    package let dead: Int
    let oldestPendingAt: Date?
}

extension AppDatabase {
    /// Claims up to `limit` messages that are due, at most one per dossier and only the first undelivered one of
    /// each, and marks them in flight. Per dossier, messages go in the order they were written, except that a
    /// registration sent again because the one-stop lost the dossier (written after the message that found out) goes
    /// first while it is on its way; once dead, it holds nothing back, so the message it was for can die where a
    /// supervisor sees it instead of waiting unseen.
    func claimDueMessages(limit: Int, now: Date) async throws -> [ClaimedMessage] {
        try await write { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT m.id, m.kind, m.payload, m.attempts, coalesce(m.retryFrom, ?1) AS retryingSince,
                               coalesce(i.trackingNumber, d.oneStopCode) AS key
                        FROM outboxMessage m LEFT JOIN item i ON i.dossierId = m.dossierId AND i.kind = 'dossier'
                             LEFT JOIN dossier d ON i.id IS NULL AND d.id = m.dossierId
                        WHERE m.state = 'pending' AND m.nextAttemptAt <= ?1
                          AND NOT EXISTS (SELECT 1 FROM outboxMessage e WHERE e.dossierId = m.dossierId AND e.id != m.id AND e.state != 'delivered'
                                          AND CASE WHEN m.kind = 'registerDossier' THEN e.kind = 'registerDossier' AND e.id < m.id
                                                   ELSE e.id < m.id OR (e.kind = 'registerDossier' AND e.state IN ('pending', 'inFlight')) END)
                        ORDER BY m.nextAttemptAt, m.id
                        LIMIT ?2
                        """), arguments: [LedgerTime.string(now), limit])
            let claimed = rows.map { row in
                ClaimedMessage(
                    id: row["id"], kind: OutboxMessageRecord.Kind(rawValue: row["kind"])!, key: row["key"],
                    payload: row["payload"], attempts: row["attempts"], retryingSince: row["retryingSince"])
            }
            let update = try db.cachedStatement(
                sql: "UPDATE outboxMessage SET state = 'inFlight', retryFrom = coalesce(retryFrom, ?1), updatedAt = ?1 WHERE id = ?2")
            for message in claimed { try update.execute(arguments: [LedgerTime.string(now), message.id]) }
            return claimed
        }
    }

    /// Records a batch of attempts in one transaction.
    func recordDeliveries(_ outcomes: [(id: Int64, outcome: DeliveryOutcome)], now: Date) async throws {
        try await write { db in
            let stamp = LedgerTime.string(now)
            for (id, outcome) in outcomes {
                switch outcome {
                case .delivered:
                    try db.cachedStatement(
                        sql: "UPDATE outboxMessage SET state = 'delivered', attempts = attempts + 1, lastError = NULL, updatedAt = ? WHERE id = ?"
                    )
                    .execute(arguments: [stamp, id])
                    // A registered dossier is at the one-stop's status 1 until its callbacks say more.
                    try db.cachedStatement(
                        sql: """
                            UPDATE dossier SET oneStopStatus = 1, oneStopStatusAt = ?
                            WHERE oneStopStatus IS NULL AND id = (SELECT dossierId FROM outboxMessage WHERE id = ? AND kind = 'registerDossier')
                            """
                    ).execute(arguments: [stamp, id])
                case .retry(let at, let reason), .registerAgain(let at, let reason):
                    try db.cachedStatement(
                        sql:
                            "UPDATE outboxMessage SET state = 'pending', attempts = attempts + 1, nextAttemptAt = ?, lastError = ?, updatedAt = ? WHERE id = ?"
                    )
                    .execute(arguments: [LedgerTime.string(at), reason, stamp, id])
                    if case .registerAgain = outcome { try Self.registerAgain(dossierOf: id, now: now, in: db) }
                case .dead(let reason, let refused):
                    try db.cachedStatement(
                        sql:
                            "UPDATE outboxMessage SET state = 'dead', attempts = attempts + 1, lastError = ?, refused = ?, updatedAt = ? WHERE id = ?"
                    )
                    .execute(arguments: [reason, refused ? true : nil, stamp, id])
                }
            }
        }
    }

    /// At start-up: messages a crash left in flight go back to pending, to be sent again (the one-stop
    /// deduplicates on the item number). Answers how many.
    func recoverInFlightMessages() async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE outboxMessage SET state = 'pending' WHERE state = 'inFlight'")
            return db.changesCount
        }
    }

    /// `officeCode`: only messages about dossiers that office took in (nil: every office).
    func outboxMessages(state: OutboxMessageRecord.State, officeCode: String?, limit: Int)
        async throws -> [(message: OutboxMessageRecord, trackingNumber: String)]
    {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.*, i.trackingNumber AS itemNumber FROM outboxMessage m
                    JOIN item i ON i.id = (SELECT id FROM item WHERE dossierId = m.dossierId ORDER BY \(ItemRecord.orderWithinDossier()) LIMIT 1)
                    JOIN dossier d ON d.id = m.dossierId
                    WHERE m.state = ? AND (?2 IS NULL OR d.officeCode = ?2) ORDER BY m.id LIMIT ?
                    """, arguments: [state.rawValue, officeCode, limit]
            )
            .map { (try OutboxMessageRecord(row: $0), $0["itemNumber"]) }
        }
    }

    /// A supervisor's requeue of a dead message: pending again, due now, tried afresh for the whole horizon
    /// (`retryFrom`), attempts kept for the record.
    /// Answers false when there is no dead message with that id.
    /// `officeCode`: a supervisor requeues only messages about their own office's dossiers (nil: any).
    /// `audit` is written with the requeue (202).
    func requeueDeadMessage(id: Int64, officeCode: String?, now: Date, audit: AuditSlot? = nil) async throws -> Bool {
        try await write { db in
            guard try Self.requeueDeadMessage(id: id, officeCode: officeCode, now: now, in: db) else { return false }
            try audit?.append(outcome: 202, at: now, in: db)
            return true
        }
    }

    /// A dead message pending again, due at `now`, its horizon counted from `now` and its refusal forgotten, in the
    /// caller's transaction: for a supervisor's requeue and a reconciliation's repair alike. False when `id` is no
    /// dead message (of `officeCode`'s dossiers, unless nil).
    static func requeueDeadMessage(id: Int64, officeCode: String?, now: Date, in db: Database) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE outboxMessage SET state = 'pending', refused = NULL, nextAttemptAt = ?1, retryFrom = ?1, updatedAt = ?1
                WHERE id = ?2 AND state = 'dead' AND (?3 IS NULL OR dossierId IN (SELECT id FROM dossier WHERE officeCode = ?3))
                """, arguments: [LedgerTime.string(now), id, officeCode])
        return db.changesCount == 1
    }

    /// Queues the registration of the dossier `messageId` is about again (the payload first sent, ID number still
    /// sealed; the one-stop treats a registration it already holds as a replay). Once per message: if a registration
    /// was written after it (by an earlier 404, or a reconciliation) and the message still meets a 404, the 404 means
    /// something else, and the message goes on to its dead end instead of queuing copies without end.
    private static func registerAgain(dossierOf messageId: Int64, now: Date, in db: Database) throws {
        guard
            let registration = try OutboxMessageRecord.fetchOne(
                db,
                sql: """
                    SELECT r.* FROM outboxMessage r JOIN outboxMessage m ON m.dossierId = r.dossierId
                    WHERE m.id = ? AND r.kind = 'registerDossier' ORDER BY r.id LIMIT 1
                    """, arguments: [messageId])
        else { return }
        let sentAgain = try OutboxMessageRecord.filter {
            $0.dossierId == registration.dossierId && $0.kind == registration.kind.rawValue && $0.id > messageId
        }.fetchCount(db)
        guard sentAgain == 0 else { return }
        try OutboxMessageRecord.enqueue(dossierId: registration.dossierId, kind: .registerDossier, payload: registration.payload, at: now, in: db)
    }

    package func outboxStatistics() async throws -> OutboxStatistics {
        try await read { db in
            let counts = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outboxMessage WHERE state != 'delivered' GROUP BY state")
            let byState = Dictionary(uniqueKeysWithValues: counts.map { ($0["state"] as String, $0["n"] as Int) })
            let oldest = try Date.fetchOne(db, sql: "SELECT MIN(createdAt) FROM outboxMessage WHERE state IN ('pending', 'inFlight')")
            return OutboxStatistics(
                pending: byState["pending"] ?? 0, inFlight: byState["inFlight"] ?? 0, dead: byState["dead"] ?? 0,
                oldestPendingAt: oldest)
        }
    }
}
