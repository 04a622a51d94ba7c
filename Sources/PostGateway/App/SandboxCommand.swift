import ArgumentParser
import Foundation
import Logging
import OneStopSandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the sandbox one-stop alone (the contract of ONESTOP_API.md, with its own ledger, callbacks and faults).")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Port to listen on.")
    var port = 8090

    @Option(name: .customLong("callback-url"), help: "Where to send signed status callbacks (the gateway's /api/v1/onestop/events).")
    var callbackURL: String?

    @Flag(help: "Start with the demo autopilot on.")
    var autopilot = false

    func run() async throws {
        let configuration = try ledger.loadOrExplain()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        // The sandbox keeps its ledger in the data folder's sandbox/ and signs with the gateway's callback secret,
        // so that a gateway on the same data folder verifies its callbacks. It listens on loopback only, whatever
        // server.host says: it is a stand-in for trying the gateway, never a service.
        var sandbox = SandboxConfiguration(
            host: "127.0.0.1", port: port, dataDirectory: configuration.sandboxDataDirectory,
            callbackURL: callbackURL, token: configuration.oneStopToken,
            controlToken: try AppDependencies.sandboxControlToken(configuration),
            webhookSecret: try AppDependencies.webhookSecret(configuration))
        // The demo's online orders name the gateway's desks and communes, so that the gateway can take them.
        sandbox.orderPlaces = try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory)).demoOrderPlaces(
            on: LocalDate(Date()))
        let app = try OneStopSandbox.buildApplication(sandbox, autopilot: autopilot, logger: Logger(label: "onestop-sandbox"))
        try await app.runService()
    }
}
