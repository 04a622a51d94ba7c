import Foundation
import GRDB
import PostgresNIO

/// The citizens' notices on PostgreSQL, sent by several instances at once, claimed as the outbox's messages are: a claim
/// is a lease (`claimedBy`, `leaseUntil`), another instance takes a notice only once its lease has run out, claims skip
/// rows another instance is claiming at that moment, and a dossier's notices still go one after the other, in the order
/// their milestones happened, wherever the one before is in flight. A notice sent again after a lease ran out goes under
/// the same key, which the provider deduplicates.
extension PostgresLedger {
    /// `AppDatabase.claimDueNotices` for the instance named `instance`, each claim held for `lease`.
    func claimDueNotices(limit: Int, now: Date, instance: String, lease: Duration) async throws -> [ClaimedNotice] {
        let stamp = LedgerTime.string(now)
        let until = LedgerTime.string(now.addingTimeInterval(Double(lease.components.seconds)))
        let claimed = try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                UPDATE notice SET state = 'dropped', lastError = 'stale: a later milestone of the dossier came first', updatedAt = \(stamp)
                WHERE state = 'pending' AND stage > 0
                  AND EXISTS (SELECT 1 FROM notice l WHERE l.dossierId = notice.dossierId AND l.id > notice.id AND l.stage > notice.stage)
                """, logger: logger)
            // Consent withdrawn while a notice was in flight: the notice, back to pending, goes no further.
            try await connection.query(
                """
                UPDATE notice SET state = 'dropped', lastError = 'the citizen withdrew consent', updatedAt = \(stamp)
                WHERE state = 'pending' AND dossierId IN (SELECT id FROM dossier WHERE notifyBy IS NULL)
                """, logger: logger)
            let rows = try await connection.query(
                """
                WITH due AS (
                    SELECT n.id FROM notice n
                    WHERE (n.state = 'pending' AND n.nextAttemptAt <= \(stamp)
                           OR n.state = 'inFlight' AND (n.leaseUntil IS NULL OR n.leaseUntil <= \(stamp)))
                      AND NOT EXISTS (SELECT 1 FROM notice e WHERE e.dossierId = n.dossierId AND e.id < n.id AND e.state IN ('pending', 'inFlight'))
                    ORDER BY n.nextAttemptAt, n.id
                    LIMIT \(limit)
                    FOR UPDATE OF n SKIP LOCKED
                )
                UPDATE notice n SET state = 'inFlight', claimedBy = \(instance), leaseUntil = \(until),
                       retryFrom = coalesce(n.retryFrom, \(stamp)), updatedAt = \(stamp)
                FROM due, dossier d WHERE n.id = due.id AND d.id = n.dossierId
                RETURNING n.id, n.key, n.milestone, CASE WHEN d.notifyBy = 'sms' THEN 'sms' ELSE n.channel END, n.parameters, n.attempts,
                          n.retryFrom, d.applicantPhone, n.nextAttemptAt
                """, logger: logger)
            var claimed: [(due: String, notice: ClaimedNotice)] = []
            for try await (id, key, milestone, channel, parameters, attempts, retryFrom, phone, due) in rows.decode(
                (Int64, String, String, String, String, Int, String, String, String).self)
            {
                claimed.append(
                    (
                        due,
                        ClaimedNotice(
                            id: id, key: key, milestone: NoticeMilestone(rawValue: milestone)!, channel: NoticeChannel(rawValue: channel)!,
                            values: NoticeRecord.values(parsing: parameters), phone: phone, attempts: attempts,
                            retryingSince: Date.fromDatabaseValue(retryFrom.databaseValue)!)
                    ))
            }
            return claimed
        }
        // In the order SQLite's claim answers (RETURNING keeps none): the earliest due first.
        return claimed.sorted { ($0.due, $0.notice.id) < ($1.due, $1.notice.id) }.map(\.notice)
    }

    /// `AppDatabase.recordNotices` for the instance that claimed the notices. An outcome for a notice whose lease ran
    /// out and which another instance claimed since is dropped: that one's attempt decides. Answers how many were
    /// recorded.
    @discardableResult
    func recordNotices(_ outcomes: [(id: Int64, outcome: NoticeOutcome)], now: Date, instance: String) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            let stamp = LedgerTime.string(now)
            var recorded = 0
            for (id, outcome) in outcomes {
                let changed: PostgresRowSequence
                switch outcome {
                case .sent(let via, let providerMessageId, let text):
                    changed = try await connection.query(
                        """
                        UPDATE notice SET state = 'sent', attempts = attempts + 1, lastError = NULL, sentVia = \(via.rawValue), channel = \(via.rawValue),
                               sentAt = \(stamp), providerMessageId = \(providerMessageId), text = \(text), claimedBy = NULL, leaseUntil = NULL,
                               updatedAt = \(stamp)
                        WHERE id = \(id) AND state = 'inFlight' AND claimedBy = \(instance) RETURNING id
                        """, logger: logger)
                case .retry(let at, let reason, let channel):
                    changed = try await connection.query(
                        """
                        UPDATE notice SET state = 'pending', attempts = attempts + 1, nextAttemptAt = \(LedgerTime.string(at)), lastError = \(reason),
                               channel = \(channel.rawValue), claimedBy = NULL, leaseUntil = NULL, updatedAt = \(stamp)
                        WHERE id = \(id) AND state = 'inFlight' AND claimedBy = \(instance) RETURNING id
                        """, logger: logger)
                case .dead(let reason, let channel):
                    changed = try await connection.query(
                        """
                        UPDATE notice SET state = 'dead', attempts = attempts + 1, lastError = \(reason), channel = \(channel.rawValue),
                               claimedBy = NULL, leaseUntil = NULL, updatedAt = \(stamp)
                        WHERE id = \(id) AND state = 'inFlight' AND claimedBy = \(instance) RETURNING id
                        """, logger: logger)
                }
                for try await _ in changed { recorded += 1 }
            }
            return recorded
        }
    }

    /// At an instance's start-up, its own notices from before (the same name, restarted) go back to pending, to be sent
    /// under the same key; other instances' are theirs until their leases run out. Answers how many.
    func releaseNoticeClaims(of instance: String) async throws -> Int {
        let rows = try await client.query(
            "UPDATE notice SET state = 'pending', claimedBy = NULL, leaseUntil = NULL WHERE claimedBy = \(instance) RETURNING id", logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}

/// What staff see and change of the notices on PostgreSQL: `AppDatabase+Notifications`' listings, consent and requeue,
/// the same rows and answers. A requeue is one conditional update, so two supervisors requeueing one dead notice at
/// two instances at once requeue it once (the second finds it pending, and is told there is no dead notice).
extension PostgresLedger {
    func noticeBacklog() async throws -> (waiting: Int, dead: Int) {
        let rows = try await client.query(
            """
            SELECT count(*) FILTER (WHERE state IN ('pending', 'inFlight')), count(*) FILTER (WHERE state = 'dead')
            FROM notice WHERE state IN ('pending', 'inFlight', 'dead')
            """, logger: logger)
        for try await (waiting, dead) in rows.decode((Int, Int).self) { return (waiting, dead) }
        return (0, 0)
    }

    func notices(state: NoticeRecord.State, officeCode: String?, limit: Int) async throws -> [NoticeListing] {
        try await noticeListings(
            "WHERE n.state = \(state.rawValue) AND (\(officeCode)::text IS NULL OR d.officeCode = \(officeCode)) ORDER BY n.id LIMIT \(limit)")
    }

    func notices(ofDossierWithItem trackingNumber: String, officeCode: String?) async throws -> (
        consent: NoticeChannel?, notices: [NoticeListing]
    )? {
        guard let (dossierId, consent) = try await dossierConsent(trackingNumber, officeCode: officeCode, on: nil) else { return nil }
        return (consent, try await noticeListings("WHERE n.dossierId = \(dossierId) ORDER BY n.id LIMIT 1000"))
    }

    func changeConsent(
        ofDossierWithItem trackingNumber: String, to channel: NoticeChannel?, officeCode: String?, now: Date, audit: AuditSlot? = nil
    ) async throws -> NoticeChannel?? {
        return try await withTransaction(audit: audit) { connection -> NoticeChannel?? in
            guard let (dossierId, _) = try await dossierConsent(trackingNumber, officeCode: officeCode, on: connection) else { return nil }
            let stamp = LedgerTime.string(now)
            try await connection.query("UPDATE dossier SET notifyBy = \(channel?.rawValue) WHERE id = \(dossierId)", logger: logger)
            if let channel {
                try await connection.query(
                    "UPDATE notice SET channel = \(channel.rawValue), updatedAt = \(stamp) WHERE dossierId = \(dossierId) AND state = 'pending'",
                    logger: logger)
            } else {
                try await connection.query(
                    """
                    UPDATE notice SET state = 'dropped', lastError = 'the citizen withdrew consent', updatedAt = \(stamp)
                    WHERE dossierId = \(dossierId) AND state IN ('pending', 'dead')
                    """, logger: logger)
            }
            try await audit?.append(outcome: 200, at: now, on: connection, logger: logger)
            return .some(channel)
        }
    }

    func requeueDeadNotice(id: Int64, officeCode: String?, now: Date, audit: AuditSlot? = nil) async throws -> Bool {
        return try await withTransaction(audit: audit) { connection in
            let stamp = LedgerTime.string(now)
            let requeued = try await Self.exists(
                """
                UPDATE notice SET state = 'pending', nextAttemptAt = \(stamp), retryFrom = \(stamp), updatedAt = \(stamp)
                WHERE id = \(id) AND state = 'dead' AND (\(officeCode)::text IS NULL OR dossierId IN (SELECT id FROM dossier WHERE officeCode = \(officeCode)))
                RETURNING id
                """, on: connection, logger: logger)
            guard requeued else { return false }
            try await audit?.append(outcome: 202, at: now, on: connection, logger: logger)
            return true
        }
    }

    /// The dossier one of whose items is `trackingNumber` (of `officeCode`, unless nil), and its consent; on `connection`
    /// when given, else on the pool.
    private func dossierConsent(_ trackingNumber: String, officeCode: String?, on connection: PostgresConnection?) async throws -> (
        Int64, NoticeChannel?
    )? {
        let query: PostgresQuery = """
            SELECT d.id, d.notifyBy FROM item i JOIN dossier d ON d.id = i.dossierId
            WHERE i.trackingNumber = \(trackingNumber) AND (\(officeCode)::text IS NULL OR d.officeCode = \(officeCode))
            """
        let rows: PostgresRowSequence
        if let connection { rows = try await connection.query(query, logger: logger) } else { rows = try await client.query(query, logger: logger) }
        for try await (id, notifyBy) in rows.decode((Int64, String?).self) { return (id, notifyBy.flatMap(NoticeChannel.init(rawValue:))) }
        return nil
    }

    /// Notices beside their dossier's first item number and masked phone; `rest` says which and in what order.
    private func noticeListings(_ rest: PostgresQuery) async throws -> [NoticeListing] {
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT n.*, d.applicantPhone AS phone,
                       (SELECT trackingNumber FROM item WHERE dossierId = n.dossierId ORDER BY id LIMIT 1) AS itemNumber
                FROM notice n JOIN dossier d ON d.id = n.dossierId \(rest.sql)
                """, binds: rest.binds)
        var listings: [NoticeListing] = []
        for try await row in try await client.query(query, logger: logger) {
            let row = try Self.grdbRow(row)
            listings.append(
                NoticeListing(notice: try NoticeRecord(row: row), trackingNumber: row["itemNumber"], maskedPhone: PhoneMask.masked(row["phone"])))
        }
        return listings
    }
}
