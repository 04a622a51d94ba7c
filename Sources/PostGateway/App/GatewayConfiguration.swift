import Foundation
import Logging

/// Everything `serve` needs, after the file, the environment and the flags have been layered.
package struct GatewayConfiguration: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var dataDirectory = "data"
    package var referenceDirectory = "config/reference"
    /// The printable templates (labels, receipt, manifest) a province may edit.
    package var labelsDirectory = "labels"
    /// Where citizens reach the public tracking page; printed in QR codes and links.
    package var publicBaseURL = "http://localhost:8080"
    var dossierPrefix = "PH"
    var resultPrefix = "PK"
    /// The S10 serials the post allocated to this gateway, by prefix; a prefix named nowhere counts from 1 to the end.
    var serialRanges: [String: TrackingSeries] = [:]
    var dossierSeries: TrackingSeries { serialRanges[dossierPrefix] ?? .whole(dossierPrefix) }
    var resultSeries: TrackingSeries { serialRanges[resultPrefix] ?? .whole(resultPrefix) }
    var maxBodyBytes = 64 * 1024
    /// Reverse proxies whose `X-Forwarded-For` names the client (rate limits, logins, the audit log); none by default.
    var trustedProxies = TrustedProxies.none
    var maxPageSize = 200
    var intakeBatchLimit = 256
    /// Public tracking lookups allowed per minute from one client address, and for one code (against enumeration
    /// and PIN guessing); a trusted network or a benchmark raises them.
    var trackingPerClientPerMinute = 60
    var trackingPerCodePerMinute = 20
    /// Base64 of a 32-byte key for tracking PINs; when absent one is generated and kept in the data folder.
    var pinKey: String?
    /// The keyring that seals ID numbers at rest (`id:base64,…`, the first seals); nil: kept in the data folder.
    var idNumberKeys: String?
    /// bcrypt's cost for staff passwords (12 in production; tests lower it to stay quick).
    var passwordCost = 12
    /// Session cookies carry `Secure`: on behind TLS, off only for plain-HTTP development on localhost. Unset, it
    /// follows `publicBaseURL`: a gateway its users reach over https never sends a session over plain HTTP.
    var secureCookies: Bool?
    var cookiesAreSecure: Bool { secureCookies ?? publicBaseURL.lowercased().hasPrefix("https://") }
    var sessionHours = 12
    /// Login attempts one address may make per minute, whatever the accounts.
    var loginPerAddressPerMinute = 30
    /// The first admin's password (`make run` prints a generated one when this is unset).
    var adminPassword: String?
    var logLevel: Logger.Level = .info

    /// The one-stop's base URL; nil means the sandbox one-stop runs beside the gateway (`sandboxPort`) or, without it,
    /// that no one-stop is configured: dossiers wait in the outbox.
    var oneStopURL: String?
    var oneStopToken = "sandbox-token"
    /// Standard Webhooks secret of the one-stop's callbacks (`whsec_…`); generated into the data folder when absent.
    var webhookSecret: String?
    /// The secret being retired while the one-stop rotates keys: callbacks signed with either are accepted.
    var previousWebhookSecret: String?
    var oneStopConnectTimeout: Double = 5
    var oneStopTotalTimeout: Double = 30
    /// PEM files for mutual TLS with the one-stop: the gateway's certificate (chain) and its private key.
    var oneStopClientCertificate: String?
    var oneStopClientKey: String?
    /// PEM file of a CA to trust for the one-stop's certificate (a provincial CA outside the system store).
    var oneStopTrustedCA: String?
    /// Whether this process drains the outbox (off for a benchmark of intake alone, or while a one-stop is under maintenance).
    var forwardingEnabled = true
    var forwardingDeadAfterHours: Double = 72
    var forwardingBaseDelay: Double = 1
    var forwardingMaxDelay: Double = 900
    var forwardingBatchSize = 256
    var forwardingConcurrency = 32
    /// Where the sandbox one-stop listens when it runs beside the gateway; nil (the default) runs none. Only the demo
    /// configuration asks for it: a gateway never forwards to a stand-in unless told to.
    var sandboxPort: Int? = nil
    /// Who carries the notices to citizens: the sandbox beside the gateway, the live providers (Zalo ZNS and eSMS.vn),
    /// or nobody (notices wait).
    /// nil: the sandbox's stand-ins when the sandbox runs beside the gateway, none otherwise.
    var notificationProvider: NotificationProviderKind? = nil
    var notificationProviderInEffect: NotificationProviderKind { notificationProvider ?? (forwardsToSandbox ? .sandbox : .off) }
    var noticeTemplatesPath = "config/notices.yaml"
    /// Local minutes of the day, from and until, when no notice is sent; nil: none.
    var quietHours: (from: Int, until: Int)? = (21 * 60, 7 * 60)
    var noticesDeadAfterHours: Double = 48
    var zaloAppId: String?
    var zaloSecretKey: String?
    var zaloRefreshToken: String?
    var zaloMessageURL = "https://business.openapi.zalo.me/message/template"
    var zaloTokenURL = "https://oauth.zaloapp.com/v4/oa/access_token"
    var smsURL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    var smsApiKey: String?
    var smsSecretKey: String?
    var smsBrandname: String?
    /// The bearer token of the sandbox's `/_sandbox` controls; generated into the data folder when absent.
    var sandboxControlToken: String?
    /// The sandbox's demo autopilot (receives dossiers and produces results on its own).
    var sandboxAutopilot = true

    /// The local time of the nightly reconciliation (minutes after midnight); nil turns it off.
    var reconciliationNightlyAt: Int? = 2 * 60
    /// The nightly run compares the dossiers taken in over this many days, ending yesterday: statuses keep moving
    /// after the day a dossier came in.
    var reconciliationWindowDays = 7
    /// Where reconciliation reports (JSON, CSV, HTML) are written; nil means `<dataDir>/reports`.
    var reconciliationReportsDirectory: String?

    var reportsDirectory: String { reconciliationReportsDirectory ?? (dataDirectory as NSString).appendingPathComponent("reports") }
    var reconciliationLockPath: String { (dataDirectory as NSString).appendingPathComponent("reconciliation.lock") }

    /// Whether dossiers go to the sandbox one-stop rather than the province's: pages, `/health` and the log say so.
    var forwardsToSandbox: Bool { oneStopURL == nil && sandboxPort != nil }

    /// Where dossiers go, as `/health` says it: "province" (a configured one-stop), "sandbox", or "notConfigured".
    var oneStopKind: String { oneStopURL != nil ? "province" : forwardsToSandbox ? "sandbox" : "notConfigured" }

    package var sandboxDataDirectory: String { (dataDirectory as NSString).appendingPathComponent("sandbox") }

    /// `ledger.url`: the embedded SQLite file unless it names a PostgreSQL database.
    var ledgerLocation = LedgerLocation.sqlite(path: nil)

    /// The SQLite ledger's file: the one `ledger.url` names, or `ledger.sqlite` in the data folder (which `ledger copy`
    /// reads from when the ledger has moved to PostgreSQL).
    package var databasePath: String {
        if case .sqlite(let path?) = ledgerLocation { return path }
        return (dataDirectory as NSString).appendingPathComponent("ledger.sqlite")
    }
}

