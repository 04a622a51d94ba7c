import ArgumentParser
import Foundation
import GRDB
import OneStopSandbox

/// `postgateway seed --dossiers N --days D [--until DAY]`: demo data across the desks open on each day, at every stage
/// of the lifecycle, some late; the sandbox one-stop's ledger gets the same dossiers, so the two agree as real ones
/// would. `--until 2020-12-31 --days 366` gives the former city of the seed articles, its desks and its wards.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the ledger (and the sandbox one-stop's) with realistic demo dossiers, ending today or on --until.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "How many dossiers.")
    var dossiers = 10_000

    @Option(help: "Over how many days, ending today (or on --until).")
    var days = 90

    @Option(help: "The last day of the seed (YYYY-MM-DD), its dossiers' lives cut at that evening; default today.")
    var until: String?

    @Option(name: .customLong("random-seed"), help: "The same seed writes the same dossiers.")
    var randomSeed: UInt64 = 2025

    @Flag(name: .customLong("no-sandbox"), help: "Leave the sandbox one-stop's ledger alone.")
    var noSandbox = false

    func validate() throws {
        guard (1...10_000_000).contains(dossiers) else { throw ValidationError("--dossiers must be from 1 to 10,000,000") }
        guard (1...3660).contains(days) else { throw ValidationError("--days must be from 1 to 3660") }
        if let until {
            guard let day = LocalDate(iso: until) else { throw ValidationError("--until must be a day, YYYY-MM-DD") }
            guard day <= LocalDate(Date()) else { throw ValidationError("--until cannot be after today") }
        }
    }

    func run() async throws {
        let configuration = try ledger.loadOrExplain()
        let started = ContinuousClock.now
        let (seed, results) = try await Self.seed(
            configuration, dossiers: dossiers, days: days, randomSeed: randomSeed,
            // The evening of the last day: every life is cut where it would have been by then.
            now: until.flatMap(LocalDate.init(iso:)).map { min(Date(), $0.startInstant.addingTimeInterval(18 * 3600)) } ?? Date(),
            sandbox: !noSandbox)
        print(
            String(
                format: "seeded %d dossiers (%@ to %@) with %d result items in %.1f s",
                dossiers, seed.intakeDays.first!.description, seed.intakeDays.last!.description, results,
                (ContinuousClock.now - started).inSeconds))
    }

    /// The command's work, for tests to call: numbers continue from the ledger's counters.
    static func seed(
        _ configuration: GatewayConfiguration, dossiers: Int, days: Int, randomSeed: UInt64, now: Date,
        sandbox: Bool
    ) async throws -> (DemoSeed, Int) {
        let reference = try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory))
        let database = try AppDatabase.open(configuration)
        let pins = try TrackingPins.load(configuredKey: configuration.pinKey, dataDirectory: configuration.dataDirectory)
        let last = try await database.lastSerials()
        let (dossierSeries, resultSeries) = (configuration.dossierSeries, configuration.resultSeries)
        // The seed numbers its items itself, in a row: they must fit in one range of each series.
        guard let dossierSerial = dossierSeries.serial(after: last[dossierSeries.prefix] ?? 0), dossierSeries.holds(dossiers, from: dossierSerial),
            let resultSerial = resultSeries.serial(after: last[resultSeries.prefix] ?? 0), resultSeries.holds(dossiers, from: resultSerial)
        else {
            throw ValidationError("the serial ranges have too few serials left in one range for \(dossiers) more dossiers")
        }
        let seed = DemoSeed(
            count: dossiers, days: days, now: now, reference: reference,
            randomSeed: randomSeed, dossierPrefix: configuration.dossierPrefix, resultPrefix: configuration.resultPrefix,
            firstDossierSerial: dossierSerial, firstResultSerial: resultSerial)
        let results = try await seed.writeGateway(database, pins: pins)
        if sandbox { try SandboxLedgerImport.write(dataDirectory: configuration.sandboxDataDirectory, rows: seed.oneStopRows()) }
        return (seed, results)
    }
}
