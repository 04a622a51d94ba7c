import Foundation
import Logging
import ServiceLifecycle

/// Sends the notices to citizens: at least once, under a key the provider deduplicates on (so once in effect), in
/// order per dossier, with backoff, dead after a horizon, never in quiet hours, and not at all once stale. Zalo that
/// says a number has no account is followed at once by the SMS, under the same key. Notices a crash left in flight are
/// recovered when the service starts. Logs name a notice by its id and milestone, never by its phone or its text.
package struct Notifier: Service {
    package struct Settings: Sendable {
        var batchSize = 64
        var concurrency = 8
        var pollInterval: Duration = .milliseconds(500)
        var backoff = Backoff(base: 5, cap: 30 * 60)
        var deadAfter: TimeInterval = 48 * 3600
        /// Local minutes of the day when nothing is sent, from and until (wrapping midnight); nil: none.
        var quietHours: (from: Int, until: Int)? = (21 * 60, 7 * 60)
    }

    let database: AppDatabase
    let client: NotificationClient
    let templates: NoticeTemplates
    let reference: ReferenceData
    let pins: TrackingPins
    let publicBaseURL: String
    let settings: Settings
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    package func run() async throws {
        let recovered = try await database.recoverInFlightNotices()
        if recovered > 0 { logger.notice("notices recovered after a stop", metadata: ["count": "\(recovered)"]) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if try await sendOneBatch() == 0 {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
                }
            } catch {
                logger.error("sending notices failed; will retry", metadata: ["error": .error(error)])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }

    /// Whether `date` falls in the quiet hours (Vietnam's wall clock).
    func isQuiet(at date: Date) -> Bool {
        guard let (from, until) = settings.quietHours else { return false }
        let reading = LocalTime.Reading(date)
        let minute = reading.hour * 60 + reading.minute
        return from <= until ? (from..<until).contains(minute) : minute >= from || minute < until
    }

    /// Claims, sends and records one batch; answers how many notices it handled (none in quiet hours).
    package func sendOneBatch() async throws -> Int {
        guard !isQuiet(at: clock()) else { return 0 }
        let batch = try await database.claimDueNotices(limit: settings.batchSize, now: clock())
        guard !batch.isEmpty else { return 0 }
        let outcomes = await batch.mapped(atMostAtOnce: settings.concurrency) { notice -> (id: Int64, outcome: NoticeOutcome) in
            (notice.id, await send(notice))
        }
        try await record(outcomes)
        for (id, outcome) in outcomes {
            switch outcome {
            case .sent: metrics.noticesSent.increment()
            case .retry: metrics.noticesRetried.increment()
            case .dead(let reason, _):
                metrics.noticesDead.increment()
                logger.warning("notice dead", metadata: ["notice": "\(id)", "reason": "\(reason)"])
            }
        }
        return batch.count
    }

    /// Outcomes not recorded keep their notices in flight, holding back their dossiers' later notices (and a result's
    /// return) until the next start.
    private func record(_ outcomes: [(id: Int64, outcome: NoticeOutcome)]) async throws {
        try await AppDatabase.recordingThroughBusyLedger(
            longestWait: .seconds(10), logger: logger, failure: "notice outcomes could not be recorded; trying again",
            metadata: ["notices": "\(outcomes.count)"]
        ) { try await database.recordNotices(outcomes, now: clock()) }
    }

    /// One notice's attempt: Zalo (then SMS if the number has no Zalo account), or SMS.
    func send(_ notice: ClaimedNotice) async -> NoticeOutcome {
        let entry = templates.entry(notice.milestone)
        let values = values(of: notice)
        let phone = NoticeText.international(notice.phone)
        if notice.channel == .zalo {
            let data = Dictionary(uniqueKeysWithValues: entry.zaloParameters.map { ($0, values[$0] ?? "") })
            let answer = await client.sendZalo(.init(phone: phone, templateId: entry.zaloTemplateId, templateData: data, key: notice.key))
            switch answer {
            case .sent(let id): return .sent(via: .zalo, providerMessageId: id, text: entry.text.render(Self.pinMasked(values), escape: { $0 }))
            case .noZaloAccount:
                logger.debug("no Zalo account for the number: sending by SMS", metadata: ["notice": "\(notice.id)"])
            case .refused(let reason): return .dead(reason: reason, channel: .zalo)
            case .unavailable(let reason): return later(notice, reason: reason, channel: .zalo)
            }
        }
        var smsValues = values
        if let office = smsValues["office"] { smsValues["office"] = String(SMSText.unaccented(office).prefix(NoticeTemplates.officeNameLimit)) }
        var text = entry.sms.render(smsValues, escape: SMSText.unaccented)
        // The load checked the longest values of one septet each; an office's name of two-septet characters can still
        // run over one SMS: it is cut further, as it is the only free text a message holds.
        while (SMSText.septetCount(text) ?? 0) > SMSText.limit, let office = smsValues["office"], !office.isEmpty {
            smsValues["office"] = String(office.dropLast())
            text = entry.sms.render(smsValues, escape: SMSText.unaccented)
        }
        let answer = await client.sendSMS(.init(phone: phone, text: text, key: notice.key, campaign: notice.milestone.rawValue))
        switch answer {
        case .sent(let id):
            return .sent(via: .sms, providerMessageId: id, text: entry.sms.render(Self.pinMasked(smsValues), escape: SMSText.unaccented))
        case .noZaloAccount, .refused: return .dead(reason: answer.reason, channel: .sms)
        case .unavailable(let reason): return later(notice, reason: reason, channel: .sms)
        }
    }

    /// The template's values: those the event fixed, the tracking link, an office's name, and a portal order's PIN,
    /// derived now so the ledger never keeps it.
    func values(of notice: ClaimedNotice) -> [String: String] {
        var values = notice.values
        let code = values["code"] ?? ""
        values["link"] = publicBaseURL + "/t/" + code
        if let office = values.removeValue(forKey: "officeCode") { values["office"] = reference.office(office)?.name ?? office }
        if notice.milestone == .acceptedWithPin, let number = try? TrackingNumber(parsing: code) { values["pin"] = pins.pin(for: number) }
        return values
    }

    /// The values as the ledger keeps the text sent: a PIN starred.
    static func pinMasked(_ values: [String: String]) -> [String: String] {
        var masked = values
        if masked["pin"] != nil { masked["pin"] = String(repeating: "*", count: TrackingPins.digits) }
        return masked
    }

    private func later(_ notice: ClaimedNotice, reason: String, channel: NoticeChannel) -> NoticeOutcome {
        let now = clock()
        if now.timeIntervalSince(notice.retryingSince) > settings.deadAfter {
            return .dead(reason: "gave up after \(Int(settings.deadAfter / 3600)) h: \(reason)", channel: channel)
        }
        return .retry(at: now.addingTimeInterval(settings.backoff.delay(afterAttempt: notice.attempts)), reason: reason, channel: channel)
    }
}

extension NotificationClient.Answer {
    var reason: String {
        switch self {
        case .sent: "sent"
        case .noZaloAccount: "the number has no Zalo account"
        case .refused(let reason), .unavailable(let reason): reason
        }
    }
}
