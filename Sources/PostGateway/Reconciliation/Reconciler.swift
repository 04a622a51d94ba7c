import Foundation
import Logging

/// Runs a reconciliation from start to end: takes the run lock, reads the one-stop's ledger and the gateway's
/// side by side (the postal dossiers, call 4, then the result-only orders, call 8), classifies every difference,
/// carries out the safe repairs (not in a dry run), records the run and its findings in the ledger and writes the
/// report files. The command, the nightly service and the API all run through here.
struct Reconciler: Sendable {
    struct Request: Sendable, Equatable {
        var from: LocalDate
        var to: LocalDate
        var dryRun = false
        var origin: ReconciliationRunRecord.Origin = .command
    }

    let database: AppDatabase
    let reader: OneStopLedgerReader
    let reportsDirectory: String
    let lockPath: String
    let agencyNames: [String: String]
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Records a run for the service to carry out, so that the API can answer with its id at once.
    func queue(_ request: Request) async throws -> ReconciliationRunRecord {
        try await database.createReconciliationRun(
            .init(
                fromDay: request.from.description, toDay: request.to.description, dryRun: request.dryRun, origin: request.origin,
                state: .queued, requestedAt: clock()))
    }

    /// Runs `request` (the queued run `queued`, or a new one) to its end. A run that cannot complete is recorded
    /// as failed with its reason; only a ledger that cannot be written throws.
    func run(_ request: Request, queued: ReconciliationRunRecord? = nil) async throws -> ReconciliationRunRecord {
        var run = if let queued { queued } else { try await queue(request) }
        let runId = run.id!
        guard let lock = try RunLock.acquire(path: lockPath) else {
            return try await finish(run, state: .failed, error: "another reconciliation run is in progress", findings: [], summary: nil)
        }
        defer { withExtendedLifetime(lock) {} }
        // Holding the lock, no other run is under way: one still marked running was stopped with its process.
        _ = try await database.failRunningReconciliationRuns(now: clock())
        guard try await database.startReconciliationRun(id: runId, now: clock()) else {
            return try await database.reconciliationRun(id: runId) ?? run
        }
        run.state = .running
        let started = ContinuousClock.now
        logger.info(
            "reconciliation started",
            metadata: [
                "run": "\(runId)", "from": "\(request.from)", "to": "\(request.to)",
                "dryRun": "\(request.dryRun)",
            ])
        do {
            let match = try await readBothLedgers(request)
            let orders = try await readBothOrderLists(request)
            var findings = match.findings + orders.findings
            if !request.dryRun && findings.contains(where: { $0.repair == .resend || $0.repair == .takeStatus }) {
                // One transaction for both: a dossier's key is its item number, an order's its result's number or mã hồ sơ.
                findings = try await database.repair(
                    findings, dossierIds: match.dossierIds.merging(orders.dossierIds) { dossier, _ in dossier },
                    oneStop: match.oneStopFactsToTake.merging(orders.oneStopFactsToTake) { dossier, _ in dossier }, now: clock())
            }
            var summary = ReconciliationSummary(gatewayDossiers: match.gatewayCount, oneStopDossiers: match.oneStopCount, matched: match.matchedCount)
            summary.findings = findings.count
            summary.repaired = findings.count { $0.repaired }
            summary.awaitingForwarding = findings.count { $0.repair == .awaitForwarding }
            summary.remaining = findings.count { $0.remains }
            summary.byKind = findings.reduce(into: [:]) { $0[$1.kind.rawValue, default: 0] += 1 }
            summary.agencies = match.agencies.values.sorted { $0.agencyCode < $1.agencyCode }
            summary.seconds = (ContinuousClock.now - started).inSeconds
            let state: ReconciliationRunRecord.State = findings.isEmpty ? .agreed : summary.remaining == 0 ? .repaired : .findings
            return try await finish(run, state: state, error: nil, findings: findings, summary: summary, orders: orders.figures)
        } catch {
            let reason = (error as? ReconciliationFailure)?.reason ?? String(describing: error)
            return try await finish(run, state: .failed, error: reason, findings: [], summary: nil)
        }
    }

