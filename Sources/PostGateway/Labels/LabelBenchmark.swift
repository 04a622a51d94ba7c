import CQRencode
import Foundation

/// Labels per second, SVG and ZPL, beside raw libqrencode encodes of the same payloads, measured in one run.
struct LabelBenchmark {
    struct Result {
        let name: String
        let perSecond: Double
    }

    let renderer: LabelRenderer
    let count: Int

    /// Rounds alternate raw encodes and labels so that a machine's warm-up or a neighbour's burst touches all
    /// three alike; each figure is its best round.
    func run(rounds: Int = 5) throws -> [Result] {
        let detail = Self.sampleDetail(reference: renderer.reference)
        let numbers = (1...count).map { TrackingNumber(prefix: "PH", serial: $0) }
        let details = numbers.map { Self.relabel(detail, $0) }
        let urls = numbers.map { "\(renderer.publicBaseURL)/t/\($0)" }
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
                        for (number, detail) in zip(numbers, details) {
                            sink &+= try renderer.render(detail, trackingNumber: number, format: format).utf8.count
                        }
                    })
            }
        }
        precondition(sink != 0)
        return [
            Result(name: "raw libqrencode (QRcode_encodeString8bit, level M)", perSecond: Double(count) / best[0]),
            Result(name: "label, svg", perSecond: Double(count) / best[1]),
            Result(name: "label, zpl", perSecond: Double(count) / best[2]),
        ]
    }

    private func measure(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func measureThrowing(_ body: () throws -> Void) throws -> Double {
        var thrown: (any Error)?
        let seconds = measure { do { try body() } catch { thrown = error } }
        if let thrown { throw thrown }
        return seconds
    }

    private static func relabel(_ detail: DossierDetail, _ number: TrackingNumber) -> DossierDetail {
        var item = detail.items[0]
        item.trackingNumber = number.description
        return DossierDetail(dossier: detail.dossier, items: [item], events: [:])
    }

    /// A typical dossier, built in memory: the benchmark measures rendering, not the ledger.
    static func sampleDetail(reference: ReferenceData) -> DossierDetail {
        let now = Date()
        let dossier = DossierRecord(
            id: 1, service: .sendAndReturn, procedureCode: "2.000635", procedureName: "Cấp bản sao trích lục hộ tịch",
            agencyCode: reference.agencies[1].code, officeCode: reference.offices[0].code, applicantName: "Nguyễn Thị Hồng Nhung",
            applicantIdSealed: IdNumberSealer.ephemeral().seal("019190001234"), applicantPhone: "0912345678", applicantEmail: nil,
            applicantAddress: "Số 12, tổ 5, phường Tân Thịnh, Thái Nguyên", resultAddress: "Số 12, tổ 5, phường Tân Thịnh, Thái Nguyên",
            documents: [.init(name: "Tờ khai", copies: 1, kind: .original)], postage: 30000, administrativeFee: 8000, note: nil,
            pinHash: "", transitScope: .sameDistrict, jDate: "2026-11-23", dueDate: "2026-11-24", oneStopCode: nil,
            oneStopStatus: nil, appointmentDate: nil, acceptedAt: now, acceptedBy: "benchmark")
        let item = ItemRecord(
            id: 1, dossierId: 1, kind: .dossier, trackingNumber: "PH000000014VN", status: .accepted,
            officeCode: dossier.officeCode, dueDate: "2026-11-24", cashOnDelivery: 0, createdAt: now, updatedAt: now)
        return DossierDetail(dossier: dossier, items: [item], events: [:])
    }
}
