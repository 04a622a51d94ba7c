import Foundation
import GRDB

/// One row of `reconciliationRun`: a comparison of the two ledgers over a range of days, and how it ended.
struct ReconciliationRunRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "reconciliationRun"

    enum State: String, Codable, Sendable {
        case queued, running
        /// No finding at all.
        case agreed
        /// Every finding was repaired, or is explained by a message on its way.
        case repaired
        /// Findings remain for a person (or a dry run repaired nothing).
        case findings
        /// The run could not complete; `error` says why.
        case failed

        var isFinished: Bool { self != .queued && self != .running }

        /// The ends of a run that compared the two ledgers to the end.
        static let completed: [State] = [.agreed, .repaired, .findings]

        /// The command's exit code: 0 the ledgers agree, 1 findings remain, 2 the run could not complete.
        var exitCode: Int32 {
            switch self {
            case .agreed, .repaired: 0
            case .findings: 1
            case .failed, .queued, .running: 2
            }
        }
    }

    enum Origin: String, Codable, Sendable { case command, schedule, api }

    var id: Int64?
    var fromDay: String
    var toDay: String
    var dryRun: Bool
    var origin: Origin
    var state: State
    var requestedAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var error: String?
    /// `ReconciliationSummary` as JSON, once the run has finished.
    var summary: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// `summary`, decoded.
    var figures: ReconciliationSummary? {
        summary.flatMap { try? JSONDecoder().decode(ReconciliationSummary.self, from: Data($0.utf8)) }
    }
}

extension ReconciliationRunRecord {
    /// The table's columns, named by the record's coding keys: a request can only name a column the record has.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let fromDay = Column(CodingKeys.fromDay)
        static let toDay = Column(CodingKeys.toDay)
        static let dryRun = Column(CodingKeys.dryRun)
        static let origin = Column(CodingKeys.origin)
        static let state = Column(CodingKeys.state)
        static let requestedAt = Column(CodingKeys.requestedAt)
        static let startedAt = Column(CodingKeys.startedAt)
        static let finishedAt = Column(CodingKeys.finishedAt)
        static let error = Column(CodingKeys.error)
        static let summary = Column(CodingKeys.summary)
    }
}

/// The figures of a finished run.
struct ReconciliationSummary: Codable, Sendable, Equatable {
    /// The administrative fees collected on one agency's behalf, as each ledger counts them.
    struct AgencyTotals: Codable, Sendable, Equatable {
        var agencyCode: String
        var gatewayDossiers = 0
        var gatewayFees: Int64 = 0
        var oneStopDossiers = 0
        var oneStopFees: Int64 = 0
        var agree: Bool { gatewayDossiers == oneStopDossiers && gatewayFees == oneStopFees }
    }

    var gatewayDossiers = 0
    var oneStopDossiers = 0
    var matched = 0
    var findings = 0
    var repaired = 0
    var awaitingForwarding = 0
    var remaining = 0
    var byKind: [String: Int] = [:]
    var agencies: [AgencyTotals] = []
    var seconds: Double = 0
}
