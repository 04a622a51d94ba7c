import Foundation

@testable import PostGateway

/// The intent-named methods both backends answer, as the PostgreSQL suites call them on each to compare the answers and
/// the rows: the ledger's own methods, and, said once here, the two whose calls differ by backend (a status callback,
/// and draining the outbox, which on PostgreSQL is done by a named instance).
protocol LedgerBackend: Sendable {
    func acceptDossiers(_ submissions: [IntakeSubmission], series: TrackingSeries, pins: TrackingPins) async throws -> [Result<
        IntakeOutcome, any Error
    >]
    func recordScan(
        _ scan: ScanRequest, by role: StaffIdentity.Role, recordedAt: Date, reference: ReferenceData, invitesByMessage: Bool,
        audit: AuditSlot?
    ) async throws -> ScanResult
    func openHandover(
        direction: HandoverDirection, agencyCode: String, officeCode: String, trackingNumbers: [TrackingNumber], createdBy: String,
        at now: Date, checkOnly: Bool, tellsOtherOffices: Bool, audit: AuditSlot?
    ) async throws -> Result<HandoverDetail, HandoverRefusals>
    func signHandover(
        id: Int64, direction: HandoverDirection, receivedBy: String, signedBy: String, officeScope: String?, at now: Date,
        reference: ReferenceData, audit: AuditSlot?
    ) async throws -> HandoverSigning
    func cancelHandover(
        id: Int64, direction: HandoverDirection, cancelledBy: String, officeScope: String?, at now: Date, audit: AuditSlot?
    ) async throws -> HandoverCancelling
    func pendingPickups(officeCode: String?) async throws -> [PendingPickup]
    func hasAccounts() async throws -> Bool
    func createAccount(
        username: String, displayName: String, role: StaffIdentity.Role, officeCode: String?, passwordHash: String, at date: Date,
        audit: AuditEntry
    ) async throws -> AppDatabase.AccountChange
    func accounts() async throws -> [StaffAccount]
    func accountForLogin(username: String) async throws -> (account: StaffAccount, passwordHash: String)?
    func disableAccount(username: String, at date: Date, audit: AuditEntry) async throws -> AppDatabase.AccountChange
    func resetPassword(username: String, passwordHash: String, at date: Date, audit: AuditEntry) async throws -> AppDatabase.AccountChange
    func startSession(
        accountId: Int64, username: String, tokenHash: String, csrfToken: String, at date: Date, expiresAt: Date, audit: AuditEntry
    ) async throws
    func changeOwnPassword(
        accountId: Int64, username: String, passwordHash: String, keptSession: String?, at date: Date, audit: AuditSlot?
    ) async throws
    func endSession(tokenHash: String, at date: Date, audit: AuditEntry) async throws
    func sessionIdentity(tokenHash: String, now: Date) async throws -> StaffIdentity?
    func createToken(
        tokenHash: String, label: String, role: StaffIdentity.Role, officeCode: String?, at date: Date,
        audit: @escaping @Sendable (Int64) -> AuditEntry
    ) async throws -> Int64
    func tokens() async throws -> [ApiTokenInfo]
    func revokeToken(id: Int64, at date: Date, audit: AuditEntry) async throws -> AppDatabase.AccountChange
    func tokenIdentity(tokenHash: String) async throws -> StaffIdentity?
    func dossierDetail(id: Int64) async throws -> DossierDetail?
    func dossierDetail(trackingNumber: TrackingNumber) async throws -> DossierDetail?
    func dossierSummaries(_ filter: DossierFilter, before: Int64?, limit: Int) async throws -> [DossierSummary]
    func officeCodes(ofTrackingNumbers numbers: Set<String>) async throws -> [String: String]
    func outboxMessages(state: OutboxMessageRecord.State, officeCode: String?, limit: Int) async throws -> [(
        message: OutboxMessageRecord, trackingNumber: String
    )]
    func requeueDeadMessage(id: Int64, officeCode: String?, now: Date, audit: AuditSlot?) async throws -> Bool
    func openCase(
        _ request: OpenCaseRequest, actor: String, calendar: WorkingCalendar, mayAct: @escaping @Sendable (String) -> Bool,
        audit: AuditSlot?, now: Date
    ) async throws -> OpenCaseOutcome
    func resolveCase(
        id: Int64, _ request: ResolveCaseRequest, actor: String, now: Date, mayAct: @escaping @Sendable (String) -> Bool, audit: AuditSlot?
    ) async throws -> ResolveCaseOutcome
    func postalCase(id: Int64) async throws -> PostalCaseDetail?
    func postalCases(open: Bool?, officeCode: String?, before: Int64?, limit: Int) async throws -> [PostalCaseDetail]
    func reportSummary(_ filter: ReportFilter, asOf: LocalDate) async throws -> ReportSummary
    func overdueItems(officeCode: String?, agencyCode: String?, asOf: LocalDate, limit: Int) async throws -> (total: Int, items: [OverdueItem])
    func postalServiceReport(_ period: ReportPeriod, officeCode: String?) async throws -> PostalServiceReport
    func createReconciliationRun(_ run: ReconciliationRunRecord) async throws -> ReconciliationRunRecord
    func startReconciliationRun(id: Int64, now: Date) async throws -> Bool
    func finishReconciliationRun(
        id: Int64, state: ReconciliationRunRecord.State, summary: ReconciliationSummary?, orders: ReconciliationOrderFigures?,
        error: String?, findings: [ReconciliationFinding], now: Date
    ) async throws -> ReconciliationRunRecord
    func reconciliationRuns(before: Int64?, limit: Int) async throws -> [ReconciliationRunRecord]
    func reconciliationRun(id: Int64) async throws -> ReconciliationRunRecord?
    func reconciliationFindings(runId: Int64, afterSeq: Int, limit: Int) async throws -> [(seq: Int, finding: ReconciliationFinding)]
    func failRunningReconciliationRuns(now: Date) async throws -> Int
    func nightlyRunIsMissing(night: LocalDate) async throws -> Bool
    func nightlyRunIsUnderWay(night: LocalDate) async throws -> Bool
    func reconciliationStatistics() async throws -> ReconciliationStatistics
    func queuedReconciliationRuns() async throws -> [ReconciliationRunRecord]
    func applyStatus(_ event: OneStopEvent, webhookId: String, planner: ResultItemPlanner, pins: TrackingPins) async throws
    func deliverDue(_ outcomes: [DeliveryOutcome], now: Date) async throws
}

