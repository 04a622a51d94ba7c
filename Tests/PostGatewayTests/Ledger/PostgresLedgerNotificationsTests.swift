import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// The citizens' notices on PostgreSQL: claimed and recorded as SQLite does, and sent by two instances at once, each
/// notice claimed once, a dossier's in the order of its milestones, a dead instance's taken back when its lease runs out.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerNotificationsTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let now = TestSupport.mondayMorning
    let planner = ResultItemPlanner(series: .whole("PK"), reference: TestSupport.reference)

    func intakes(_ count: Int) throws -> [IntakeSubmission] {
        try (1...count).map { index in
            try TestSupport.submission(key: "notice-intake-\(index)", pins: pins, idNumbers: idNumbers) { form in
                form["notifications"] = "zalo"
            }
        }
    }

    /// The desk received dossier `serial`: a second notice of that dossier, after its acceptance's.
    func received(_ serial: Int) -> OneStopEvent {
        OneStopEvent(
            trackingNumber: TrackingNumber(prefix: "PH", serial: serial), status: .received, occurredAt: now.addingTimeInterval(60),
            dossierCode: "000.00.01.H56-261123-\(LocalTime.pad(serial, 4))", appointmentDate: LocalDate(iso: "2026-12-04"), content: nil,
            result: nil)
    }

    /// A ledger of `count` dossiers whose citizens agreed to Zalo, the first `received` of them received at the desk.
    private func dossiers(_ count: Int, received: Int, on ledger: PostgresLedger) async throws {
        try await ledger.migrate()
        _ = try await ledger.acceptDossiers(try intakes(count), series: .whole("PH"), pins: pins)
        for serial in (0..<received).map({ $0 + 1 }) {
            _ = try await ledger.applyStatusCallback(
                self.received(serial), webhookId: "msg_\(serial)", body: "{}", receivedAt: now.addingTimeInterval(60), resultItems: planner)
        }
    }

    /// Claimed notices in words to compare, their values in key order.
    static func summary(_ notices: [ClaimedNotice]) -> String {
        notices.map { notice in
            let values = notice.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return
                "\(notice.id) \(notice.key) \(notice.milestone) \(notice.channel) \(values) \(notice.phone) \(notice.attempts) \(notice.retryingSince)"
        }.joined(separator: "; ")
    }

    @Test func noticesAreClaimedAndRecordedAsOnSQLite() async throws {
        let intakes = try intakes(3)
        let outcomes: [NoticeOutcome] = [
            .sent(via: .zalo, providerMessageId: "zns-1", text: "Bưu điện đã nhận hồ sơ"),
            .retry(at: now.addingTimeInterval(600), reason: "provider unavailable", channel: .sms),
            .dead(reason: "no Zalo account and SMS refused", channel: .sms),
        ]
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        _ = try await sqlite.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        _ = try await sqlite.applyCallback(
            .event(received(1)), webhookId: "msg_1", body: "{}", receivedAt: now.addingTimeInterval(60), resultItems: planner, pins: pins)
        var onSQLite: [String] = []
        let first = try await sqlite.claimDueNotices(limit: 10, now: now.addingTimeInterval(120))
        onSQLite.append(Self.summary(first))
        try await sqlite.recordNotices(Array(zip(first.map(\.id), outcomes)), now: now.addingTimeInterval(130))
        for minutes in [3.0, 11] {
            let claimed = try await sqlite.claimDueNotices(limit: 10, now: now.addingTimeInterval(minutes * 60))
            onSQLite.append(Self.summary(claimed))
            try await sqlite.recordNotices(claimed.map { ($0.id, outcomes[0]) }, now: now.addingTimeInterval(minutes * 60 + 5))
        }
        let expected = onSQLite
        // The acceptances first; the desk's receipt of dossier 1 only once its acceptance went; the retry when due.
        #expect(first.map(\.milestone) == [.accepted, .accepted, .accepted])
        #expect(expected[1].contains("received") && expected[2].contains("accepted"))

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
            _ = try await ledger.applyStatusCallback(
                received(1), webhookId: "msg_1", body: "{}", receivedAt: now.addingTimeInterval(60), resultItems: planner)
            var answers: [String] = []
            let first = try await ledger.claimDueNotices(limit: 10, now: now.addingTimeInterval(120), instance: "gateway-a", lease: .seconds(60))
            answers.append(Self.summary(first))
            #expect(
                try await ledger.recordNotices(Array(zip(first.map(\.id), outcomes)), now: now.addingTimeInterval(130), instance: "gateway-a") == 3)
            for minutes in [3.0, 11] {
                let claimed = try await ledger.claimDueNotices(
                    limit: 10, now: now.addingTimeInterval(minutes * 60), instance: "gateway-a", lease: .seconds(60))
                answers.append(Self.summary(claimed))
                try await ledger.recordNotices(
                    claimed.map { ($0.id, outcomes[0]) }, now: now.addingTimeInterval(minutes * 60 + 5), instance: "gateway-a")
            }
            #expect(answers == expected)
            let table = try await sqlite.read { db in try LedgerCopy.tables(db).first { $0.name == "notice" }! }
            let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
            #expect(try await LedgerCopy.digest(table, client: ledger.client) == sqliteDigest)
        }
    }

    @Test func twoInstancesSendingAtOnceClaimEachNoticeOnceAndADossiersInOrder() async throws {
        try await TestPostgres.withLedger { try await dossiers(20, received: 5, on: $0) }
        try await TestPostgres.withLedger { first in
            try await TestPostgres.withLedger { second in
                let instances = [("gateway-a", first), ("gateway-b", second)]
                let at = now.addingTimeInterval(120)
                func drain() async throws -> [(String, ClaimedNotice)] {
                    try await withThrowingTaskGroup(of: [(String, ClaimedNotice)].self) { group in
                        for (name, ledger) in instances {
                            group.addTask {
                                var claimed: [(String, ClaimedNotice)] = []
                                while true {
                                    let bite = try await ledger.claimDueNotices(limit: 3, now: at, instance: name, lease: .seconds(60))
                                    if bite.isEmpty { return claimed }
                                    claimed += bite.map { (name, $0) }
                                }
                            }
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                }
                let acceptances = try await drain()
                #expect(acceptances.count == 20 && Set(acceptances.map(\.1.id)).count == 20)
                #expect(acceptances.allSatisfy { $0.1.milestone == .accepted })
                for (name, ledger) in instances {
                    let mine = acceptances.filter { $0.0 == name }.map { ($0.1.id, NoticeOutcome.sent(via: .zalo, providerMessageId: nil, text: "")) }
                    #expect(try await ledger.recordNotices(mine, now: at, instance: name) == mine.count)
                }
                // Only now do the desk's receipts come due, each once.
                let receipts = try await drain()
                #expect(receipts.count == 5 && Set(receipts.map(\.1.id)).count == 5)
                #expect(receipts.allSatisfy { $0.1.milestone == .received })
            }
        }
    }

    @Test func aLiveInstancesNoticesAreLeftAloneAndADeadOnesComeBackWhenTheLeaseRunsOut() async throws {
        try await TestPostgres.withLedger { ledger in
            try await dossiers(4, received: 0, on: ledger)
            let byA = try await ledger.claimDueNotices(limit: 10, now: now, instance: "gateway-a", lease: .seconds(60))
            #expect(byA.count == 4)
            #expect(try await ledger.claimDueNotices(limit: 10, now: now.addingTimeInterval(59), instance: "gateway-b", lease: .seconds(60)).isEmpty)
            let byB = try await ledger.claimDueNotices(limit: 10, now: now.addingTimeInterval(61), instance: "gateway-b", lease: .seconds(60))
            // The same notices, under the same keys: the provider sends each once.
            #expect(byB.map(\.key) == byA.map(\.key))
            let sent = NoticeOutcome.sent(via: .zalo, providerMessageId: nil, text: "")
            #expect(try await ledger.recordNotices(byA.map { ($0.id, sent) }, now: now.addingTimeInterval(62), instance: "gateway-a") == 0)
            #expect(try await ledger.recordNotices(byB.map { ($0.id, sent) }, now: now.addingTimeInterval(63), instance: "gateway-b") == 4)
            #expect(try await TestPostgres.integers("SELECT count(*) FROM notice WHERE state = 'sent' AND claimedBy IS NULL AND attempts = 1") == [4])
        }
    }

    @Test func anInstanceStartingAgainTakesBackItsOwnNoticesAndNoOneElses() async throws {
        try await TestPostgres.withLedger { ledger in
            try await dossiers(5, received: 0, on: ledger)
            let a = try await ledger.claimDueNotices(limit: 2, now: now, instance: "gateway-a", lease: .seconds(60))
            let b = try await ledger.claimDueNotices(limit: 3, now: now, instance: "gateway-b", lease: .seconds(60))
            #expect(a.count == 2 && b.count == 3)
            #expect(try await ledger.releaseNoticeClaims(of: "gateway-a") == 2)
            let again = try await ledger.claimDueNotices(limit: 10, now: now, instance: "gateway-a", lease: .seconds(60))
            #expect(again.map(\.id) == a.map(\.id))
        }
    }

    /// Staff's view of notices in words: id, state, channel, the dossier's first item and the masked phone.
    static func summary(_ listings: [NoticeListing]) -> String {
        listings.map { "\($0.notice.id) \($0.notice.state) \($0.notice.channel) \($0.trackingNumber) \($0.maskedPhone)" }.joined(separator: "; ")
    }

    /// A supervisor's morning with the notices of three dossiers: one sent, two given up on, one waiting; lists, a
    /// requeue (twice), and the consent changed or withdrawn.
    static func supervision(
        backlog: () async throws -> (waiting: Int, dead: Int), listing: (NoticeRecord.State, String?) async throws -> [NoticeListing],
        ofDossier: (String) async throws -> (consent: NoticeChannel?, notices: [NoticeListing])?, requeue: (Int64) async throws -> Bool,
        consent: (String, NoticeChannel?) async throws -> NoticeChannel??
    ) async throws -> [String] {
        var answers: [String] = []
        let number = { (serial: Int) in TrackingNumber(prefix: "PH", serial: serial).description }
        answers.append("\(try await backlog())")
        answers.append(summary(try await listing(.dead, nil)))
        answers.append(summary(try await listing(.dead, "999999")))
        answers.append(try await ofDossier(number(1)).map { "\($0.consent.map(String.init(describing:)) ?? "none") \(summary($0.notices))" } ?? "nil")
        answers.append("\(try await requeue(2)) \(try await requeue(2))")
        answers.append("\(String(describing: try await consent(number(3), nil))) \(String(describing: try await consent(number(1), .sms)))")
        answers.append(String(describing: try await consent(TestSupport.unknownNumber, .zalo)))
        answers.append("\(try await backlog())")
        answers.append(summary(try await listing(.dropped, nil)) + " | " + summary(try await listing(.pending, nil)))
        return answers
    }

    @Test func staffListsConsentAndRequeuesAnswerAsOnSQLite() async throws {
        let intakes = try intakes(3)
        let outcomes: [NoticeOutcome] = [
            .sent(via: .zalo, providerMessageId: "zns-1", text: "Bưu điện đã nhận hồ sơ"), .dead(reason: "refused", channel: .zalo),
            .dead(reason: "refused", channel: .sms),
        ]
        let at = now.addingTimeInterval(120)
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        _ = try await sqlite.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        _ = try await sqlite.applyCallback(
            .event(received(1)), webhookId: "msg_1", body: "{}", receivedAt: now.addingTimeInterval(60), resultItems: planner, pins: pins)
        try await sqlite.recordNotices(Array(zip(try await sqlite.claimDueNotices(limit: 10, now: at).map(\.id), outcomes)), now: at)
        let expected = try await Self.supervision(
            backlog: { try await sqlite.noticeBacklog() }, listing: { try await sqlite.notices(state: $0, officeCode: $1, limit: 10) },
            ofDossier: { try await sqlite.notices(ofDossierWithItem: $0, officeCode: nil) },
            requeue: { try await sqlite.requeueDeadNotice(id: $0, officeCode: nil, now: at) },
            consent: { try await sqlite.changeConsent(ofDossierWithItem: $0, to: $1, officeCode: nil, now: at) })
        #expect(expected[0] == "(waiting: 1, dead: 2)")
        #expect(expected[4] == "true false")

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
            _ = try await ledger.applyStatusCallback(
                received(1), webhookId: "msg_1", body: "{}", receivedAt: now.addingTimeInterval(60), resultItems: planner)
            let claimed = try await ledger.claimDueNotices(limit: 10, now: at, instance: "gateway-a", lease: .seconds(60))
            try await ledger.recordNotices(Array(zip(claimed.map(\.id), outcomes)), now: at, instance: "gateway-a")
            let answers = try await Self.supervision(
                backlog: { try await ledger.noticeBacklog() }, listing: { try await ledger.notices(state: $0, officeCode: $1, limit: 10) },
                ofDossier: { try await ledger.notices(ofDossierWithItem: $0, officeCode: nil) },
                requeue: { try await ledger.requeueDeadNotice(id: $0, officeCode: nil, now: at) },
                consent: { try await ledger.changeConsent(ofDossierWithItem: $0, to: $1, officeCode: nil, now: at) })
            #expect(answers == expected)
            for name in ["notice", "dossier"] {
                let table = try await sqlite.read { db in try LedgerCopy.tables(db).first { $0.name == name }! }
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                #expect(try await LedgerCopy.digest(table, client: ledger.client) == sqliteDigest, "\(name)")
            }
        }
    }

    /// Two supervisors requeue one dead notice at two instances at once: it is requeued once, audited once.
    @Test func oneDeadNoticeRequeuedAtTwoInstancesAtOnceIsRequeuedOnce() async throws {
        try await TestPostgres.withLedger { ledger in
            try await dossiers(1, received: 0, on: ledger)
            let claimed = try await ledger.claimDueNotices(limit: 1, now: now, instance: "gateway-a", lease: .seconds(60))
            try await ledger.recordNotices(claimed.map { ($0.id, .dead(reason: "refused", channel: .zalo)) }, now: now, instance: "gateway-a")
        }
        let answers = try await TestPostgres.atTwoInstances(count: 8) { ledger, _ in
            let audit = AuditSlot(actor: "truong.buucuc", action: "notice.requeue", subject: "1", officeCode: nil, remoteAddress: nil)
            return try await ledger.requeueDeadNotice(id: 1, officeCode: nil, now: now, audit: audit)
        }
        #expect(answers.filter { $0 }.count == 1)
        // The intake's entry and the one requeue's.
        #expect(
            try await TestPostgres.integers("SELECT (SELECT count(*) FROM auditLog), (SELECT count(*) FROM notice WHERE state = 'pending')") == [
                2, 1,
            ])
    }
}
