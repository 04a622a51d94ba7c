import Foundation

/// The one-stop's dossier statuses (`TrangThaiHoSo`, the national portal's codes 1–10; DESIGN §3).
package enum OneStopStatus: Int, CaseIterable, Codable, Sendable {
    case registered = 1
    case received, rejected, processing, supplementRequested, financialObligation, withdrawn, stopped,
        resultReady, resultReturned

    /// How far along a dossier is. Statuses of one rank can follow each other both ways (processing ↔
    /// supplement requested); a lower rank never follows a higher one.
    var rank: Int {
        switch self {
        case .registered: 0
        case .received: 1
        case .processing, .supplementRequested, .financialObligation: 2
        case .resultReady: 3
        case .rejected, .withdrawn, .stopped: 4
        case .resultReturned: 5
        }
    }

    /// A status that finishes a dossier at the one-stop: a result (9, 10), or closed without one (3, 7, 8). The ledger
    /// keeps when a dossier first held one (`finishedAt`, v6).
    package var finishesDossier: Bool {
        switch self {
        case .rejected, .withdrawn, .stopped, .resultReady, .resultReturned: true
        case .registered, .received, .processing, .supplementRequested, .financialObligation: false
        }
    }

    /// A status as the one-stop reported it, at the time it gives (`ThoiDiem`).
    struct Report: Equatable, Sendable {
        let status: OneStopStatus
        let at: Date

        /// Callbacks arrive late, twice and out of order, so the status a dossier holds is the greatest report by
        /// (rank, time, code): a total order, so any arrival order of the same reports ends in the same status,
        /// and nothing ever moves a dossier backwards.
        func supersedes(_ current: Report?) -> Bool {
            guard let current else { return true }
            return (status.rank, at, status.rawValue) >= (current.status.rank, current.at, current.status.rawValue)
        }
    }
}
