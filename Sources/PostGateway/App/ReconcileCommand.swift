import ArgumentParser
import Foundation
import Logging

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare the gateway's ledger with the one-stop's over a range of days; repair what is safe; write a report.",
        discussion: """
            For cron: `postgateway reconcile --date 2026-11-21`. The report (JSON, CSV, HTML) goes to the reports folder and the
            run is kept in the ledger (GET /api/v1/reconciliations). Exit code: 0 the ledgers agree (or every difference was
            repaired), 1 findings remain for a person, 2 the run could not complete (one-stop unreachable, bad pages, another
            run in progress). Never runs at the same time as another run, in this process or the server.
            """)

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "One local day, YYYY-MM-DD.")
    var date: String?

    @Option(help: "First local day, YYYY-MM-DD (with --to).")
    var from: String?

    @Option(help: "Last local day, YYYY-MM-DD (with --from).")
    var to: String?

    @Flag(name: .customLong("dry-run"), help: "Find and report; repair nothing.")
    var dryRun = false

    @Option(name: .customLong("onestop-url"), help: "The one-stop to read instead of the configured one.")
    var oneStopURL: String?

    func validate() throws {
        if date != nil && (from != nil || to != nil) { throw ValidationError("give --date, or --from and --to, not both") }
        if date == nil && (from == nil || to == nil) { throw ValidationError("give --date, or both --from and --to") }
    }

    func run() async throws {
        do {
            try await reconcile()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // Cron reads the exit code: 2 is "the run could not complete" (no ledger, a bad setting, reference data that
            // does not load), where ArgumentParser would exit 1, which means "findings remain".
            FileHandle.standardError.write(Data("error: \(Logger.MetadataValue.error(error))\n".utf8))
            throw ExitCode(2)
        }
    }

    private func reconcile() async throws {
        var flags: [String: String] = [:]
        if let oneStopURL { flags["onestop.url"] = oneStopURL }
        let configuration = try ledger.existingLedger(extraFlags: flags)
        var form: [String: JSONValue] = [:]
        if let date { form["date"] = .string(date) }
        if let from { form["from"] = .string(from) }
        if let to { form["to"] = .string(to) }
        let range: (from: LocalDate, to: LocalDate, dryRun: Bool)
        do {
            range = try ReconciliationController.parse(form, today: LocalDate(Date()))
        } catch {
            throw ValidationError(error.issues.map { "--\($0.field): \($0.code.message(.en, $0.arguments))" }.joined(separator: "; "))
        }
        var logger = Logger(label: "postgateway.reconcile")
        logger.logLevel = configuration.logLevel
        let dependencies = try AppDependencies.live(configuration, metrics: GatewayMetrics(), logger: logger)
        let started = ContinuousClock.now
        let run = try await dependencies.reconciler().run(.init(from: range.from, to: range.to, dryRun: dryRun, origin: .command))
        let summary = run.figures
        var line = "reconciliation \(run.id!) \(range.from)…\(range.to): \(run.state.rawValue)"
        if let summary {
            line +=
                ", gateway \(summary.gatewayDossiers), one-stop \(summary.oneStopDossiers), findings \(summary.findings)"
                + " (repaired \(summary.repaired), awaiting forwarding \(summary.awaitingForwarding), for a person \(summary.remaining))"
        }
        if let error = run.error { line += ": \(error)" }
        line += String(format: " in %.2f s, peak memory %d MB", (ContinuousClock.now - started).inSeconds, PeakMemory.megabytes())
        print(line)
        print("report: \((configuration.reportsDirectory as NSString).appendingPathComponent("reconciliation-\(run.id!).html"))")
        throw ExitCode(run.state.exitCode)
    }
}

/// The process's peak resident memory (VmHWM), for a run's summary line and the benchmark.
package enum PeakMemory {
    package static func megabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}
