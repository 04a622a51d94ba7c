import ArgumentParser
import Foundation
import GRDB
import OneStopSandbox
import PostGateway

/// `PostGatewayBench reconciliation seed|scan`: the reconciliation benchmark's two halves that are not the
/// real command. `scripts/bench-reconciliation.sh` seeds both ledgers, starts the sandbox, runs `scan` (the bare
/// limit: reading both ledgers and nothing else) and then the real `postgateway reconcile`, each its own process
/// so that each one's peak memory is its own.
struct ReconciliationBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciliation",
        abstract: "Seed both ledgers for the reconciliation benchmark, or scan them plainly (`make bench` runs both).",
        subcommands: [Seed.self, Scan.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write N matching dossiers into the gateway's and the sandbox's ledgers.")

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "Dossiers on each side.")
        var dossiers = 1_000_000

        @Option(help: "Local days they spread over, ending yesterday.")
        var days = 30

        @Option(help: "One dossier in this many is made to disagree (one class of finding each, in turn).")
        var disagreeEvery = 1000

        func run() async throws {
            let configuration = try ledger.loadOrExplain()
            let reference = try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory))
            let last = LocalDate(Date()).adding(days: -1)
            let first = last.adding(days: -(days - 1))
            let started = ContinuousClock.now
            let database = try AppDatabase.open(configuration)
            let plan = ReconciliationSeed(count: dossiers, first: first, days: days, disagreeEvery: disagreeEvery, reference: reference)
            try await plan.writeGateway(database)
            try SandboxLedgerImport.write(dataDirectory: configuration.sandboxDataDirectory, rows: plan.oneStopRows())
            print("seeded \(dossiers) dossiers on each side in \(String(format: "%.1f", (ContinuousClock.now - started).inSeconds)) s")
            print("range \(first) \(last)")
        }
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read both ledgers over a range and nothing else: the bare limit.")

        @OptionGroup var ledger: LedgerOptions

        @Option var from: String
        @Option var to: String

        @Option(name: .customLong("onestop-url"))
        var oneStopURL: String?

        func run() async throws {
            let configuration = try ledger.loadOrExplain(extraFlags: oneStopURL.map { ["onestop.url": $0] } ?? [:])
            guard let from = LocalDate(iso: from), let to = LocalDate(iso: to) else { throw ValidationError("--from and --to are YYYY-MM-DD") }
            let dependencies = try AppDependencies.live(configuration, metrics: GatewayMetrics(), logger: .init(label: "bench"))
            // Both ledgers read side by side, as a run reads them, with nothing compared and nothing kept.
            let started = ContinuousClock.now
            async let oneStop: (rows: Int, seconds: Double) = {
                let rows = try await dependencies.oneStopLedger.read(from: from, to: to) { _ in }
                return (rows, (ContinuousClock.now - started).inSeconds)
            }()
            let gatewayRows = try await dependencies.database.scanPostalDossiers(from: from, to: to, into: 0) { count, _ in count += 1 }
            let gatewaySeconds = (ContinuousClock.now - started).inSeconds
            let (oneStopRows, oneStopSeconds) = try await oneStop
            let seconds = (ContinuousClock.now - started).inSeconds
            print(
                String(
                    format: "plain scan, side by side: one-stop %d rows in %.2f s, gateway %d rows in %.2f s, total %.2f s, peak memory %d MB",
                    oneStopRows, oneStopSeconds, gatewayRows, gatewaySeconds, seconds, PeakMemory.megabytes()))
        }
    }
}