extension AppDatabase: LedgerBackend {
    func applyStatus(_ event: OneStopEvent, webhookId: String, planner: ResultItemPlanner, pins: TrackingPins) async throws {
        _ = try await applyCallback(.event(event), webhookId: webhookId, body: "{}", receivedAt: event.occurredAt, resultItems: planner, pins: pins)
    }

    func deliverDue(_ outcomes: [DeliveryOutcome], now: Date) async throws {
        let claimed = try await claimDueMessages(limit: outcomes.count, now: now)
        try await recordDeliveries(Array(zip(claimed.map(\.id), outcomes)), now: now)
    }
}

extension PostgresLedger: LedgerBackend {
    func applyStatus(_ event: OneStopEvent, webhookId: String, planner: ResultItemPlanner, pins: TrackingPins) async throws {
        _ = try await applyStatusCallback(event, webhookId: webhookId, body: "{}", receivedAt: event.occurredAt, resultItems: planner)
    }

    func deliverDue(_ outcomes: [DeliveryOutcome], now: Date) async throws {
        let claimed = try await claimDueMessages(limit: outcomes.count, now: now, instance: "gateway-a", lease: .seconds(60))
        try await recordDeliveries(Array(zip(claimed.map(\.id), outcomes)), now: now, instance: "gateway-a")
    }
}
