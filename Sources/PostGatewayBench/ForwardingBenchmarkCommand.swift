import ArgumentParser
import Foundation
import Logging
import PostGateway

/// `PostGatewayBench forwarding`: how fast a backlog of registrations drains into the sandbox one-stop.
struct ForwardingBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forwarding",
        abstract: "Measure how fast an outbox backlog drains into the sandbox one-stop on loopback; `make bench` runs it.")

    @Option(help: "Messages in the backlog.")
    var count = 100_000

    @Option(help: "Requests in flight at once.")
    var concurrency = 64

    @Option(name: .customLong("batch-size"), help: "Messages claimed per transaction.")
    var batchSize = 512

    func run() async throws {
        var logger = Logger(label: "benchmark")
        logger.logLevel = ProcessInfo.processInfo.environment["POSTGATEWAY_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        let result = try await ForwardingBenchmark(count: count, concurrency: concurrency, batchSize: batchSize, logger: logger).run()
        print("| what | messages | seconds | per second |")
        print("|---|---|---|---|")
        print(
            "| drain of a pending backlog into the sandbox (loopback, concurrency \(concurrency), batches of \(batchSize)) | \(result.messages) | \(String(format: "%.1f", result.seconds)) | \(Int(result.perSecond)) |"
        )
        print("")
        print("(seeding the backlog took \(String(format: "%.1f", result.seedSeconds)) s; goal: at least 2,000 dossiers/s)")
    }
}
