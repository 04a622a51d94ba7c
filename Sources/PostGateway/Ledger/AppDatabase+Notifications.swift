import Foundation
import GRDB

/// A notice the notifier has claimed: what to send, to whom, and how long it has been tried.
struct ClaimedNotice: Sendable {
    let id: Int64
    let key: String
    let milestone: NoticeMilestone
    let channel: NoticeChannel
    let values: [String: String]
    /// Read from the dossier now, not kept with the notice: a phone corrected at the counter is the one used.
    let phone: String
    let attempts: Int
    let retryingSince: Date
}

/// What the notifier learnt from one notice's attempts.
enum NoticeOutcome: Sendable, Equatable {
    case sent(via: NoticeChannel, providerMessageId: String?, text: String)
    case retry(at: Date, reason: String, channel: NoticeChannel)
    case dead(reason: String, channel: NoticeChannel)
}

/// A notice as staff lists show it: the phone masked.
struct NoticeListing: Sendable {
    let notice: NoticeRecord
    let trackingNumber: String
    let maskedPhone: String
}

extension AppDatabase {
    /// Drops the notices a later milestone made stale, then claims up to `limit` due ones, the first waiting notice of
    /// each dossier only, so a citizen reads them in the order they happened; marks them in flight.
    func claimDueNotices(limit: Int, now: Date) async throws -> [ClaimedNotice] {
        try await write { db in
            let stamp = LedgerTime.string(now)
            try db.execute(
                sql: """
                    UPDATE notice SET state = 'dropped', lastError = 'stale: a later milestone of the dossier came first', updatedAt = ?1
                    WHERE state = 'pending' AND stage > 0
                      AND EXISTS (SELECT 1 FROM notice l WHERE l.dossierId = notice.dossierId AND l.id > notice.id AND l.stage > notice.stage)
                    """, arguments: [stamp])
            // Consent withdrawn while a notice was in flight: the notice, back to pending, goes no further.
            try db.execute(
                sql: """
                    UPDATE notice SET state = 'dropped', lastError = 'the citizen withdrew consent', updatedAt = ?1
                    WHERE state = 'pending' AND dossierId IN (SELECT id FROM dossier WHERE notifyBy IS NULL)
                    """, arguments: [stamp])
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT n.id, n.key, n.milestone, CASE WHEN d.notifyBy = 'sms' THEN 'sms' ELSE n.channel END AS channel, n.parameters, n.attempts, coalesce(n.retryFrom, ?1) AS retryingSince,
                               d.applicantPhone AS phone
                        FROM notice n JOIN dossier d ON d.id = n.dossierId
                        WHERE n.state = 'pending' AND n.nextAttemptAt <= ?1
                          AND NOT EXISTS (SELECT 1 FROM notice e WHERE e.dossierId = n.dossierId AND e.id < n.id AND e.state IN ('pending', 'inFlight'))
                        ORDER BY n.nextAttemptAt, n.id LIMIT ?2
                        """), arguments: [stamp, limit])
            let claimed = rows.map { row in
                ClaimedNotice(
                    id: row["id"], key: row["key"], milestone: NoticeMilestone(rawValue: row["milestone"])!,
                    channel: NoticeChannel(rawValue: row["channel"])!,
                    values: NoticeRecord.values(parsing: row["parameters"]),
                    phone: row["phone"], attempts: row["attempts"], retryingSince: row["retryingSince"])
            }
            let update = try db.cachedStatement(
                sql: "UPDATE notice SET state = 'inFlight', retryFrom = coalesce(retryFrom, ?1), updatedAt = ?1 WHERE id = ?2")
            for notice in claimed { try update.execute(arguments: [stamp, notice.id]) }
            return claimed
        }
    }

    /// Records a batch of attempts in one transaction. `channel`: the channel the notice is on now (SMS, once Zalo
    /// said the number has none), so a retry does not ask Zalo again.
    func recordNotices(_ outcomes: [(id: Int64, outcome: NoticeOutcome)], now: Date) async throws {
        try await write { db in
            let stamp = LedgerTime.string(now)
            for (id, outcome) in outcomes {
                switch outcome {
                case .sent(let via, let providerMessageId, let text):
                    try db.execute(
                        sql: """
                            UPDATE notice SET state = 'sent', attempts = attempts + 1, lastError = NULL, sentVia = ?, channel = ?, sentAt = ?,
                                   providerMessageId = ?, text = ?, updatedAt = ? WHERE id = ? AND state = 'inFlight'
                            """, arguments: [via.rawValue, via.rawValue, stamp, providerMessageId, text, stamp, id])
                case .retry(let at, let reason, let channel):
                    try db.execute(
                        sql: """
                            UPDATE notice SET state = 'pending', attempts = attempts + 1, nextAttemptAt = ?, lastError = ?, channel = ?, updatedAt = ?
                            WHERE id = ? AND state = 'inFlight'
                            """, arguments: [LedgerTime.string(at), reason, channel.rawValue, stamp, id])
                case .dead(let reason, let channel):
                    try db.execute(
                        sql: """
                            UPDATE notice SET state = 'dead', attempts = attempts + 1, lastError = ?, channel = ?, updatedAt = ?
                            WHERE id = ? AND state = 'inFlight'
                            """,
                        arguments: [reason, channel.rawValue, stamp, id])
                }
            }
        }
    }

    /// At start-up: notices a crash left in flight go back to pending, to be sent again under the same key (the
    /// provider sees the key and does not send twice). Answers how many.
    func recoverInFlightNotices() async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE notice SET state = 'pending' WHERE state = 'inFlight'")
            return db.changesCount
        }
    }

    /// The notices not sent: those waiting (pending or in flight) and those given up on.
    func noticeBacklog() async throws -> (waiting: Int, dead: Int) {
        try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) FILTER (WHERE state IN ('pending', 'inFlight')) AS waiting, count(*) FILTER (WHERE state = 'dead') AS dead
                    FROM notice WHERE state IN ('pending', 'inFlight', 'dead')
                    """)!
            return (row["waiting"], row["dead"])
        }
    }

    /// `officeCode`: only notices about dossiers that office took in (nil: every office).
    func notices(state: NoticeRecord.State, officeCode: String?, limit: Int) async throws -> [NoticeListing] {
        try await read { db in
            try Self.noticeListings(db, condition: "n.state = ?1 AND (?2 IS NULL OR d.officeCode = ?2)", [state.rawValue, officeCode], limit: limit)
        }
    }

    /// The consent and every notice of the dossier one of whose items is `trackingNumber`, oldest first; nil when there
    /// is no such dossier (of `officeCode`, unless nil).
    func notices(ofDossierWithItem trackingNumber: String, officeCode: String?) async throws -> (
        consent: NoticeChannel?, notices: [NoticeListing]
    )? {
        try await read { db in
            guard let (dossierId, consent) = try Self.dossierConsent(trackingNumber, officeCode: officeCode, in: db) else { return nil }
            return (consent, try Self.noticeListings(db, condition: "n.dossierId = ?1", [dossierId], limit: 1000))
        }
    }

    /// The counter (or a supervisor) changes the citizen's consent: notices still waiting follow it, to the new
    /// channel, or dropped when the citizen no longer wants messages. Nil when there is no such dossier (of `officeCode`,
    /// unless nil). `audit` is written with the change (200).
    func changeConsent(
        ofDossierWithItem trackingNumber: String, to channel: NoticeChannel?, officeCode: String?, now: Date, audit: AuditSlot? = nil
    ) async throws -> NoticeChannel?? {
        try await write { db in
            guard let (dossierId, _) = try Self.dossierConsent(trackingNumber, officeCode: officeCode, in: db) else { return nil }
            try db.execute(sql: "UPDATE dossier SET notifyBy = ? WHERE id = ?", arguments: [channel?.rawValue, dossierId])
            if let channel {
                try db.execute(
                    sql: "UPDATE notice SET channel = ?, updatedAt = ? WHERE dossierId = ? AND state = 'pending'",
                    arguments: [channel.rawValue, now, dossierId])
            } else {
                try db.execute(
                    sql: """
                        UPDATE notice SET state = 'dropped', lastError = 'the citizen withdrew consent', updatedAt = ?
                        WHERE dossierId = ? AND state IN ('pending', 'dead')
                        """, arguments: [now, dossierId])
            }
            try audit?.append(outcome: 200, at: now, in: db)
            return .some(channel)
        }
    }

    private static func dossierConsent(_ trackingNumber: String, officeCode: String?, in db: Database) throws -> (Int64, NoticeChannel?)? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT d.id, d.notifyBy FROM item i JOIN dossier d ON d.id = i.dossierId
                WHERE i.trackingNumber = ? AND (?2 IS NULL OR d.officeCode = ?2)
                """, arguments: [trackingNumber, officeCode]
        ).map { ($0["id"], ($0["notifyBy"] as String?).flatMap(NoticeChannel.init(rawValue:))) }
    }

    /// What the public tracking page may show of a dossier's notices: which milestone was told, and when.
    static func sentNotices(dossierId: Int64, in db: Database) throws -> [(milestone: NoticeMilestone, sentAt: Date)] {
        try Row.fetchAll(
            db, sql: "SELECT milestone, sentAt FROM notice WHERE dossierId = ? AND state = 'sent' ORDER BY sentAt, id", arguments: [dossierId]
        ).compactMap { row in NoticeMilestone(rawValue: row["milestone"]).map { ($0, row["sentAt"]) } }
    }

    /// How many invitations (failed deliveries' notices) of a dossier are still waiting to go: TT17 Art 5.2h counts an
    /// invitation once it was sent or given up on where a supervisor sees it, not while it waits.
    static func invitationsWaiting(dossierId: Int64, in db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT count(*) FROM notice WHERE dossierId = ? AND milestone = 'deliveryFailed' AND state IN ('pending', 'inFlight')",
            arguments: [dossierId]) ?? 0
    }

    /// A supervisor's requeue of a dead notice: pending again, due now, tried for the whole horizon again; its key
    /// stays, so a provider that had taken it after all does not send it twice. False when there is no dead notice
    /// `id` (of `officeCode`'s dossiers, unless nil). `audit` is written with the requeue (202).
    func requeueDeadNotice(id: Int64, officeCode: String?, now: Date, audit: AuditSlot? = nil) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE notice SET state = 'pending', nextAttemptAt = ?1, retryFrom = ?1, updatedAt = ?1
                    WHERE id = ?2 AND state = 'dead' AND (?3 IS NULL OR dossierId IN (SELECT id FROM dossier WHERE officeCode = ?3))
                    """, arguments: [LedgerTime.string(now), id, officeCode])
            guard db.changesCount == 1 else { return false }
            try audit?.append(outcome: 202, at: now, in: db)
            return true
        }
    }

    private static func noticeListings(_ db: Database, condition: String, _ arguments: StatementArguments, limit: Int) throws -> [NoticeListing] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT n.*, d.applicantPhone AS phone,
                       (SELECT trackingNumber FROM item WHERE dossierId = n.dossierId ORDER BY id LIMIT 1) AS itemNumber
                FROM notice n JOIN dossier d ON d.id = n.dossierId WHERE \(condition) ORDER BY n.id LIMIT \(limit)
                """, arguments: arguments
        ).map { row in
            NoticeListing(notice: try NoticeRecord(row: row), trackingNumber: row["itemNumber"], maskedPhone: PhoneMask.masked(row["phone"]))
        }
    }
}
