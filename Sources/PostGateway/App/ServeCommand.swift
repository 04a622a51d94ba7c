import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import OneStopSandbox
import Prometheus
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway's HTTP server on its ledger.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default 8080; 0 picks a free one and prints it).")
    var port: Int?

    @Option(name: .customLong("reference-dir"), help: "Folder of the reference CSV files (default config/reference).")
    var referenceDirectory: String?

    @Option(name: .customLong("public-base-url"), help: "Base URL citizens reach the tracking page at.")
    var publicBaseURL: String?

    @Option(name: .customLong("sandbox-port"), help: "Run the sandbox one-stop beside the gateway on this port (\"off\" for none).")
    var sandboxPort: String?

    @Option(name: .customLong("onestop-url"), help: "Forward to this one-stop instead of the sandbox.")
    var oneStopURL: String?

    func run() async throws {
        var flags: [String: String] = [:]
        if let host { flags["server.host"] = host }
        if let port { flags["server.port"] = String(port) }
        if let referenceDirectory { flags["referenceDir"] = referenceDirectory }
        if let publicBaseURL { flags["server.publicBaseURL"] = publicBaseURL }
        if let sandboxPort { flags["sandbox.port"] = sandboxPort }
        if let oneStopURL {
            flags["onestop.url"] = oneStopURL
            flags["sandbox.port"] = flags["sandbox.port"] ?? "off"
        }
        let configuration: GatewayConfiguration
        let dependencies: AppDependencies
        do {
            configuration = try ledger.load(extraFlags: flags)
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = configuration.logLevel
                return handler
            }
            // Hummingbird's request metrics go through swift-metrics; they land in the registry `/metrics` emits.
            let metrics = GatewayMetrics()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
            dependencies = try AppDependencies.live(configuration, metrics: metrics, logger: Logger(label: "postgateway"))
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        } catch let error as ReferenceDataError {
            throw ValidationError("reference data \(error.description)")
        } catch let error as LabelTemplateError {
            throw ValidationError(error.description)
        }
        if let password = try await dependencies.database.ensureFirstAdmin(
            configuredPassword: configuration.adminPassword,
            hasher: dependencies.hasher)
        {
            // Once, on the terminal of whoever started the first run; never in the log.
            let line = "Tài khoản quản trị đầu tiên / first admin: admin / \(password)  (đổi bằng: postgateway user reset-password admin)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        let app = try buildApplication(dependencies)
        var services: [any Service] = [app]
        // Only when asked for (the demo configuration, `--sandbox-port`) and without a real one-stop, the sandbox stands
        // in for it, in this process, on loopback.
        if configuration.forwardsToSandbox, let sandboxPort = configuration.sandboxPort {
            var sandbox = SandboxConfiguration(
                host: "127.0.0.1", port: sandboxPort, dataDirectory: configuration.sandboxDataDirectory,
                callbackURL: "http://127.0.0.1:\(configuration.port)/api/v1/onestop/events",
                token: configuration.oneStopToken, controlToken: try AppDependencies.sandboxControlToken(configuration),
                webhookSecret: dependencies.webhookSecret)
            sandbox.orderPlaces = dependencies.reference.demoOrderPlaces(on: LocalDate(dependencies.clock()))
            services.append(
                try OneStopSandbox.buildApplication(sandbox, autopilot: configuration.sandboxAutopilot, logger: Logger(label: "onestop-sandbox")))
            dependencies.logger.warning(
                "forwarding to the SANDBOX one-stop, not the province's: nothing sent reaches a real desk",
                metadata: [
                    "sandbox": "http://127.0.0.1:\(sandboxPort)"
                ])
            if configuration.sandboxControlToken == nil {
                let path = SecretFile.path(named: AppDependencies.sandboxControlTokenFile, dataDirectory: configuration.dataDirectory)
                FileHandle.standardOutput.write(
                    Data("Sandbox controls (/_sandbox on port \(sandboxPort)): Authorization: Bearer <the token in \(path)>\n".utf8))
            }
        } else if configuration.oneStopURL == nil {
            dependencies.logger.warning("no one-stop configured (onestop.url) and no sandbox asked for: dossiers wait in the outbox")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: dependencies.logger))
        try await group.run()
    }
}
