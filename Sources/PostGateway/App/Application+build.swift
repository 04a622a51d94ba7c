import Foundation
import Hummingbird
import Logging
import OneStopSandbox

/// Everything the application is made of, built once at start (or by a test with its own database and clock).
package struct AppDependencies: Sendable {
    var configuration: GatewayConfiguration
    package let database: AppDatabase
    let reference: ReferenceData
    let templates: LabelTemplates
    let pins: TrackingPins
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date
    /// Where the server logs (a test may put a capturing one here).
    var logger: Logger
    package let oneStop: OneStopClient
    /// The Standard Webhooks secret the one-stop signs its callbacks with.
    let webhookSecret: String
    /// Whether the outbox is drained into the one-stop (tests of other parts leave it off).
    var runsForwarder = true
    /// bcrypt at the configured cost, for staff logins.
    var hasher: PasswordHasher
    /// Tests of other parts act as this staff member without credentials; `live` never sets it.
    var staffWithoutCredentials: StaffIdentity? = nil
    /// Who carries the notices to citizens, and in which words; whether they are sent (tests of other parts leave
    /// them written and waiting).
    var notifications = NotificationClient.notConfigured
    var noticeTemplates: NoticeTemplates? = nil
    var runsNotifier = false

    /// The live parts: the ledger file and reference data named by the configuration, the wall clock.
    package static func live(_ configuration: GatewayConfiguration, metrics: GatewayMetrics, logger: Logger) throws -> AppDependencies {
        let reference = try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory))
        let templates = try LabelTemplates.load(from: URL(fileURLWithPath: configuration.labelsDirectory))
        let database = try AppDatabase.open(configuration)
        let pins = try TrackingPins.load(configuredKey: configuration.pinKey, dataDirectory: configuration.dataDirectory)
        // No one-stop configured and no sandbox asked for: nothing is sent anywhere, and dossiers wait in the outbox.
        let oneStop =
            try (configuration.oneStopURL ?? configuration.sandboxPort.map { "http://127.0.0.1:\($0)" }).map { url in
                try OneStopClient.live(
                    .init(
                        baseURL: URL(string: url)!, token: configuration.oneStopToken, connectTimeout: configuration.oneStopConnectTimeout,
                        totalTimeout: configuration.oneStopTotalTimeout, maxConnections: configuration.forwardingConcurrency,
                        clientCertificatePath: configuration.oneStopClientCertificate, clientKeyPath: configuration.oneStopClientKey,
                        trustedCAPath: configuration.oneStopTrustedCA))
            } ?? .notConfigured
        return AppDependencies(
            configuration: configuration, database: database, reference: reference, templates: templates, pins: pins,
            metrics: metrics, clock: { Date() }, logger: logger, oneStop: oneStop,
            webhookSecret: try webhookSecret(configuration), runsForwarder: configuration.forwardingEnabled,
            hasher: PasswordHasher(cost: configuration.passwordCost), notifications: notificationClient(configuration, logger: logger),
            noticeTemplates: try NoticeTemplates.load(from: configuration.noticeTemplatesPath, publicBaseURL: configuration.publicBaseURL),
            runsNotifier: configuration.notificationProviderInEffect != .off)
    }

    /// The providers `notifications.provider` names: the sandbox's stand-ins on its port, or Zalo ZNS and eSMS.vn.
    static func notificationClient(_ configuration: GatewayConfiguration, logger: Logger = Logger(label: "postgateway")) -> NotificationClient {
        switch configuration.notificationProviderInEffect {
        case .off:
            return .notConfigured
        case .sandbox:
            let base = "http://127.0.0.1:\(configuration.sandboxPort ?? 0)"
            return .live(
                .init(
                    zaloMessageURL: base + SandboxMessaging.zaloMessagePath, zaloTokenURL: base + SandboxMessaging.zaloTokenPath,
                    zaloAppId: SandboxMessaging.zaloAppId, zaloSecretKey: SandboxMessaging.zaloSecretKey,
                    // The sandbox always takes its first refresh token, so nothing of it is kept: its data may be reset.
                    zaloTokens: ZaloTokens(configuredRefreshToken: SandboxMessaging.zaloRefreshToken, storePath: nil),
                    smsURL: base + SandboxMessaging.smsPath, smsApiKey: SandboxMessaging.smsApiKey, smsSecretKey: SandboxMessaging.smsSecretKey,
                    smsBrandname: SandboxMessaging.smsBrandname))
        case .live:
            return .live(
                .init(
                    zaloMessageURL: configuration.zaloMessageURL, zaloTokenURL: configuration.zaloTokenURL, zaloAppId: configuration.zaloAppId ?? "",
                    zaloSecretKey: configuration.zaloSecretKey ?? "",
                    zaloTokens: ZaloTokens(
                        configuredRefreshToken: configuration.zaloRefreshToken ?? "",
                        storePath: SecretFile.path(named: "zalo-refresh.token", dataDirectory: configuration.dataDirectory), logger: logger),
                    smsURL: configuration.smsURL, smsApiKey: configuration.smsApiKey ?? "", smsSecretKey: configuration.smsSecretKey ?? "",
                    smsBrandname: configuration.smsBrandname ?? ""))
        }
    }

    /// The notifier over this ledger and these providers, with the configured quiet hours and horizon.
    func notifier() throws -> Notifier {
        let templates =
            try noticeTemplates ?? NoticeTemplates.load(from: configuration.noticeTemplatesPath, publicBaseURL: configuration.publicBaseURL)
        return Notifier(
            database: database, client: notifications, templates: templates, reference: reference, pins: pins,
            publicBaseURL: configuration.publicBaseURL,
            settings: .init(
                // The forwarding's backoff: a provider coming back is not met by every notice at once either.
                backoff: Backoff(base: configuration.forwardingBaseDelay, cap: configuration.forwardingMaxDelay),
                deadAfter: configuration.noticesDeadAfterHours * 3600, quietHours: configuration.quietHours),
            metrics: metrics, clock: clock, logger: logger)
    }

    /// The reconciliation runner over this ledger and this one-stop.
    func reconciler() -> Reconciler {
        Reconciler(
            database: database, reader: oneStopLedger, reportsDirectory: configuration.reportsDirectory,
            lockPath: configuration.reconciliationLockPath,
            agencyNames: Dictionary(reference.agencies.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }),
            clock: clock, logger: logger)
    }

    /// The one-stop's ledger, page by page, as reconciliation reads it.
    package var oneStopLedger: OneStopLedgerReader { OneStopLedgerReader(client: oneStop) }

    /// The forwarder over this ledger and this one-stop, in the configured batches, with the configured backoff.
    package func forwarder() -> Forwarder {
        Forwarder(
            database: database, client: oneStop,
            settings: .init(
                batchSize: configuration.forwardingBatchSize, concurrency: configuration.forwardingConcurrency,
                backoff: Backoff(base: configuration.forwardingBaseDelay, cap: configuration.forwardingMaxDelay),
                deadAfter: configuration.forwardingDeadAfterHours * 3600),
            metrics: metrics, clock: clock, logger: logger)
    }

    /// The sandbox controls' token: configured, or kept in the data folder's secrets (where `make run` says it is).
    static func sandboxControlToken(_ configuration: GatewayConfiguration) throws -> String {
        try configuration.sandboxControlToken
            ?? SecretFile.read(
                named: sandboxControlTokenFile, dataDirectory: configuration.dataDirectory, validate: { $0.utf8.count >= 16 },
                make: { StaffSecrets.randomText() })
    }

    static let sandboxControlTokenFile = "sandbox-control.token"

    /// The configured callback secret, or the one kept in the data folder (shared with a sandbox beside).
    static func webhookSecret(_ configuration: GatewayConfiguration) throws -> String {
        try configuration.webhookSecret
            ?? SecretFile.read(
                named: "onestop-webhook.secret", dataDirectory: configuration.dataDirectory,
                validate: { $0.hasPrefix("whsec_") }, make: WebhookSigner.makeSecret)
    }
}

