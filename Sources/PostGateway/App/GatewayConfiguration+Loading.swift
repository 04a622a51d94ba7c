import Foundation
import Logging
import Yams

extension GatewayConfiguration {
    /// One setting: its dotted key in gateway.yaml, its environment variable, and how it is applied.
    struct Setting: Sendable {
        let key: String
        let environment: String
        let apply: @Sendable (inout GatewayConfiguration, String) throws(SettingError) -> Void
    }

    struct SettingError: Error { let reason: String }

    static let settings: [Setting] = [
        Setting(key: "server.host", environment: "POSTGATEWAY_HOST") { config, value throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(reason: "must not be empty") }
            config.host = value
        },
        Setting(key: "server.port", environment: "POSTGATEWAY_PORT") { config, value throws(SettingError) in
            config.port = try integer(value, in: 0...65535)
        },
        Setting(key: "server.publicBaseURL", environment: "POSTGATEWAY_PUBLIC_BASE_URL") { config, value throws(SettingError) in
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw SettingError(reason: "must be an http(s) URL")
            }
            config.publicBaseURL = value.hasSuffix("/") ? String(value.dropLast()) : value
        },
        Setting(key: "server.maxBodyBytes", environment: "POSTGATEWAY_MAX_BODY_BYTES") { config, value throws(SettingError) in
            config.maxBodyBytes = try integer(value, in: 1024...10_485_760)
        },
        Setting(key: "server.trustedProxies", environment: "POSTGATEWAY_TRUSTED_PROXIES") { config, value throws(SettingError) in
            switch TrustedProxies.parse(value) {
            case .success(let proxies): config.trustedProxies = proxies
            case .failure(let bad): throw SettingError(reason: "\"\(bad.entry)\" is not an IP address or a block like 10.0.0.0/8 or 2001:db8::/32")
            }
        },
        Setting(key: "dataDir", environment: "POSTGATEWAY_DATA_DIR") { config, value throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(reason: "must not be empty") }
            config.dataDirectory = value
        },
        Setting(key: "ledger.url", environment: "POSTGATEWAY_LEDGER_URL") { config, value throws(SettingError) in
            do throws(LedgerLocation.Invalid) { config.ledgerLocation = try LedgerLocation(value) } catch { throw SettingError(reason: error.reason) }
        },
        Setting(key: "referenceDir", environment: "POSTGATEWAY_REFERENCE_DIR") { config, value throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(reason: "must not be empty") }
            config.referenceDirectory = value
        },
        Setting(key: "labelsDir", environment: "POSTGATEWAY_LABELS_DIR") { config, value throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(reason: "must not be empty") }
            config.labelsDirectory = value
        },
        Setting(key: "tracking.dossierPrefix", environment: "POSTGATEWAY_DOSSIER_PREFIX") { config, value throws(SettingError) in
            config.dossierPrefix = try prefix(value)
        },
        Setting(key: "tracking.resultPrefix", environment: "POSTGATEWAY_RESULT_PREFIX") { config, value throws(SettingError) in
            config.resultPrefix = try prefix(value)
        },
        Setting(key: "tracking.serialRanges", environment: "POSTGATEWAY_SERIAL_RANGES") { config, value throws(SettingError) in
            config.serialRanges = try serialRanges(value)
        },
        Setting(key: "listing.maxPageSize", environment: "POSTGATEWAY_MAX_PAGE_SIZE") { config, value throws(SettingError) in
            config.maxPageSize = try integer(value, in: 1...1000)
        },
        Setting(key: "intake.batchLimit", environment: "POSTGATEWAY_INTAKE_BATCH_LIMIT") { config, value throws(SettingError) in
            config.intakeBatchLimit = try integer(value, in: 1...10_000)
        },
        Setting(key: "tracking.perClientPerMinute", environment: "POSTGATEWAY_TRACKING_PER_CLIENT") { config, value throws(SettingError) in
            config.trackingPerClientPerMinute = try integer(value, in: 1...10_000_000)
        },
        Setting(key: "tracking.perCodePerMinute", environment: "POSTGATEWAY_TRACKING_PER_CODE") { config, value throws(SettingError) in
            config.trackingPerCodePerMinute = try integer(value, in: 1...10_000_000)
        },
        Setting(key: "security.pinKey", environment: "POSTGATEWAY_PIN_KEY") { config, value throws(SettingError) in
            guard let data = Data(base64Encoded: value), data.count == 32 else {
                throw SettingError(reason: "must be the base64 of exactly 32 bytes")
            }
            config.pinKey = value
        },
        Setting(key: "security.idNumberKeys", environment: "POSTGATEWAY_ID_NUMBER_KEYS") { config, value throws(SettingError) in
            _ = try IdNumberSealer.parse(keyring: value)
            config.idNumberKeys = value
        },
        Setting(key: "security.passwordCost", environment: "POSTGATEWAY_PASSWORD_COST") { config, value throws(SettingError) in
            config.passwordCost = try integer(value, in: 4...16)
        },
        Setting(key: "security.secureCookies", environment: "POSTGATEWAY_SECURE_COOKIES") { config, value throws(SettingError) in
            config.secureCookies = try boolean(value)
        },
        Setting(key: "security.sessionHours", environment: "POSTGATEWAY_SESSION_HOURS") { config, value throws(SettingError) in
            config.sessionHours = try integer(value, in: 1...72)
        },
        Setting(key: "security.adminPassword", environment: "POSTGATEWAY_ADMIN_PASSWORD") { config, value throws(SettingError) in
            guard value.count >= PasswordHasher.minimumLength else {
                throw SettingError(reason: "must be at least \(PasswordHasher.minimumLength) characters")
            }
            config.adminPassword = value
        },
        Setting(key: "onestop.url", environment: "POSTGATEWAY_ONESTOP_URL") { config, value throws(SettingError) in
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw SettingError(reason: "must be an http(s) URL")
            }
            config.oneStopURL = value.hasSuffix("/") ? String(value.dropLast()) : value
        },
        Setting(key: "onestop.token", environment: "POSTGATEWAY_ONESTOP_TOKEN") { config, value throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(reason: "must not be empty") }
            config.oneStopToken = value
        },
        Setting(key: "onestop.webhookSecret", environment: "POSTGATEWAY_WEBHOOK_SECRET") { config, value throws(SettingError) in
            config.webhookSecret = try webhookSecret(value)
        },
        Setting(key: "onestop.previousWebhookSecret", environment: "POSTGATEWAY_PREVIOUS_WEBHOOK_SECRET") { config, value throws(SettingError) in
            config.previousWebhookSecret = try webhookSecret(value)
        },
        Setting(key: "onestop.connectTimeoutSeconds", environment: "POSTGATEWAY_ONESTOP_CONNECT_TIMEOUT") { config, value throws(SettingError) in
            config.oneStopConnectTimeout = try seconds(value, in: 0.1...120)
        },
        Setting(key: "onestop.totalTimeoutSeconds", environment: "POSTGATEWAY_ONESTOP_TOTAL_TIMEOUT") { config, value throws(SettingError) in
            config.oneStopTotalTimeout = try seconds(value, in: 0.1...600)
        },
        Setting(key: "onestop.clientCertificate", environment: "POSTGATEWAY_ONESTOP_CLIENT_CERTIFICATE") { config, value throws(SettingError) in
            config.oneStopClientCertificate = try readablePEM(value)
        },
        Setting(key: "onestop.clientKey", environment: "POSTGATEWAY_ONESTOP_CLIENT_KEY") { config, value throws(SettingError) in
            config.oneStopClientKey = try readablePEM(value)
        },
        Setting(key: "onestop.trustedCA", environment: "POSTGATEWAY_ONESTOP_TRUSTED_CA") { config, value throws(SettingError) in
            config.oneStopTrustedCA = try readablePEM(value)
        },
        Setting(key: "forwarding.enabled", environment: "POSTGATEWAY_FORWARDING_ENABLED") { config, value throws(SettingError) in
            config.forwardingEnabled = try boolean(value)
        },
        Setting(key: "forwarding.deadAfterHours", environment: "POSTGATEWAY_FORWARDING_DEAD_AFTER_HOURS") { config, value throws(SettingError) in
            config.forwardingDeadAfterHours = try seconds(value, in: 0.001...24 * 365)
        },
        Setting(key: "forwarding.baseDelaySeconds", environment: "POSTGATEWAY_FORWARDING_BASE_DELAY") { config, value throws(SettingError) in
            config.forwardingBaseDelay = try seconds(value, in: 0.001...3600)
        },
        Setting(key: "forwarding.maxDelaySeconds", environment: "POSTGATEWAY_FORWARDING_MAX_DELAY") { config, value throws(SettingError) in
            config.forwardingMaxDelay = try seconds(value, in: 0.001...86400)
        },
        Setting(key: "forwarding.batchSize", environment: "POSTGATEWAY_FORWARDING_BATCH_SIZE") { config, value throws(SettingError) in
            config.forwardingBatchSize = try integer(value, in: 1...5000)
        },
        Setting(key: "forwarding.concurrency", environment: "POSTGATEWAY_FORWARDING_CONCURRENCY") { config, value throws(SettingError) in
            config.forwardingConcurrency = try integer(value, in: 1...512)
        },
        Setting(key: "notifications.provider", environment: "POSTGATEWAY_NOTIFICATIONS_PROVIDER") { config, value throws(SettingError) in
            guard let kind = NotificationProviderKind(rawValue: value) else {
                throw SettingError(reason: "must be one of \(NotificationProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            config.notificationProvider = kind
        },
        Setting(key: "notifications.templates", environment: "POSTGATEWAY_NOTICE_TEMPLATES") { config, value throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(reason: "must name the file of notice templates") }
            config.noticeTemplatesPath = value
        },
        Setting(key: "notifications.quietHours", environment: "POSTGATEWAY_QUIET_HOURS") { config, value throws(SettingError) in
            if value == "off" {
                config.quietHours = nil
                return
            }
            let ends = value.split(separator: "-").map { minutes(of: String($0)) }
            guard ends.count == 2, let from = ends[0], let until = ends[1], from != until else {
                throw SettingError(reason: "must be two local times HH:mm-HH:mm (e.g. 21:00-07:00) or off")
            }
            config.quietHours = (from, until)
        },
        Setting(key: "notifications.deadAfterHours", environment: "POSTGATEWAY_NOTICES_DEAD_AFTER_HOURS") { config, value throws(SettingError) in
            config.noticesDeadAfterHours = try seconds(value, in: 0.001...24 * 30)
        },
        Setting(key: "notifications.zalo.appId", environment: "POSTGATEWAY_ZALO_APP_ID") { config, value throws(SettingError) in
            config.zaloAppId = value
        },
        Setting(key: "notifications.zalo.secretKey", environment: "POSTGATEWAY_ZALO_SECRET_KEY") { config, value throws(SettingError) in
            config.zaloSecretKey = value
        },
        Setting(key: "notifications.zalo.refreshToken", environment: "POSTGATEWAY_ZALO_REFRESH_TOKEN") { config, value throws(SettingError) in
            config.zaloRefreshToken = value
        },
        Setting(key: "notifications.zalo.messageURL", environment: "POSTGATEWAY_ZALO_MESSAGE_URL") { config, value throws(SettingError) in
            config.zaloMessageURL = try httpURL(value)
        },
        Setting(key: "notifications.zalo.tokenURL", environment: "POSTGATEWAY_ZALO_TOKEN_URL") { config, value throws(SettingError) in
            config.zaloTokenURL = try httpURL(value)
        },
        Setting(key: "notifications.sms.url", environment: "POSTGATEWAY_SMS_URL") { config, value throws(SettingError) in
            config.smsURL = try httpURL(value)
        },
        Setting(key: "notifications.sms.apiKey", environment: "POSTGATEWAY_SMS_API_KEY") { config, value throws(SettingError) in
            config.smsApiKey = value
        },
        Setting(key: "notifications.sms.secretKey", environment: "POSTGATEWAY_SMS_SECRET_KEY") { config, value throws(SettingError) in
            config.smsSecretKey = value
        },
        Setting(key: "notifications.sms.brandname", environment: "POSTGATEWAY_SMS_BRANDNAME") { config, value throws(SettingError) in
            config.smsBrandname = value
        },
        Setting(key: "sandbox.port", environment: "POSTGATEWAY_SANDBOX_PORT") { config, value throws(SettingError) in
            config.sandboxPort = value == "off" ? nil : try integer(value, in: 0...65535)
        },
        Setting(key: "sandbox.controlToken", environment: "POSTGATEWAY_SANDBOX_CONTROL_TOKEN") { config, value throws(SettingError) in
            guard value.utf8.count >= 16 else { throw SettingError(reason: "must be at least 16 characters") }
            config.sandboxControlToken = value
        },
        Setting(key: "sandbox.autopilot", environment: "POSTGATEWAY_SANDBOX_AUTOPILOT") { config, value throws(SettingError) in
            config.sandboxAutopilot = try boolean(value)
        },
        Setting(key: "reconciliation.nightlyAt", environment: "POSTGATEWAY_RECONCILIATION_NIGHTLY_AT") { config, value throws(SettingError) in
            if value == "off" {
                config.reconciliationNightlyAt = nil
                return
            }
            guard let minutes = minutes(of: value) else { throw SettingError(reason: "must be a local time HH:mm (Asia/Ho_Chi_Minh) or off") }
            config.reconciliationNightlyAt = minutes
        },
        Setting(key: "reconciliation.windowDays", environment: "POSTGATEWAY_RECONCILIATION_WINDOW_DAYS") { config, value throws(SettingError) in
            config.reconciliationWindowDays = try integer(value, in: 1...366)
        },
        Setting(key: "reconciliation.reportsDir", environment: "POSTGATEWAY_REPORTS_DIR") { config, value throws(SettingError) in
            guard !value.isEmpty else { throw SettingError(reason: "must not be empty") }
            config.reconciliationReportsDirectory = value
        },
        Setting(key: "log.level", environment: "POSTGATEWAY_LOG_LEVEL") { config, value throws(SettingError) in
            guard let level = Logger.Level(rawValue: value) else {
                throw SettingError(reason: "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            config.logLevel = level
        },
    ]

    /// Settings that once were, by file key and by variable, with what to do about them: refused like any unknown key,
    /// but with words an operator upgrading can act on.
    static let retired: [String: String] = {
        let trackingCache = "was removed: tracking answers are read from the ledger on every lookup; delete it"
        let bigCities = "was removed: the big cities of the J + n table are config/reference/cities.csv, by unit and dated; delete it"
        return [
            "deadlines.bigCityProvinces": bigCities, "POSTGATEWAY_BIG_CITY_PROVINCES": bigCities,
            "tracking.cacheSize": trackingCache, "POSTGATEWAY_TRACKING_CACHE_SIZE": trackingCache,
            "tracking.externalChangePollSeconds": trackingCache, "POSTGATEWAY_TRACKING_EXTERNAL_POLL": trackingCache,
        ]
    }()

    /// The prefix of the gateway's own environment variables: any of them that names no setting is a mistake.
    static let environmentPrefix = "POSTGATEWAY_"

    /// Layers the file (if it exists, or must exist when named explicitly), then the environment, then the flags:
    /// flags beat environment variables, which beat the file. Unknown keys in the file, and unknown `POSTGATEWAY_`
    /// variables, are refused, so a typo does not silently leave a default in place (a misspelt PIN key would be a
    /// new random one).
    static func load(
        file: String, fileMustExist: Bool, environment: [String: String], flags: [String: String]
    ) throws -> GatewayConfiguration {
        var layers: [(source: String, values: [String: String])] = []
        if FileManager.default.fileExists(atPath: file) {
            layers.append((file, try flatten(yamlFile: file)))
        } else if fileMustExist {
            throw ConfigurationError(key: "--config", source: "command line", reason: "file \(file) does not exist")
        }
        let byEnvironment = Dictionary(uniqueKeysWithValues: settings.map { ($0.environment, $0.key) })
        if let unknown = environment.keys.filter({ $0.hasPrefix(environmentPrefix) && byEnvironment[$0] == nil }).sorted().first {
            throw ConfigurationError(key: unknown, source: "environment", reason: retired[unknown] ?? "is not a known setting")
        }
        layers.append(
            (
                "environment",
                Dictionary(
                    uniqueKeysWithValues: environment.compactMap { name, value in
                        byEnvironment[name].map { ($0, value) }
                    })
            ))
        layers.append(("command line", flags))

        var config = GatewayConfiguration()
        for setting in settings {
            guard let (source, value) = layers.reversed().lazy.compactMap({ layer in layer.values[setting.key].map { (layer.source, $0) } }).first
            else { continue }
            do throws(SettingError) {
                try setting.apply(&config, value)
            } catch {
                let origin = source == "environment" ? setting.environment : source
                throw ConfigurationError(key: setting.key, source: origin, reason: error.reason)
            }
        }
        // The sandbox beside the gateway is told, before either listens, where to call back, and the gateway where the
        // sandbox is: a port left to the system (0) cannot be told.
        if config.oneStopURL == nil, let sandboxPort = config.sandboxPort, config.port == 0 || sandboxPort == 0 {
            throw ConfigurationError(
                key: config.port == 0 ? "server.port" : "sandbox.port", source: "configuration",
                reason: "0 (any free port) cannot be told to the sandbox beside the gateway: give a port, or set sandbox.port: off")
        }
        if config.notificationProvider == .sandbox && !config.forwardsToSandbox {
            throw ConfigurationError(
                key: "notifications.provider", source: "configuration",
                reason: "sandbox needs the sandbox one-stop beside the gateway (sandbox.port, and no onestop.url)")
        }
        if config.notificationProvider == .live {
            let required: [(String, String?)] = [
                ("notifications.zalo.appId", config.zaloAppId), ("notifications.zalo.secretKey", config.zaloSecretKey),
                ("notifications.zalo.refreshToken", config.zaloRefreshToken), ("notifications.sms.apiKey", config.smsApiKey),
                ("notifications.sms.secretKey", config.smsSecretKey), ("notifications.sms.brandname", config.smsBrandname),
            ]
            if let (key, _) = required.first(where: { $0.1?.isEmpty ?? true }) {
                throw ConfigurationError(key: key, source: "configuration", reason: "is needed when notifications.provider is live")
            }
        }
        if let stray = config.serialRanges.keys.sorted().first(where: { ![config.dossierPrefix, config.resultPrefix].contains($0) }) {
            throw ConfigurationError(
                key: "tracking.serialRanges", source: "configuration",
                reason: "\(stray) is neither tracking.dossierPrefix (\(config.dossierPrefix)) nor tracking.resultPrefix (\(config.resultPrefix))")
        }
        if (config.oneStopClientCertificate == nil) != (config.oneStopClientKey == nil) {
            throw ConfigurationError(
                key: config.oneStopClientKey == nil ? "onestop.clientKey" : "onestop.clientCertificate",
                source: "configuration", reason: "a client certificate and its key go together: set both or neither")
        }
        return config
    }

    /// gateway.yaml as dotted keys; lists become comma-separated values. Each value is read as written, not as
    /// YAML 1.1 would type it: `off` is not `false`, `23:30` not the number 1410, `01` (Hà Nội's province code) not 1.
    /// A key left empty (or `~`) is not set.
    static func flatten(yamlFile: String) throws -> [String: String] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: try String(contentsOfFile: yamlFile, encoding: .utf8))
        } catch {
            throw ConfigurationError(key: "(file)", source: yamlFile, reason: "is not valid YAML: \(error)")
        }
        guard let root else { return [:] }
        guard let mapping = root.mapping else {
            throw ConfigurationError(key: "(file)", source: yamlFile, reason: "must be a mapping of settings")
        }
        var values: [String: String] = [:]
        var keys: [String] = []
        let known = Set(settings.map(\.key))
        func walk(_ node: Node.Mapping, prefix: String) throws {
            for (name, value) in node {
                let name = name.scalar?.string ?? ""
                let key = prefix.isEmpty ? name : "\(prefix).\(name)"
                if let nested = value.mapping, known.contains(key) {
                    // A mapping that is itself one setting (`tracking.serialRanges`: `PH: 10000000-19999999`, or a list
                    // of ranges, one line a prefix) is written `name: values; name: values`, a list's values by spaces.
                    keys.append(key)
                    values[key] = nested.map { prefix, ranges in
                        let written =
                            ranges.sequence.map { $0.compactMap { $0.scalar?.string }.joined(separator: " ") } ?? ranges.scalar?.string ?? ""
                        return "\(prefix.scalar?.string ?? ""): \(written)"
                    }.joined(separator: "; ")
                    continue
                }
                if let nested = value.mapping {
                    try walk(nested, prefix: key)
                    continue
                }
                keys.append(key)
                if let list = value.sequence {
                    values[key] = list.compactMap { $0.scalar?.string }.joined(separator: ",")
                } else if let scalar = value.scalar, value.null == nil || scalar.style != .plain {
                    values[key] = scalar.string
                }
            }
        }
        try walk(mapping, prefix: "")
        if let unknown = keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationError(key: unknown, source: yamlFile, reason: retired[unknown] ?? "is not a known setting")
        }
        return values
    }

    /// `HH:mm` as minutes of the day, nil when it is not one.
    private static func minutes(of text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.isASCIIDigits }), let hour = Int(parts[0]), let minute = Int(parts[1]),
            hour < 24, minute < 60
        else { return nil }
        return hour * 60 + minute
    }

    /// An http or https URL.
    private static func httpURL(_ value: String) throws(SettingError) -> String {
        guard let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw SettingError(reason: "must be an http(s) URL")
        }
        return value
    }

    /// true or false, in any case; also yes/no and on/off, which YAML 1.1 files and older settings use for them.
    private static func boolean(_ value: String) throws(SettingError) -> Bool {
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw SettingError(reason: "must be true or false")
        }
    }

    private static func integer(_ value: String, in range: ClosedRange<Int>) throws(SettingError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw SettingError(reason: "must be a whole number in \(range.lowerBound)…\(range.upperBound), not \"\(value)\"")
        }
        return number
    }

    /// A Standard Webhooks secret: `whsec_` and the base64 of at least 16 bytes.
    private static func webhookSecret(_ value: String) throws(SettingError) -> String {
        guard WebhookVerifier.key(secret: value) != nil else {
            throw SettingError(reason: "must be whsec_ followed by the base64 of at least 16 bytes")
        }
        return value
    }

    private static func seconds(_ value: String, in range: ClosedRange<Double>) throws(SettingError) -> Double {
        guard let number = Double(value), range.contains(number) else {
            throw SettingError(reason: "must be a number in \(range.lowerBound)…\(range.upperBound), not \"\(value)\"")
        }
        return number
    }

    /// A PEM file that exists and can be read (its contents are checked when the client is built).
    private static func readablePEM(_ path: String) throws(SettingError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("-----BEGIN ") else {
            throw SettingError(reason: "must name a readable PEM file, not \"\(path)\"")
        }
        return path
    }

    /// `PH: 10000000-19999999 30000000-30999999; PK: 20000000-29999999`: per prefix, its ranges, which must not overlap.
    private static func serialRanges(_ value: String) throws(SettingError) -> [String: TrackingSeries] {
        var series: [String: TrackingSeries] = [:]
        for entry in value.split(separator: ";") {
            let parts = entry.split(separator: ":", maxSplits: 1)
            let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard parts.count == 2, TrackingNumber.isServiceIndicator(name), let ranges = TrackingSeries.ranges(parts[1]) else {
                throw SettingError(
                    reason: "must be, per prefix, its serial ranges, e.g. \"PH: 10000000-19999999; PK: 20000000-29999999\", not \"\(entry)\"")
            }
            guard series[name] == nil else { throw SettingError(reason: "names \(name) twice") }
            do throws(TrackingSeries.Invalid) {
                series[name] = try TrackingSeries(prefix: name, ranges: ranges)
            } catch {
                switch error {
                case .empty: throw SettingError(reason: "gives \(name) no range")
                case .outOfBounds(let range):
                    throw SettingError(
                        reason: "\(name) \(range.lowerBound)-\(range.upperBound) is not within 1-\(TrackingNumber.maxSerial) (8 digits)")
                case .overlapping(let first, let second):
                    throw SettingError(
                        reason:
                            "\(name) \(first.lowerBound)-\(first.upperBound) and \(second.lowerBound)-\(second.upperBound) overlap: a serial would be issued twice"
                    )
                }
            }
        }
        return series
    }

    private static func prefix(_ value: String) throws(SettingError) -> String {
        guard TrackingNumber.isServiceIndicator(value) else { throw SettingError(reason: "must be two capital letters") }
        return value
    }
}
