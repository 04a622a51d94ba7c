import CQRencode
import Foundation
import GRDB
import PostGateway

/// Labels per second, SVG and ZPL, of dossiers from a ledger, beside raw libqrencode encodes of the same
/// payloads, measured in one run.
struct LabelBenchmark {
    struct Result {
        let name: String
        let perSecond: Double
    }

    let renderer: LabelRenderer
    /// The dossiers rendered, read from the ledger before the clock starts: the benchmark measures rendering.
    let dossiers: [(TrackingNumber, DossierDetail)]

    /// The first `count` dossiers of a ledger (`postgateway seed` makes one).
    static func dossiers(in database: AppDatabase, count: Int) async throws -> [(TrackingNumber, DossierDetail)] {
        let numbers = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT trackingNumber FROM item WHERE kind = 'dossier' ORDER BY id LIMIT ?", arguments: [count])
        }
        var dossiers: [(TrackingNumber, DossierDetail)] = []
        for text in numbers {
            let number = try TrackingNumber(parsing: text)
            if let detail = try await database.dossierDetail(trackingNumber: number) { dossiers.append((number, detail)) }
        }
        return dossiers
    }

    /// Rounds alternate raw encodes and labels so that a machine's warm-up or a neighbour's burst touches all
    /// three alike; each figure is its best round.
    func run(rounds: Int = 5) throws -> [Result] {
        let urls = dossiers.map { "\(renderer.publicBaseURL)/t/\($0.0)" }
        var sink = 0
        var best = [Double](repeating: .infinity, count: 3)
        for _ in 0..<rounds {
            best[0] = min(
                best[0],
                measure {
                    for url in urls {
                        let symbol = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M)!
                        sink &+= Int(symbol.pointee.width)
                        QRcode_free(symbol)
                    }
                })
            for (index, format) in LabelRenderer.Format.allCases.enumerated() {
                best[index + 1] = min(
                    best[index + 1],
                    try measureThrowing {
                        for (number, detail) in dossiers {
                            sink &+= try renderer.render(detail, trackingNumber: number, format: format).utf8.count
                        }
                    })
            }
        }
        precondition(sink != 0)
        let count = Double(dossiers.count)
        return [
            Result(name: "raw libqrencode (QRcode_encodeString8bit, level M)", perSecond: count / best[0]),
            Result(name: "label, svg", perSecond: count / best[1]),
            Result(name: "label, zpl", perSecond: count / best[2]),
        ]
    }

    private func measure(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        return (ContinuousClock.now - start).inSeconds
    }

    private func measureThrowing(_ body: () throws -> Void) throws -> Double {
        var thrown: (any Error)?
        let seconds = measure { do { try body() } catch { thrown = error } }
        if let thrown { throw thrown }
        return seconds
    }
}
