import Foundation
import GRDB
import PostgresNIO

/// The reconciliation's runs and findings on PostgreSQL: `AppDatabase+ReconciliationRuns`, the same rows and answers.
/// Every instance reads the one table, so each shows the night's run whichever ran it (under `withRunLock`); a run
/// is started by one conditional update, so two instances picking up one queued run start it once.
extension PostgresLedger {
    func createReconciliationRun(_ run: ReconciliationRunRecord) async throws -> ReconciliationRunRecord {
        var run = run
        run.id = try await client.withConnection { connection in try await Self.insert(run, on: connection, logger: logger) }
        return run
    }

    func startReconciliationRun(id: Int64, now: Date) async throws -> Bool {
        try await exists(
            """
            UPDATE reconciliationRun SET state = 'running', startedAt = \(LedgerTime.string(now))
            WHERE id = \(id) AND state IN ('queued', 'running') AND startedAt IS NULL RETURNING id
            """)
    }

    func finishReconciliationRun(
        id: Int64, state: ReconciliationRunRecord.State, summary: ReconciliationSummary?, orders: ReconciliationOrderFigures? = nil,
        error: String?, findings: [ReconciliationFinding], now: Date
    ) async throws -> ReconciliationRunRecord {
        let summaryJSON = try summary.map { try AppDatabase.summaryText($0, orders: orders) }
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                UPDATE reconciliationRun SET state = \(state.rawValue), summary = \(summaryJSON), error = \(error), finishedAt = \(LedgerTime.string(now))
                WHERE id = \(id)
                """, logger: logger)
            for (seq, finding) in findings.enumerated() {
                try await connection.query(
                    """
                    INSERT INTO reconciliationFinding (runId, seq, trackingNumber, kind, agencyCode, gatewayValue, oneStopValue, ahead, repair, repaired)
                    VALUES (\(id), \(seq + 1), \(finding.trackingNumber), \(finding.kind.rawValue), \(finding.agencyCode), \(finding.gatewayValue),
                            \(finding.oneStopValue), \(finding.ahead?.rawValue), \(finding.repair.rawValue), \(finding.repaired ? 1 : 0))
                    """, logger: logger)
            }
            return try await Self.fetchOne(
                ReconciliationRunRecord.self, "SELECT * FROM reconciliationRun WHERE id = \(id)", on: connection, logger: logger)!
        }
    }

    func reconciliationRuns(before: Int64?, limit: Int) async throws -> [ReconciliationRunRecord] {
        try await runs("SELECT * FROM reconciliationRun WHERE \(before)::bigint IS NULL OR id < \(before) ORDER BY id DESC LIMIT \(limit)")
    }

    func reconciliationRun(id: Int64) async throws -> ReconciliationRunRecord? {
        try await runs("SELECT * FROM reconciliationRun WHERE id = \(id)").first
    }

    func reconciliationFindings(runId: Int64, afterSeq: Int = 0, limit: Int = .max) async throws -> [(seq: Int, finding: ReconciliationFinding)] {
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(AppDatabase.findingColumns) FROM reconciliationFinding WHERE runId = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                binds: try Self.binds(runId, afterSeq, limit)), logger: logger)
        var findings: [(seq: Int, finding: ReconciliationFinding)] = []
        for try await row in rows { findings.append(AppDatabase.finding(try Self.grdbRow(row))) }
        return findings
    }

    /// Runs left running by a process that is gone: the caller holds the run lock (`withRunLock`), and the lock is
    /// held by a live session only, so no run marked running is alive.
    func failRunningReconciliationRuns(now: Date) async throws -> Int {
        try await runs(
            """
            UPDATE reconciliationRun SET state = 'failed', error = 'interrupted: the process stopped before the run ended',
                   finishedAt = \(LedgerTime.string(now)) WHERE state = 'running' RETURNING *
            """
        ).count
    }

    func nightlyRunIsMissing(night: LocalDate) async throws -> Bool {
        let day = night.description
        return try await exists(
            """
            SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM reconciliationRun WHERE fromDay <= \(day) AND toDay >= \(day) AND dryRun = 0 AND state != 'failed')
              AND EXISTS (SELECT 1 FROM dossier WHERE acceptedAt < \(LedgerTime.string(night.adding(days: 1).startInstant)))
            """)
    }

    func nightlyRunIsUnderWay(night: LocalDate) async throws -> Bool {
        let day = night.description
        return try await exists(
            """
            SELECT 1 FROM reconciliationRun WHERE fromDay <= \(day) AND toDay >= \(day) AND dryRun = 0 AND state IN ('queued', 'running')
            """)
    }

    func reconciliationStatistics() async throws -> ReconciliationStatistics {
        try await inSnapshot { connection in
            let completed = ReconciliationRunRecord.State.completed.map(\.rawValue)
            // By when they ended, not by id: a run refused by the lock takes its id after the run holding it.
            let last = try await Self.fetchOne(
                ReconciliationRunRecord.self,
                "SELECT * FROM reconciliationRun WHERE state = ANY(\(completed)) AND dryRun = 0 ORDER BY finishedAt DESC, id DESC LIMIT 1",
                on: connection, logger: logger)
            // As the record stores it (its GRDB encoding), to compare as SQLite does.
            let finishedAt = last?.finishedAt.flatMap { String.fromDatabaseValue($0.databaseValue) }
            var failedSince = 0
            for try await count in try await connection.query(
                "SELECT count(*) FROM reconciliationRun WHERE state = 'failed' AND (\(finishedAt)::text IS NULL OR finishedAt > \(finishedAt))",
                logger: logger
            ).decode(Int.self) {
                failedSince = count
            }
            return ReconciliationStatistics(
                lastCompletedAt: last?.finishedAt, findingsRemaining: last?.figures?.remaining ?? 0, failedSinceCompleted: failedSince)
        }
    }

    func queuedReconciliationRuns() async throws -> [ReconciliationRunRecord] {
        try await runs("SELECT * FROM reconciliationRun WHERE state = 'queued' ORDER BY id")
    }

    private func runs(_ query: PostgresQuery) async throws -> [ReconciliationRunRecord] {
        var runs: [ReconciliationRunRecord] = []
        for try await row in try await client.query(query, logger: logger) { runs.append(try ReconciliationRunRecord(row: Self.grdbRow(row))) }
        return runs
    }
}
