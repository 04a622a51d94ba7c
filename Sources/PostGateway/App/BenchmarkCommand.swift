import ArgumentParser
import Foundation
import Logging

struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-labels",
        abstract: "Measure label rendering (SVG, ZPL) beside raw libqrencode on this machine; `make bench` runs it.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Labels per round.")
    var count = 3_000

    @Option(help: "Rounds; each figure is its best round.")
    var rounds = 9

    func run() throws {
        let configuration = try ledger.loadOrExplain()
        let renderer = LabelRenderer(
            templates: try LabelTemplates.load(from: URL(fileURLWithPath: configuration.labelsDirectory)),
            reference: try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory)),
            publicBaseURL: configuration.publicBaseURL)
        let results = try LabelBenchmark(renderer: renderer, count: count).run(rounds: rounds)
        let raw = results[0].perSecond
        print("| what | per second | share of raw libqrencode |")
        print("|---|---|---|")
        for result in results {
            print("| \(result.name) | \(Int(result.perSecond)) | \(String(format: "%.0f%%", 100 * result.perSecond / raw)) |")
        }
    }
}

struct ForwardingBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-forwarding",
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
