import Foundation
import GRDB
import PostgresNIO

/// The outbox on PostgreSQL, drained by several instances at once. A claim is a lease: the instance that claimed a
/// message has it until `leaseUntil`, and another instance takes it only once that has passed (its claimer died or
/// hung), never at its own start-up. Claims skip rows another instance is claiming at the same moment (`SKIP LOCKED`),
/// and per dossier the order holds across instances as within one: a message waits while an earlier one of its
/// dossier is undelivered, wherever that one is in flight.
extension PostgresLedger {
    /// `AppDatabase.claimDueMessages` for the instance named `instance`, each claim held for `lease`.
    func claimDueMessages(limit: Int, now: Date, instance: String, lease: Duration) async throws -> [ClaimedMessage] {
        let stamp = LedgerTime.string(now)
        let until = LedgerTime.string(now.addingTimeInterval(Double(lease.components.seconds)))
        let rows = try await client.query(
            """
            WITH due AS (
                SELECT m.id FROM outboxMessage m
                WHERE (m.state = 'pending' AND m.nextAttemptAt <= \(stamp)
                       OR m.state = 'inFlight' AND (m.leaseUntil IS NULL OR m.leaseUntil <= \(stamp)))
                  AND NOT EXISTS (SELECT 1 FROM outboxMessage e WHERE e.dossierId = m.dossierId AND e.id <> m.id AND e.state <> 'delivered'
                                  AND CASE WHEN m.kind = 'registerDossier' THEN e.kind = 'registerDossier' AND e.id < m.id
                                           ELSE e.id < m.id OR (e.kind = 'registerDossier' AND e.state IN ('pending', 'inFlight')) END)
                ORDER BY m.nextAttemptAt, m.id
                LIMIT \(limit)
                FOR UPDATE OF m SKIP LOCKED
            )
            UPDATE outboxMessage m SET state = 'inFlight', claimedBy = \(instance), leaseUntil = \(until),
                   retryFrom = coalesce(m.retryFrom, \(stamp)), updatedAt = \(stamp)
            FROM due WHERE m.id = due.id
            RETURNING m.id, m.kind, m.payload, m.attempts, m.retryFrom,
                      coalesce((SELECT trackingNumber FROM item WHERE dossierId = m.dossierId AND kind = 'dossier'),
                               (SELECT oneStopCode FROM dossier WHERE id = m.dossierId))
            """, logger: logger)
        var claimed: [ClaimedMessage] = []
        for try await (id, kind, payload, attempts, retryFrom, key) in rows.decode((Int64, String, String, Int, String, String).self) {
            claimed.append(
                ClaimedMessage(
                    id: id, kind: OutboxMessageRecord.Kind(rawValue: kind)!, key: key, payload: payload, attempts: attempts,
                    retryingSince: Date.fromDatabaseValue(retryFrom.databaseValue)!))
        }
        // In the order SQLite's claim answers: the earliest due first.
        return claimed.sorted { $0.id < $1.id }
    }

