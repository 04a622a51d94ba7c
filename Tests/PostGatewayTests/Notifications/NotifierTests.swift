import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import PostGateway

/// A provider a test scripts: it records every call and answers as told.
final class ScriptedProvider: Sendable {
    let zaloCalls = Mutex<[NotificationClient.ZaloMessage]>([])
    let smsCalls = Mutex<[NotificationClient.SMSMessage]>([])
    let zaloAnswer = Mutex<NotificationClient.Answer>(.sent(providerMessageId: "zns-1"))
    let smsAnswer = Mutex<NotificationClient.Answer>(.sent(providerMessageId: "sms-1"))

    var client: NotificationClient {
        NotificationClient(
            sendZalo: { message in
                self.zaloCalls.withLock { $0.append(message) }
                return self.zaloAnswer.withLock { $0 }
            },
            sendSMS: { message in
                self.smsCalls.withLock { $0.append(message) }
                return self.smsAnswer.withLock { $0 }
            })
    }
}

/// The notifier against a scripted provider and a clock the test moves: consent, quiet hours, the Zalo → SMS
/// fallback, staleness, the dead end and its requeue.
@Suite(.temporaryFolder) struct NotifierTests {
    struct Setup {
        let dependencies: AppDependencies
        let clock: MovableClock
        let provider: ScriptedProvider
        let notifier: Notifier
    }

    static func setup(at date: Date = TestSupport.mondayMorning) throws -> Setup {
        let clock = MovableClock(date)
        // A provider is configured (its client is the scripted one), but no notifier runs: the test sends each batch.
        var dependencies = try TestSupport.dependencies(clock: { clock.now }, tweak: { $0.notificationProvider = .live })
        let provider = ScriptedProvider()
        dependencies.notifications = provider.client
        dependencies.noticeTemplates = try TestSupport.noticeTemplates()
        return Setup(dependencies: dependencies, clock: clock, provider: provider, notifier: try dependencies.notifier())
    }

    static func intake(_ client: some TestClientProtocol, notifications: String?) async throws -> String {
        let response = try await client.execute(
            uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
            body: TestSupport.json(TestSupport.intake { if let notifications { $0["notifications"] = notifications } }))
        #expect(response.status == .created)
        return try response.decoded(as: Answer.IntakeReceipt.self).trackingNumber
    }

    static func notices(_ database: AppDatabase) async throws -> [NoticeRecord] {
        try await database.read { db in try NoticeRecord.order(Column("id")).fetchAll(db) }
    }

