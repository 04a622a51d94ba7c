import ArgumentParser
import Foundation

struct LabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Print the label of an item (dossier or result) to standard output, as SVG or ZPL.")

    @OptionGroup var ledger: LedgerOptions

    @Argument(help: "The item's tracking number, e.g. PH000000155VN.")
    var trackingNumber: String

    @Option(help: "svg (for a browser or an office printer) or zpl (for a 203 dpi thermal printer).")
    var format: String = "svg"

    func run() async throws {
        guard let format = LabelRenderer.Format(rawValue: format) else { throw ValidationError("--format must be svg or zpl") }
        let number: TrackingNumber
        do { number = try TrackingNumber(parsing: trackingNumber) } catch {
            throw ValidationError("\(trackingNumber) is not a valid S10 tracking number (\(error))")
        }
        let configuration = try ledger.existingLedger()
        let renderer: LabelRenderer
        let database: AppDatabase
        do {
            renderer = LabelRenderer(
                templates: try LabelTemplates.load(from: URL(fileURLWithPath: configuration.labelsDirectory)),
                reference: try ReferenceData.load(from: URL(fileURLWithPath: configuration.referenceDirectory)),
                publicBaseURL: configuration.publicBaseURL)
            database = try AppDatabase.open(configuration)
        } catch let error as LabelTemplateError { throw ValidationError(error.description) } catch let error as ReferenceDataError {
            throw ValidationError("reference data \(error.description)")
        }
        guard let detail = try await database.dossierDetail(trackingNumber: number) else {
            throw ValidationError("no item \(number) in \(configuration.databasePath)")
        }
        print(try renderer.render(detail, trackingNumber: number, format: format), terminator: "")
    }
}
