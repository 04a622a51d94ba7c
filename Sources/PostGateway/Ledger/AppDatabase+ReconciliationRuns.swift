import Foundation
import GRDB

extension AppDatabase {
    func createReconciliationRun(_ run: ReconciliationRunRecord) async throws -> ReconciliationRunRecord {
        try await write { db in
            var run = run
            try run.insert(db)
            return run
        }
    }

    /// Marks a run as started; false when it is not waiting to (already started, finished, or unknown).
    func startReconciliationRun(id: Int64, now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql:
                    "UPDATE reconciliationRun SET state = 'running', startedAt = ? WHERE id = ? AND state IN ('queued', 'running') AND startedAt IS NULL",
                arguments: [LedgerTime.string(now), id])
            return db.changesCount == 1
        }
    }

    /// Records how a run ended, with its findings, in one transaction. The result-only orders' figures, when the run
    /// compared them, are kept in the summary's text under `orders`.
    func finishReconciliationRun(
        id: Int64, state: ReconciliationRunRecord.State, summary: ReconciliationSummary?, orders: ReconciliationOrderFigures? = nil,
        error: String?, findings: [ReconciliationFinding], now: Date
    ) async throws -> ReconciliationRunRecord {
        let summaryJSON = try summary.map { try Self.summaryText($0, orders: orders) }
        return try await write { db in
            try db.execute(
                sql: "UPDATE reconciliationRun SET state = ?, summary = ?, error = ?, finishedAt = ? WHERE id = ?",
                arguments: [state.rawValue, summaryJSON, error, LedgerTime.string(now), id])
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO reconciliationFinding (runId, seq, trackingNumber, kind, agencyCode, gatewayValue, oneStopValue, ahead, repair, repaired)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (seq, finding) in findings.enumerated() {
                try insert.execute(arguments: [
                    id, seq + 1, finding.trackingNumber, finding.kind.rawValue, finding.agencyCode, finding.gatewayValue,
                    finding.oneStopValue, finding.ahead?.rawValue, finding.repair.rawValue, finding.repaired,
                ])
            }
            return try ReconciliationRunRecord.fetchOne(db, key: id)!
        }
    }

    /// A run's summary as the ledger keeps it: sorted keys, so that the same figures always give the same bytes, and the
    /// orders' figures beside the dossiers' in the one object that the report and the API show as it is.
    static func summaryText(_ summary: ReconciliationSummary, orders: ReconciliationOrderFigures?) throws -> String {
        let dossiers = try JSONEncoder.sorted.encode(summary)
        guard let orders else { return String(decoding: dossiers, as: UTF8.self) }
        guard case .object(var object) = try JSONValue(parsing: dossiers) else { return String(decoding: dossiers, as: UTF8.self) }
        object["orders"] = try JSONValue(parsing: try JSONEncoder.sorted.encode(orders))
        return JSONValue.object(object).canonicalText
    }

    /// Runs newest first, `before` an id for the next page.
    func reconciliationRuns(before: Int64?, limit: Int) async throws -> [ReconciliationRunRecord] {
        try await read { db in
            var request = ReconciliationRunRecord.order(\.id.desc).limit(limit)
            if let before { request = request.filter { $0.id < before } }
            return try request.fetchAll(db)
        }
    }

    func reconciliationRun(id: Int64) async throws -> ReconciliationRunRecord? {
        try await read { db in try ReconciliationRunRecord.fetchOne(db, key: id) }
    }

    /// A run's findings in order, after `afterSeq`.
    func reconciliationFindings(runId: Int64, afterSeq: Int = 0, limit: Int = .max) async throws -> [(seq: Int, finding: ReconciliationFinding)] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.findingColumns) FROM reconciliationFinding WHERE runId = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [runId, afterSeq, min(limit, Int(Int32.max))]
            ).map(Self.finding)
        }
    }

    /// The columns `finding` reads, in the finding table's words: the same on either backend.
    static let findingColumns = "seq, trackingNumber, kind, agencyCode, gatewayValue, oneStopValue, ahead, repair, repaired"

    /// A row of the findings table, with its place in the run.
    static func finding(_ row: Row) -> (seq: Int, finding: ReconciliationFinding) {
        (
            row["seq"],
            ReconciliationFinding(
                trackingNumber: row["trackingNumber"], kind: ReconciliationFinding.Kind(rawValue: row["kind"]) ?? .statusDisagreement,
                agencyCode: row["agencyCode"], gatewayValue: row["gatewayValue"], oneStopValue: row["oneStopValue"],
                ahead: (row["ahead"] as String?).flatMap(ReconciliationFinding.Side.init(rawValue:)),
                repair: ReconciliationFinding.Repair(rawValue: row["repair"]) ?? .forAPerson, repaired: row["repaired"])
        )
    }

    /// Runs left running by a process that is gone (the caller holds the run lock, so none is alive).
    func failRunningReconciliationRuns(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE reconciliationRun SET state = 'failed', error = ?, finishedAt = ? WHERE state = 'running'",
                arguments: ["interrupted: the process stopped before the run ended", LedgerTime.string(now)])
            return db.changesCount
        }
    }

    /// Whether the nightly run for `night` is missing: the ledger holds a dossier taken in by the end of that night,
    /// and no run over that night (from the schedule, a supervisor or cron; not a dry run) is queued, under way, or
    /// ended otherwise than failed.
    func nightlyRunIsMissing(night: LocalDate) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT NOT EXISTS (SELECT 1 FROM reconciliationRun WHERE fromDay <= ?1 AND toDay >= ?1 AND dryRun = 0 AND state != 'failed')
                       AND EXISTS (SELECT 1 FROM dossier WHERE acceptedAt < ?2)
                    """, arguments: [night.description, LedgerTime.string(night.adding(days: 1).startInstant)]) ?? false
        }
    }

    /// Whether a run over `night` (not a dry run) is queued or under way.
    func nightlyRunIsUnderWay(night: LocalDate) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM reconciliationRun WHERE fromDay <= ?1 AND toDay >= ?1 AND dryRun = 0 AND state IN ('queued', 'running'))
                    """, arguments: [night.description]) ?? false
        }
    }

    /// What an operator alerts on: when the ledgers were last compared to the end (not in a dry run), what that run
    /// left for a person, and how many runs have failed since.
    func reconciliationStatistics() async throws -> ReconciliationStatistics {
        try await read { db in
            // By when they ended, not by id: a run refused by the lock takes its id after the run holding it.
            let completed = ReconciliationRunRecord.State.completed.map(\.rawValue)
            let last = try ReconciliationRunRecord.filter { completed.contains($0.state) && $0.dryRun == false }
                .order { [$0.finishedAt.desc, $0.id.desc] }.fetchOne(db)
            var failed = ReconciliationRunRecord.filter { $0.state == ReconciliationRunRecord.State.failed.rawValue }
            if let finishedAt = last?.finishedAt { failed = failed.filter { $0.finishedAt > finishedAt } }
            let failedSince = try failed.fetchCount(db)
            return ReconciliationStatistics(
                lastCompletedAt: last?.finishedAt, findingsRemaining: last?.figures?.remaining ?? 0,
                failedSinceCompleted: failedSince)
        }
    }

    func queuedReconciliationRuns() async throws -> [ReconciliationRunRecord] {
        try await read { db in try ReconciliationRunRecord.filter { $0.state == "queued" }.order(\.id).fetchAll(db) }
    }
}

struct ReconciliationStatistics: Sendable, Equatable {
    let lastCompletedAt: Date?
    let findingsRemaining: Int
    let failedSinceCompleted: Int
}

extension JSONEncoder {
    /// Sorted keys: the same figures always give the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
