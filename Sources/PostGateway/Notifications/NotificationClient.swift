import Foundation

/// The gateway's one client of the message providers: Zalo's ZNS for template messages, an SMS brandname gateway for
/// the rest. One closure per channel, with live values over HTTP (`NotificationClient+Live`) and test values made of
/// closures. `key` is the notice's idempotency key: ZNS's `tracking_id`, the SMS gateway's `RequestId`.
package struct NotificationClient: Sendable {
    enum Answer: Sendable, Equatable {
        /// Taken by the provider (or taken before, under the same key); its message id when it gives one.
        case sent(providerMessageId: String?)
        /// Zalo: the number has no Zalo account, or cannot receive ZNS: send it by SMS instead.
        case noZaloAccount
        /// The provider refused this message (a bad number, a template it does not know): retrying cannot help.
        case refused(String)
        /// Down, slow, out of quota, or refusing the gateway's credentials: try again later.
        case unavailable(String)
    }

    struct ZaloMessage: Sendable, Equatable {
        /// International form, `84…`.
        let phone: String
        let templateId: String
        let templateData: [String: String]
        let key: String
    }

    struct SMSMessage: Sendable, Equatable {
        let phone: String
        /// GSM-7, at most 160 septets.
        let text: String
        let key: String
        /// What the provider's reports group it by: the milestone.
        let campaign: String
    }

    var sendZalo: @Sendable (ZaloMessage) async -> Answer
    var sendSMS: @Sendable (SMSMessage) async -> Answer

    /// No provider configured: every notice waits, as through an outage, until one is.
    static let notConfigured = NotificationClient(
        sendZalo: { _ in .unavailable("no message provider is configured (notifications.provider)") },
        sendSMS: { _ in .unavailable("no message provider is configured (notifications.provider)") })
}