    @Test func withoutConsentNoNoticeIsWrittenAndWithItTheAcceptanceWaitsWithoutPersonalData() async throws {
        let setup = try Self.setup()
        try await buildApplication(setup.dependencies).test(.router) { client in
            _ = try await Self.intake(client, notifications: nil)
            _ = try await Self.intake(client, notifications: "none")
            #expect(try await Self.notices(setup.dependencies.database).isEmpty)

            let number = try await Self.intake(client, notifications: "sms")
            let notices = try await Self.notices(setup.dependencies.database)
            #expect(notices.map(\.milestone) == [.accepted] && notices.map(\.channel) == [.sms] && notices.map(\.state) == [.pending])
            #expect(notices.first?.key == "\(number).accepted.1")
            let parameters = try #require(notices.first?.parameters)
            for secret in ["0912345678", "912 345 678", "Nguyễn", "019190001234", "Tân Thịnh"] {
                #expect(parameters.contains(secret) == false, "\(secret)")
            }

            let refused = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake { $0["notifications"] = "email" }))
            #expect(refused.status == .unprocessableContent)
            let problem = try refused.decoded(as: Answer.Problem.self)
            #expect(problem.errors.map(\.field) == ["notifications"])
        }
    }

    @Test func inQuietHoursNothingIsSentAndTheNoticeGoesInTheMorning() async throws {
        let setup = try Self.setup(at: LocalTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 21, minute: 30))!)
        try await buildApplication(setup.dependencies).test(.router) { client in
            _ = try await Self.intake(client, notifications: "zalo")
            #expect(try await setup.notifier.sendOneBatch() == 0)
            setup.clock.set(LocalTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 24, hour: 6, minute: 59))!)
            #expect(try await setup.notifier.sendOneBatch() == 0)
            #expect(setup.provider.zaloCalls.withLock { $0.isEmpty })
            setup.clock.set(LocalTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 24, hour: 7, minute: 0))!)
            #expect(try await setup.notifier.sendOneBatch() == 1)
            #expect(setup.provider.zaloCalls.withLock { $0.count } == 1)
            #expect(try await Self.notices(setup.dependencies.database).map(\.state) == [.sent])
        }
    }

    @Test func aNumberWithoutZaloGetsTheSMSAtOnceUnderTheSameKeyUnaccented() async throws {
        let setup = try Self.setup()
        setup.provider.zaloAnswer.withLock { $0 = .noZaloAccount }
        try await buildApplication(setup.dependencies).test(.router) { client in
            let number = try await Self.intake(client, notifications: "zalo")
            #expect(try await setup.notifier.sendOneBatch() == 1)
            let zalo = try #require(setup.provider.zaloCalls.withLock { $0.first })
            let sms = try #require(setup.provider.smsCalls.withLock { $0.first })
            #expect(zalo.phone == "84912345678" && sms.phone == "84912345678")
            #expect(zalo.key == sms.key && sms.key == "\(number).accepted.1")
            #expect(zalo.templateId == "410001" && zalo.templateData == ["code": number, "link": "https://tracuu.example.vn/t/\(number)"])
            #expect(sms.text == "Buu dien da nhan ho so cua ban, ma \(number). Tra cuu tai https://tracuu.example.vn/t/\(number)")
            let notice = try #require(try await Self.notices(setup.dependencies.database).first)
            #expect(notice.state == .sent && notice.sentVia == .sms && notice.channel == .sms && notice.providerMessageId == "sms-1")
            #expect(notice.text == sms.text)
        }
    }

    @Test func aNoticeMadeStaleByALaterMilestoneIsDroppedButTheAcceptanceStillGoes() async throws {
        let setup = try Self.setup()
        try await buildApplication(setup.dependencies).test(.router) { client in
            let number = try await Self.intake(client, notifications: "sms")
            let now = setup.clock.now
            try await setup.dependencies.database.write { db in
                let dossierId = try Int64.fetchOne(db, sql: "SELECT dossierId FROM item WHERE trackingNumber = ?", arguments: [number])!
                try AppDatabase.notify(.resultOnItsWay, dossierId: dossierId, values: ["day": "30/11/2026"], at: now, in: db)
                try AppDatabase.notify(.delivered, dossierId: dossierId, at: now, in: db)
            }
            while try await setup.notifier.sendOneBatch() > 0 {}
            let notices = try await Self.notices(setup.dependencies.database)
            #expect(notices.map(\.milestone) == [.accepted, .resultOnItsWay, .delivered])
            #expect(notices.map(\.state) == [.sent, .dropped, .sent])
            #expect(setup.provider.smsCalls.withLock { $0.map(\.campaign) } == ["accepted", "delivered"])
        }
    }

    @Test func aRefusedNoticeIsDeadListedWithAMaskedPhoneAndASupervisorRequeuesIt() async throws {
        let setup = try Self.setup()
        setup.provider.zaloAnswer.withLock { $0 = .refused("ZNS error -109") }
        try await buildApplication(setup.dependencies).test(.router) { client in
            let number = try await Self.intake(client, notifications: "zalo")
            #expect(try await setup.notifier.sendOneBatch() == 1)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_notices{state="dead"} 1"#), "\(metrics)")
            let dead = try await client.execute(uri: "/api/v1/notices?state=dead", method: .get).decoded(as: Answer.Notices.self).items
            #expect(dead.map(\.trackingNumber) == [number] && dead.map(\.phone) == ["091****678"] && dead.map(\.lastError) == ["ZNS error -109"])
            let requeued = try await client.execute(
                uri: "/api/v1/notices/\(dead[0].id)/requeue", method: .post, headers: TestSupport.headers(key: nil))
            #expect(requeued.status == .accepted)
            setup.provider.zaloAnswer.withLock { $0 = .sent(providerMessageId: "zns-2") }
            #expect(try await setup.notifier.sendOneBatch() == 1)
            let all = try await client.execute(uri: "/api/v1/dossiers/\(number)/notices", method: .get).decoded(as: Answer.Notices.self).items
            #expect(all.map(\.state) == ["sent"] && all.map(\.sentVia) == ["zalo"] && all.map(\.attempts) == [2])
            #expect(setup.provider.zaloCalls.withLock { Set($0.map(\.key)) } == ["\(number).accepted.1"])
            let again = try await client.execute(uri: "/api/v1/notices/\(dead[0].id)/requeue", method: .post, headers: TestSupport.headers(key: nil))
            #expect(again.status == .notFound)
            let page = String(buffer: try await client.execute(uri: "/notices/\(number)", method: .get).body)
            #expect(page.contains("091****678") && page.contains("Đã gửi") && !page.contains("0912345678"))
        }
    }

    @Test func aProviderThatStaysDownIsRetriedWithBackoffThenGivenUpOnAfterTheHorizon() async throws {
        let setup = try Self.setup()
        setup.provider.zaloAnswer.withLock { $0 = .unavailable("HTTP 503") }
        try await buildApplication(setup.dependencies).test(.router) { client in
            _ = try await Self.intake(client, notifications: "zalo")
            #expect(try await setup.notifier.sendOneBatch() == 1)
            var notice = try #require(try await Self.notices(setup.dependencies.database).first)
            #expect(notice.state == .pending && notice.attempts == 1 && notice.lastError == "HTTP 503")
            // 49 hours on, at 10:30 (not in quiet hours): past the 48 h horizon.
            setup.clock.set(TestSupport.mondayMorning.addingTimeInterval(49 * 3600))
            #expect(try await setup.notifier.sendOneBatch() == 1)
            notice = try #require(try await Self.notices(setup.dependencies.database).first)
            #expect(notice.state == .dead && notice.lastError?.hasPrefix("gave up after 48 h") == true)
        }
    }

    /// TT17 Art 5.2h: for a citizen who agreed to messages, the failed deliveries' notices are the invitations, and the
    /// result goes back to the agency only once they have gone.
    @Test func aResultGoesBackToTheAgencyOnlyOnceBothInvitationsHaveGone() async throws {
        let setup = try Self.setup()
        try await buildApplication(setup.dependencies).test(.router) { client in
            let (dossier, result) = try await ResultReturnTests.resultReady(client, secret: setup.dependencies.webhookSecret, notifications: "sms")
            let resultNumber = try #require(result)
            func scan(_ event: String) async throws -> TestResponse {
                try await ScanningTests.scan(client, resultNumber, event, office: "251750")
            }
            for event in ["pickedUp", "outForDelivery", "deliveryFailed"] { #expect(try await scan(event).status == .created) }
            setup.clock.set("2026-11-25", hour: 10)
            for event in ["outForDelivery", "deliveryFailed"] { #expect(try await scan(event).status == .created) }
            let waiting = try await scan("returnedToAgency")
            #expect(waiting.status == .conflict)
            #expect(try waiting.decoded(as: Answer.Problem.self).detail?.contains("Giấy mời") == true)

            while try await setup.notifier.sendOneBatch() > 0 {}
            let invitations = setup.provider.smsCalls.withLock { $0.filter { $0.campaign == "deliveryFailed" } }
            #expect(invitations.map(\.key) == ["\(dossier).deliveryFailed.1", "\(dossier).deliveryFailed.2"])
            // Where and until when: the office serving the desk, until the next attempt may be made.
            #expect(
                invitations.first?.text.contains("Moi ban nhan tai Buu cuc Phu Xa den het ngay 25/11/2026") == true,
                "\(invitations.first?.text ?? "")")
            #expect(try await scan("returnedToAgency").status == .created)

            let tracking = try await client.execute(uri: "/api/v1/track/\(dossier)", method: .get).decoded(as: Answer.Tracking.self)
            // The notifier ran only now: the receipt and the pickup were stale by then, and dropped; the invitations never are.
            #expect(tracking.notices.map(\.milestone) == ["accepted", "deliveryFailed", "deliveryFailed"])
            let states = try await Self.notices(setup.dependencies.database).map { "\($0.milestone.rawValue):\($0.state.rawValue)" }
            #expect(states == ["accepted:sent", "received:dropped", "resultOnItsWay:dropped", "deliveryFailed:sent", "deliveryFailed:sent"])
            let page = String(buffer: try await client.execute(uri: "/t/\(dossier)", method: .get).body)
            #expect(page.contains("Tin nhắn đã gửi") && page.contains("Giấy mời nhận kết quả") && !page.contains("Moi ban nhan"))
        }
    }

    @Test func theCounterChangesConsentAndWaitingNoticesFollowOrAreDropped() async throws {
        let setup = try Self.setup()
        try await buildApplication(setup.dependencies).test(.router) { client in
            let number = try await Self.intake(client, notifications: "zalo")
            func change(_ value: Any) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/dossiers/\(number)/notifications", method: .put, headers: TestSupport.headers(key: nil),
                    body: TestSupport.json(["notifications": value]))
            }
            func consent() async throws -> String {
                try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get).decoded(as: Answer.Dossier.self).notifications
            }
            #expect(try await consent() == "zalo")
            #expect(try await change("sms").status == .ok)
            #expect(try await consent() == "sms")
            #expect(try await Self.notices(setup.dependencies.database).map(\.channel) == [.sms])
            #expect(try await change("telegram").status == .unprocessableContent)
            #expect(try await change("none").status == .ok)
            #expect(try await Self.notices(setup.dependencies.database).map(\.state) == [.dropped])
            #expect(try await setup.notifier.sendOneBatch() == 0)
            let unknown = try await client.execute(
                uri: "/api/v1/dossiers/\(TrackingNumber(prefix: "PH", serial: 99_999_999))/notifications", method: .put,
                headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["notifications": "sms"]))
            #expect(unknown.status == .notFound)
            let page = String(buffer: try await client.execute(uri: "/notices/\(number)", method: .get).body)
            #expect(page.contains("Người dân không nhận tin nhắn.") && page.contains("Bỏ qua"))
        }
    }

    /// With no provider, nobody can be invited by message: a result goes back after its two failed attempts, as without
    /// consent, instead of waiting for ever for notices that cannot go.
    @Test func withoutAProviderAResultGoesBackAfterItsTwoAttemptsAlone() async throws {
        let clock = MovableClock(TestSupport.mondayMorning)
        let dependencies = try TestSupport.dependencies(clock: { clock.now })
        try await buildApplication(dependencies).test(.router) { client in
            let (_, result) = try await ResultReturnTests.resultReady(client, secret: dependencies.webhookSecret, notifications: "zalo")
            let resultNumber = try #require(result)
            func scan(_ event: String) async throws -> HTTPResponse.Status {
                try await ScanningTests.scan(client, resultNumber, event, office: "251750").status
            }
            for event in ["pickedUp", "outForDelivery", "deliveryFailed"] { #expect(try await scan(event) == .created) }
            clock.set("2026-11-25", hour: 10)
            for event in ["outForDelivery", "deliveryFailed", "returnedToAgency"] { #expect(try await scan(event) == .created) }
        }
    }

    /// A notice in flight when the citizen withdraws consent, and whose try fails, goes no further.
    @Test func aNoticeInFlightWhenConsentIsWithdrawnIsNotSentLater() async throws {
        let setup = try Self.setup()
        try await buildApplication(setup.dependencies).test(.router) { client in
            let number = try await Self.intake(client, notifications: "zalo")
            let database = setup.dependencies.database
            let claimed = try await database.claimDueNotices(limit: 10, now: setup.clock.now)
            #expect(claimed.count == 1)
            let withdrawn = try await client.execute(
                uri: "/api/v1/dossiers/\(number)/notifications", method: .put, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["notifications": "none"]))
            #expect(withdrawn.status == .ok)
            try await database.recordNotices(
                [(claimed[0].id, .retry(at: setup.clock.now, reason: "HTTP 503", channel: .zalo))], now: setup.clock.now)
            #expect(try await setup.notifier.sendOneBatch() == 0)
            #expect(try await Self.notices(database).map(\.state) == [.dropped])
            #expect(setup.provider.zaloCalls.withLock { $0.isEmpty })
        }
    }
}
