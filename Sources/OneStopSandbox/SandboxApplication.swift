import Foundation
import Hummingbird
import Logging

/// A one-stop intake system that speaks ONESTOP_API.md: a real HTTP server with its own SQLite ledger,
/// signed callbacks, a demo autopilot and fault injection. `postgateway sandbox` runs it alone;
/// `postgateway serve` runs it beside the gateway when no real one-stop is configured.
public enum OneStopSandbox {
    public static func buildApplication(_ configuration: SandboxConfiguration, autopilot: Bool = false, logger: Logger) throws
        -> some ApplicationProtocol
    {
        guard let signer = WebhookSigner(secret: configuration.webhookSecret) else {
            throw SandboxConfigurationError(reason: "the webhook secret must be whsec_ followed by base64 of at least 16 bytes")
        }
        let database = try SandboxDatabase(path: configuration.databasePath)
        let controls = SandboxControls(autopilot: .init(enabled: autopilot))
        let clock: @Sendable () -> Date = { Date() }

        let router = Router()
        let lgsp = router.group("lgsp/bcci")
            .add(middleware: BearerTokenMiddleware(token: configuration.token))
            .add(middleware: FaultMiddleware(controls: controls))
        LGSPController(database: database, clock: clock).addRoutes(to: lgsp)
        let controlGroup = router.group("_sandbox").add(middleware: BearerTokenMiddleware(token: configuration.controlToken))
        ControlController(database: database, controls: controls, clock: clock).addRoutes(to: controlGroup)
        let messaging = MessagingController(database: database, controls: controls, clock: clock)
        messaging.addRoutes(to: router)
        messaging.addControlRoutes(to: controlGroup)
        router.get("_sandbox/health") { _, _ in "ok" }

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "OneStopSandbox"),
            onServerRunning: { channel in
                let line = "OneStopSandbox listening on http://\(configuration.host):\(channel.localAddress?.port ?? configuration.port)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            },
            logger: logger)
        app.addServices(
            CallbackSender(
                database: database, controls: controls, callbackURL: configuration.callbackURL.flatMap(URL.init(string:)),
                signer: signer, tick: configuration.tickInterval, logger: logger),
            Autopilot(database: database, controls: controls, tick: configuration.tickInterval, orderPlaces: configuration.orderPlaces))
        return app
    }
}

public struct SandboxConfigurationError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "sandbox: \(reason)" }
}
