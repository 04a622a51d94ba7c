import Foundation
import GRDB

/// One row of `notice`: a message to the citizen, written in the same transaction as the event it tells of, and sent
/// at least once by the notifier. It holds no personal data: the phone is read from the dossier when it is sent, and
/// the PIN of a portal order is derived then; `text` is what was sent, with the PIN masked.
struct NoticeRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "notice"

    enum State: String, Codable, Sendable, CaseIterable {
        case pending, inFlight, sent, dead
        /// Stale before it could go (a later milestone of the dossier was written first): never sent.
        case dropped
    }

    var id: Int64?
    var dossierId: Int64
    /// The idempotency key the provider sees (ZNS `tracking_id`, eSMS `RequestId`): the dossier's code, the milestone
    /// and its ordinal, so it stays the same through retries, a channel fallback and a ledger restored from a backup.
    var key: String
    var milestone: NoticeMilestone
    var stage: Int
    var channel: NoticeChannel
    /// The template's values (codes, dates, an office's code), JSON, fixed when the event happened.
    var parameters: String
    var state: State
    var attempts: Int
    var nextAttemptAt: Date
    var retryFrom: Date?
    var lastError: String?
    /// The channel it went by: Zalo, or SMS when the number has no Zalo account.
    var sentVia: NoticeChannel?
    var sentAt: Date?
    var providerMessageId: String?
    var text: String?
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// A notice's `parameters` read back.
    static func values(parsing parameters: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(parameters.utf8))) ?? [:]
    }
}

extension NoticeRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let dossierId = Column(CodingKeys.dossierId)
        static let key = Column(CodingKeys.key)
        static let milestone = Column(CodingKeys.milestone)
        static let stage = Column(CodingKeys.stage)
        static let channel = Column(CodingKeys.channel)
        static let parameters = Column(CodingKeys.parameters)
        static let state = Column(CodingKeys.state)
        static let attempts = Column(CodingKeys.attempts)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        static let retryFrom = Column(CodingKeys.retryFrom)
        static let lastError = Column(CodingKeys.lastError)
        static let sentVia = Column(CodingKeys.sentVia)
        static let sentAt = Column(CodingKeys.sentAt)
        static let providerMessageId = Column(CodingKeys.providerMessageId)
        static let text = Column(CodingKeys.text)
        static let createdAt = Column(CodingKeys.createdAt)
        static let updatedAt = Column(CodingKeys.updatedAt)
    }
}

extension AppDatabase {
    /// Writes the notice of `milestone` for a dossier whose citizen agreed to messages (in the caller's transaction);
    /// nothing for one who did not, or who left no phone. `values` are the template's fields but the code, which is
    /// the dossier's first item's number (the one on the receipt, or a result-only order's result).
    static func notify(
        _ milestone: NoticeMilestone, dossierId: Int64, values: [String: String] = [:], at now: Date, in db: Database
    ) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT d.notifyBy, d.applicantPhone, (SELECT trackingNumber FROM item WHERE dossierId = d.id ORDER BY id LIMIT 1) AS code,
                               (SELECT count(*) FROM notice WHERE dossierId = d.id AND milestone = ?2) AS earlier
                        FROM dossier d WHERE d.id = ?1
                        """), arguments: [dossierId, milestone.rawValue]),
            var notice = NoticeRecord.of(
                milestone, dossierId: dossierId, notifyBy: row["notifyBy"], phone: row["applicantPhone"], code: row["code"], earlier: row["earlier"],
                values: values, at: now)
        else { return }
        try notice.insert(db)
    }
}

extension NoticeRecord {
    /// The notice of `milestone`, from what the dossier holds (either backend reads it): none for a citizen who did not
    /// agree to messages or left no phone. `code` is the dossier's first item's number; `earlier`, how many notices of
    /// this milestone it had, which numbers this one's key.
    static func of(
        _ milestone: NoticeMilestone, dossierId: Int64, notifyBy: String?, phone: String?, code: String?, earlier: Int, values: [String: String],
        at now: Date
    ) -> NoticeRecord? {
        guard let channel = notifyBy.flatMap(NoticeChannel.init(rawValue:)), let phone, !phone.isEmpty, let code else { return nil }
        var parameters = values
        parameters["code"] = code
        return NoticeRecord(
            dossierId: dossierId, key: "\(code).\(milestone.rawValue).\(earlier + 1)", milestone: milestone, stage: milestone.stage,
            channel: channel, parameters: JSONValue.object(parameters.mapValues { .string($0) }).canonicalText, state: .pending, attempts: 0,
            nextAttemptAt: now, createdAt: now, updatedAt: now)
    }
}
