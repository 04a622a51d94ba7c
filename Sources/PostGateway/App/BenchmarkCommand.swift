import ArgumentParser
import Foundation

struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-labels",
        abstract: "Measure label rendering (SVG, ZPL) beside raw libqrencode on this machine; `make bench` runs it.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Labels per round.")
    var count = 3_000

    @Option(help: "Rounds; each figure is its best round.")
    var rounds = 5

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
