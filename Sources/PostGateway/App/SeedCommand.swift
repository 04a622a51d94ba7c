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
        let (dossierSerial, resultSerial) = try await database.read { db in
            let last = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT prefix, lastSerial FROM serialCounter").map { ($0[0] as String, $0[1] as Int) })
            return ((last[configuration.dossierPrefix] ?? 0) + 1, (last[configuration.resultPrefix] ?? 0) + 1)
        }
        guard dossierSerial + dossiers <= 99_999_999, resultSerial + dossiers <= 99_999_999 else {
            throw ValidationError("the ledger has too few serial numbers left for \(dossiers) more dossiers")
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