    /// Reads the two ledgers at once, the one-stop's over HTTP and the gateway's from SQLite, each a batch at a
    /// time into one match: on two cores a run takes about as long as the slower of the two reads.
    private func readBothLedgers(_ request: Request) async throws -> LedgerMatch {
        let shared = LedgerMatch.Shared()
        async let oneStop = reader.read(from: request.from, to: request.to) { rows in
            shared.withLock { match in for (number, facts) in rows { match.visit(oneStop: number, facts) } }
        }
        let batchSize = 1000
        let rest = try await database.scanPostalDossiers(from: request.from, to: request.to, into: [GatewayDossier]()) { batch, dossier in
            batch.append(dossier)
            guard batch.count == batchSize else { return }
            shared.withLock { match in for dossier in batch { match.visit(dossier) } }
            batch.removeAll(keepingCapacity: true)
        }
        shared.withLock { match in for dossier in rest { match.visit(dossier) } }
        _ = try await oneStop
        return shared.withLock { match in
            match.finish()
            return match
        }
    }

    /// The result-only orders of the run, compared as `readBothLedgers` compares the dossiers: both sides at once, by mã
    /// hồ sơ. The one-stop's list is read from a few days before the run's, for the orders placed then that reached the
    /// gateway within it; and the codes it lists that the run's days lack are looked up in the whole ledger.
    private func readBothOrderLists(_ request: Request) async throws -> OrderMatch {
        let shared = OrderMatch.Shared(from: request.from)
        async let oneStop = orderReader.read(from: request.from.adding(days: -OneStopOrderReader.lookBehindDays), to: request.to) { orders in
            shared.withLock { match in for order in orders { match.visit(oneStop: order) } }
        }
        let batchSize = 1000
        let rest = try await database.scanResultOrders(from: request.from, to: request.to, into: [GatewayOrder]()) { batch, order in
            batch.append(order)
            guard batch.count == batchSize else { return }
            shared.withLock { match in for order in batch { match.visit(order) } }
            batch.removeAll(keepingCapacity: true)
        }
        shared.withLock { match in for order in rest { match.visit(order) } }
        _ = try await oneStop
        let lookedUp = try await database.resultOrders(codes: shared.withLock { match in match.unmatchedCodes })
        return shared.withLock { match in
            match.finish(lookedUp: lookedUp)
            return match
        }
    }

    /// Call 8, paged as call 4 is.
    private var orderReader: OneStopOrderReader {
        OneStopOrderReader(client: reader.client, pageSize: reader.pageSize, maxPages: reader.maxPages)
    }

    private func finish(
        _ run: ReconciliationRunRecord, state: ReconciliationRunRecord.State, error: String?,
        findings: [ReconciliationFinding], summary: ReconciliationSummary?, orders: ReconciliationOrderFigures? = nil
    ) async throws -> ReconciliationRunRecord {
        let finished = try await database.finishReconciliationRun(
            id: run.id!, state: state, summary: summary, orders: orders, error: error, findings: findings,
            now: clock())
        var metadata: Logger.Metadata = ["run": "\(run.id!)", "state": "\(state.rawValue)", "findings": "\(findings.count)"]
        if let error { metadata["error"] = "\(error)" }
        if let summary { metadata["seconds"] = "\(String(format: "%.2f", summary.seconds))" }
        if let orders { metadata["orders"] = "\(orders.gatewayOrders)" }
        do {
            let files = try ReconciliationReport(run: finished, findings: findings, agencyNames: agencyNames).write(to: reportsDirectory)
            metadata["report"] = "\(files.last ?? "")"
        } catch {
            // The ledger holds the run and its findings; a report folder that cannot be written loses nothing.
            logger.error("reconciliation report could not be written", metadata: ["run": "\(run.id!)", "error": .error(error)])
        }
        if state == .failed {
            logger.error("reconciliation failed", metadata: metadata)
        } else {
            logger.info("reconciliation finished", metadata: metadata)
        }
        return finished
    }
}
