import ArgumentParser
import Foundation
import PostGateway

/// `PostGatewayBench labels`: labels per second of a ledger's dossiers beside raw libqrencode, in one run.
struct LabelBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Measure label rendering (SVG, ZPL) beside raw libqrencode on this machine; `make bench` runs it.",
        discussion: "The dossiers come from a ledger `postgateway seed` made (`--data-dir`).")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Labels per round.")
    var count = 3_000

    @Option(help: "Rounds; each figure is its best round.")
    var rounds = 9

    func run() async throws {
        let configuration = try ledger.existingLedger()
        let renderer = LabelRenderer(
            templates: try LabelTemplates.load(from: URL(fileURLWithPath: configuration.labelsDirectory)),
            reference: try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory)),
            publicBaseURL: configuration.publicBaseURL)
        let dossiers = try await LabelBenchmark.dossiers(in: try AppDatabase.open(configuration), count: count)
        guard !dossiers.isEmpty else { throw ValidationError("no dossiers in \(configuration.databasePath): run `postgateway seed` first") }
        let results = try LabelBenchmark(renderer: renderer, dossiers: dossiers).run(rounds: rounds)
        let raw = results[0].perSecond
        print("| what (\(dossiers.count) dossiers) | per second | share of raw libqrencode |")
        print("|---|---|---|")
        for result in results {
            print("| \(result.name) | \(Int(result.perSecond)) | \(String(format: "%.0f%%", 100 * result.perSecond / raw)) |")
        }
    }
}