extension GatewayConfiguration {
    /// For what this version runs on an SQLite ledger only: never the data folder's SQLite file in place of the
    /// PostgreSQL ledger `ledger.url` names, as what was written there would be missing from the ledger other instances read.
    func requireSQLiteLedger() throws(ConfigurationError) {
        guard case .postgres(let url) = ledgerLocation else { return }
        throw ConfigurationError(
            key: "ledger.url", source: "configuration",
            reason: """
                names PostgreSQL (\(url)), where this version keeps the schema (`postgateway migrate`) and copies of an \
                SQLite ledger (`postgateway ledger copy`); it serves, and runs this command, on an SQLite ledger only: \
                remove ledger.url, or set it to sqlite:PATH
                """)
    }
}

/// A setting that cannot be used: the start stops and names the key, where it came from, and why.
struct ConfigurationError: Error, CustomStringConvertible {
    let key: String
    let source: String
    let reason: String

    var description: String { "configuration \(key) (from \(source)): \(reason)" }
}

/// `notifications.provider`.
enum NotificationProviderKind: String, Sendable, CaseIterable {
    /// The sandbox process's stand-ins for ZNS and eSMS (needs `sandbox.port`).
    case sandbox
    /// Zalo ZNS and eSMS.vn, with the `notifications.zalo` and `notifications.sms` credentials.
    case live
    /// Nothing is sent: notices are written and wait until a provider is configured.
    case off
}