/// The composition root: every controller and service is wired here and nowhere else.
func buildApplication(_ dependencies: AppDependencies) throws -> some ApplicationProtocol {
    let configuration = dependencies.configuration
    let batcher = IntakeBatcher(
        database: dependencies.database, series: configuration.dossierSeries, pins: dependencies.pins,
        batchLimit: configuration.intakeBatchLimit, metrics: dependencies.metrics, logger: dependencies.logger)
    let reconciliations = ReconciliationService.Queue()
    let router = try buildRouter(dependencies, batcher: batcher, reconciliations: reconciliations)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "PostGateway"),
        onServerRunning: { channel in
            // The one line a supervisor (or a test that started us on port 0) reads to find the server.
            let line = "PostGateway listening on http://\(configuration.host):\(channel.localAddress?.port ?? configuration.port)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
            // A browser drops a Secure cookie sent over plain HTTP: staff who cannot sign in should find why here.
            dependencies.logger.info(
                "staff session cookies",
                metadata: [
                    "secure": "\(configuration.cookiesAreSecure)",
                    "because": configuration.secureCookies == nil
                        ? "server.publicBaseURL is \(configuration.cookiesAreSecure ? "https" : "not https")"
                        : "security.secureCookies",
                ])
            // Past a horizon, deadlines are counted on a calendar nobody published, or on units that may have changed.
            for file in SystemController.expiring(dependencies.reference, today: LocalDate(dependencies.clock())) {
                dependencies.logger.warning(
                    "reference data runs out soon: publish a new file",
                    metadata: ["file": "\(file.file)", "knownUntil": "\(file.knownUntil)", "daysLeft": "\(file.daysLeft)"])
            }
        },
        logger: dependencies.logger
    )
    app.addServices(batcher)
    app.addServices(
        SerialRangeWatch(
            database: dependencies.database, series: [configuration.dossierSeries, configuration.resultSeries], clock: dependencies.clock,
            logger: dependencies.logger))
    app.addServices(
        ReconciliationService(
            reconciler: dependencies.reconciler(), queue: reconciliations, nightlyAt: configuration.reconciliationNightlyAt,
            windowDays: configuration.reconciliationWindowDays, logger: dependencies.logger))
    if dependencies.runsForwarder { app.addServices(dependencies.forwarder()) }
    if dependencies.runsNotifier { app.addServices(try dependencies.notifier()) }
    return app
}