    /// `AppDatabase.recordDeliveries` for the instance that claimed the messages. An outcome for a message whose lease
    /// ran out and which another instance claimed since is dropped: that one's attempt decides (the one-stop
    /// deduplicates what both sent).
    @discardableResult
    func recordDeliveries(_ outcomes: [(id: Int64, outcome: DeliveryOutcome)], now: Date, instance: String) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            let stamp = LedgerTime.string(now)
            var recorded = 0
            for (id, outcome) in outcomes {
                let changed: PostgresRowSequence
                switch outcome {
                case .delivered:
                    changed = try await connection.query(
                        """
                        UPDATE outboxMessage SET state = 'delivered', attempts = attempts + 1, lastError = NULL, claimedBy = NULL, leaseUntil = NULL,
                               updatedAt = \(stamp)
                        WHERE id = \(id) AND claimedBy = \(instance) RETURNING dossierId, kind
                        """, logger: logger)
                case .retry(let at, let reason), .registerAgain(let at, let reason):
                    changed = try await connection.query(
                        """
                        UPDATE outboxMessage SET state = 'pending', attempts = attempts + 1, nextAttemptAt = \(LedgerTime.string(at)),
                               lastError = \(reason), claimedBy = NULL, leaseUntil = NULL, updatedAt = \(stamp)
                        WHERE id = \(id) AND claimedBy = \(instance) RETURNING dossierId, kind
                        """, logger: logger)
                case .dead(let reason, let refused):
                    changed = try await connection.query(
                        """
                        UPDATE outboxMessage SET state = 'dead', attempts = attempts + 1, lastError = \(reason), refused = \(refused ? 1 : nil),
                               claimedBy = NULL, leaseUntil = NULL, updatedAt = \(stamp)
                        WHERE id = \(id) AND claimedBy = \(instance) RETURNING dossierId, kind
                        """, logger: logger)
                }
                var row: (dossierId: Int64, kind: String)?
                for try await values in changed.decode((Int64, String).self) { row = values }
                guard let row else { continue }
                recorded += 1
                if case .delivered = outcome, row.kind == OutboxMessageRecord.Kind.registerDossier.rawValue {
                    // A registered dossier is at the one-stop's status 1 until its callbacks say more.
                    try await connection.query(
                        "UPDATE dossier SET oneStopStatus = 1, oneStopStatusAt = \(stamp) WHERE oneStopStatus IS NULL AND id = \(row.dossierId)",
                        logger: logger)
                }
                if case .registerAgain = outcome { try await registerAgain(dossierOf: id, now: now, on: connection) }
            }
            return recorded
        }
    }

    /// At an instance's start-up, its own claims from before (the same name, restarted) go back to pending; other
    /// instances' claims are theirs until their leases run out. Answers how many.
    func releaseClaims(of instance: String) async throws -> Int {
        let rows = try await client.query(
            "UPDATE outboxMessage SET state = 'pending', claimedBy = NULL, leaseUntil = NULL WHERE claimedBy = \(instance) RETURNING id",
            logger: logger)
        var count = 0
        for try await _ in rows.decode(Int64.self) { count += 1 }
        return count
    }

    /// `AppDatabase.registerAgain` on PostgreSQL: the dossier's registration once more, once per message.
    private func registerAgain(dossierOf messageId: Int64, now: Date, on connection: PostgresConnection) async throws {
        guard
            let registration = try await Self.fetchOne(
                OutboxMessageRecord.self,
                """
                SELECT r.* FROM outboxMessage r JOIN outboxMessage m ON m.dossierId = r.dossierId
                WHERE m.id = \(messageId) AND r.kind = 'registerDossier' ORDER BY r.id LIMIT 1
                """, on: connection, logger: logger)
        else { return }
        let later = try await connection.query(
            "SELECT count(*) FROM outboxMessage WHERE dossierId = \(registration.dossierId) AND kind = 'registerDossier' AND id > \(messageId)",
            logger: logger)
        for try await count in later.decode(Int.self) where count > 0 { return }
        try await Self.insert(
            OutboxMessageRecord.pending(dossierId: registration.dossierId, kind: .registerDossier, payload: registration.payload, at: now),
            on: connection, logger: logger)
    }
}

/// What supervisors see and change of the outbox on PostgreSQL: `AppDatabase.outboxMessages` and
/// `requeueDeadMessage`, the same answers; a requeue is one conditional update, so two supervisors at two instances
/// requeue a dead message once.
extension PostgresLedger {
    func outboxMessages(state: OutboxMessageRecord.State, officeCode: String?, limit: Int) async throws -> [(
        message: OutboxMessageRecord, trackingNumber: String
    )] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT m.*, i.trackingNumber AS itemNumber FROM outboxMessage m
                    JOIN item i ON i.id = (SELECT id FROM item WHERE dossierId = m.dossierId ORDER BY \(ItemRecord.orderWithinDossier()) LIMIT 1)
                    JOIN dossier d ON d.id = m.dossierId
                    WHERE m.state = $1 AND ($2::text IS NULL OR d.officeCode = $2) ORDER BY m.id LIMIT $3
                    """, binds: try Self.binds(state.rawValue, officeCode, limit)), logger: logger)
        var messages: [(message: OutboxMessageRecord, trackingNumber: String)] = []
        for try await row in rows {
            let row = try Self.grdbRow(row)
            messages.append((try OutboxMessageRecord(row: row), row["itemNumber"]))
        }
        return messages
    }

    func requeueDeadMessage(id: Int64, officeCode: String?, now: Date, audit: AuditSlot? = nil) async throws -> Bool {
        return try await withTransaction(audit: audit) { connection in
            let stamp = LedgerTime.string(now)
            let requeued = try await Self.exists(
                """
                UPDATE outboxMessage SET state = 'pending', refused = NULL, nextAttemptAt = \(stamp), retryFrom = \(stamp), updatedAt = \(stamp)
                WHERE id = \(id) AND state = 'dead' AND (\(officeCode)::text IS NULL OR dossierId IN (SELECT id FROM dossier WHERE officeCode = \(officeCode)))
                RETURNING id
                """, on: connection, logger: logger)
            guard requeued else { return false }
            try await audit?.append(outcome: 202, at: now, on: connection, logger: logger)
            return true
        }
    }
}