func buildRouter(
    _ dependencies: AppDependencies, batcher: IntakeBatcher,
    reconciliations: ReconciliationService.Queue = .init()
) throws -> Router<AppRequestContext> {
    let configuration = dependencies.configuration
    let router = Router(context: AppRequestContext.self)
    // Outermost, so that its headers reach every answer, the problems ProblemMiddleware makes of errors included.
    router.add(middleware: PageSecurityMiddleware())
    router.add(middleware: ProblemMiddleware())
    let knownRoutes = KnownRoutes()
    router.add(middleware: MethodNotAllowedMiddleware(routes: knownRoutes))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ClientAddressMiddleware(proxies: configuration.trustedProxies))

    SystemController(
        database: dependencies.database, oneStopKind: configuration.oneStopKind, oneStop: OneStopReadiness(probe: dependencies.oneStop.isReachable),
        metrics: dependencies.metrics, reference: dependencies.reference,
        series: [configuration.dossierSeries, configuration.resultSeries],
        clock: dependencies.clock, openAPIDocument: try SystemController.loadOpenAPIDocument()
    )
    .addRoutes(to: router)
    let api = router.group("api/v1")
    // Staff routes: a token or a session says who acts (`context.staff`), and the audit log records what they change or see.
    let audit = AuditMiddleware(database: dependencies.database, clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes)
    let staffAPI = router.group("api/v1")
        .add(
            middleware: StaffAuthenticator(
                database: dependencies.database, clock: dependencies.clock, challenge: .problem,
                withoutCredentials: dependencies.staffWithoutCredentials)
        )
        .add(middleware: audit)
    let staffPages = router.group()
        .add(
            middleware: StaffAuthenticator(
                database: dependencies.database, clock: dependencies.clock, challenge: .loginPage,
                withoutCredentials: dependencies.staffWithoutCredentials)
        )
        .add(middleware: audit)
    ReferenceController(reference: dependencies.reference).addRoutes(to: api)
    DossierController(
        batcher: batcher,
        validator: IntakeValidator(
            reference: dependencies.reference, pins: dependencies.pins, idNumbers: dependencies.database.idNumbers),
        database: dependencies.database, pins: dependencies.pins, metrics: dependencies.metrics, clock: dependencies.clock,
        maxBodyBytes: configuration.maxBodyBytes, maxPageSize: configuration.maxPageSize, publicBaseURL: configuration.publicBaseURL
    ).addRoutes(to: staffAPI)
    OutboxController(database: dependencies.database, clock: dependencies.clock).addRoutes(to: staffAPI)
    NoticeController(database: dependencies.database, clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: staffAPI)
    // The one-stop's callbacks prove who sent them by their signature, not by a staff login.
    guard let verifier = WebhookVerifier(secrets: [dependencies.webhookSecret] + (configuration.previousWebhookSecret.map { [$0] } ?? [])) else {
        throw ConfigurationError(
            key: "onestop.webhookSecret", source: "the data folder's secrets",
            reason: "must be whsec_ followed by base64 of at least 16 bytes")
    }
    OneStopEventsController(
        database: dependencies.database, verifier: verifier,
        resultItems: ResultItemPlanner(series: configuration.resultSeries, reference: dependencies.reference), pins: dependencies.pins,
        metrics: dependencies.metrics, clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes, logger: dependencies.logger
    ).addRoutes(to: api)
    LabelController(
        database: dependencies.database,
        renderer: LabelRenderer(templates: dependencies.templates, reference: dependencies.reference, publicBaseURL: configuration.publicBaseURL),
        pins: dependencies.pins
    ).addRoutes(to: staffAPI)
    ScanController(
        database: dependencies.database, reference: dependencies.reference, clock: dependencies.clock,
        maxBodyBytes: configuration.maxBodyBytes, invitesByMessage: configuration.notificationProviderInEffect != .off
    ).addRoutes(to: staffAPI)
    ResultOrderController(
        database: dependencies.database, client: dependencies.oneStop,
        planner: ResultItemPlanner(series: configuration.resultSeries, reference: dependencies.reference), pins: dependencies.pins,
        clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes, publicBaseURL: configuration.publicBaseURL,
        logger: dependencies.logger
    ).addRoutes(to: staffAPI)
    for direction in [HandoverDirection.dossiers, .results] {
        HandoverController(
            database: dependencies.database, reference: dependencies.reference, templates: dependencies.templates,
            clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes, direction: direction
        ).addRoutes(to: staffAPI)
    }
    PickupController(database: dependencies.database, reference: dependencies.reference).addRoutes(to: staffAPI)
    ReconciliationController(
        database: dependencies.database, reconciler: dependencies.reconciler(), queue: reconciliations,
        clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes
    ).addRoutes(to: staffAPI)
    ReportsController(database: dependencies.database, reference: dependencies.reference, clock: dependencies.clock).addRoutes(to: staffAPI)
    PasswordController(
        database: dependencies.database, hasher: dependencies.hasher, maxBodyBytes: configuration.maxBodyBytes,
        metrics: dependencies.metrics, clock: dependencies.clock
    ).addRoutes(to: staffAPI)
    CaseController(
        database: dependencies.database, reference: dependencies.reference, clock: dependencies.clock,
        maxBodyBytes: configuration.maxBodyBytes
    ).addRoutes(to: staffAPI)

    var pages = try WebTemplates.load()
    if configuration.forwardsToSandbox { pages.sandboxBanner = WebTemplates.sandboxWords }
    TrackingController(
        database: dependencies.database, reference: dependencies.reference, pins: dependencies.pins, pages: pages,
        perClient: RateLimiter(limitPerMinute: configuration.trackingPerClientPerMinute),
        perCode: RateLimiter(limitPerMinute: configuration.trackingPerCodePerMinute),
        metrics: dependencies.metrics, clock: dependencies.clock, logger: dependencies.logger
    ).addRoutes(api: api, site: router)
    let web = WebController(
        database: dependencies.database, reference: dependencies.reference, pages: pages, staticFiles: try StaticFiles.load(),
        clock: dependencies.clock)
    web.addRoutes(to: staffPages)
    DashboardController(database: dependencies.database, reference: dependencies.reference, pages: pages, clock: dependencies.clock)
        .addRoutes(to: staffPages)
    LoginController(
        database: dependencies.database, hasher: dependencies.hasher, decoy: dependencies.hasher.makeDecoy(),
        page: pages.login, sandboxBanner: pages.sandboxBanner, perAddress: RateLimiter(limitPerMinute: configuration.loginPerAddressPerMinute),
        sessionHours: configuration.sessionHours, secureCookies: configuration.cookiesAreSecure,
        maxBodyBytes: configuration.maxBodyBytes, metrics: dependencies.metrics, clock: dependencies.clock
    )
    .addRoutes(to: router)
    web.addStaticRoutes(to: router)
    knownRoutes.record(router.routes.map { ($0.path, $0.method) })
    return router
}
