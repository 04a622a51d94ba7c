import Foundation
import GRDB

extension AppDatabase {
    /// Every postal dossier taken in on the local days `from`…`to`, as the reconciliation compares it, in one
    /// read transaction (a consistent snapshot, while the server goes on writing). One row per dossier: its item,
    /// its signed handover, its result item and last return progress (kept on the rows by migration v8's triggers),
    /// and whether a message is on its way.
    package func scanPostalDossiers<State: Sendable>(
        from: LocalDate, to: LocalDate, into initial: State,
        _ visit: @escaping @Sendable (inout State, GatewayDossier) throws -> Void
    ) async throws -> State {
        try await read { db in
            var state = initial
            // The few dossiers with a message on its way, or refused: a registration that died in a long outage is
            // not waited for, and is queued again by the repair.
            let (onItsWay, refused) = try Self.forwardingState(db)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT i.trackingNumber, d.id, d.agencyCode, d.administrativeFee, d.oneStopStatus, d.oneStopCode, d.service,
                           strftime('%Y%m%d%H%M%S', i.handedOverAt, ?) AS handoverAt, r.trackingNumber AS resultNumber,
                           CASE WHEN r.id IS NULL THEN NULL ELSE d.reportedReturnState END AS resultState
                    FROM dossier d
                    CROSS JOIN item i ON i.dossierId = d.id AND i.kind = 'dossier'
                    LEFT JOIN item r ON r.dossierId = d.id AND r.kind = 'result'
                    WHERE d.acceptedAt >= ? AND d.acceptedAt < ?
                    """,
                arguments: [
                    // The contract's local yyyyMMddHHmmss, written by SQLite in the query: the offset is Vietnam's, which has no DST.
                    "\(LocalTime.offset(at: from.startInstant)) seconds",
                    LedgerTime.string(from.startInstant), LedgerTime.string(to.adding(days: 1).startInstant),
                ])
            while let row = try rows.next() {
                let number = try TrackingNumber(parsing: row[0] as String)
                let dossierId: Int64 = row[1]
                let facts = LedgerFacts(
                    agencyCode: row[2], fee: row[3], status: (row[4] as Int?).flatMap(OneStopStatus.init(rawValue:)), dossierCode: row[5],
                    handoverAt: row[7], resultNumber: row[8], resultState: row[9])
                try visit(
                    &state,
                    GatewayDossier(
                        trackingNumber: number, dossierId: dossierId, facts: facts,
                        hasUndeliveredMessages: onItsWay.contains(dossierId),
                        resultByPost: ServiceType(rawValue: row[6])?.resultByPost ?? false,
                        refusedByOneStop: refused.contains(dossierId)))
            }
            return state
        }
    }

    /// Carries out the safe repairs of a run in one transaction, and answers the findings with `repaired` set.
    /// Re-sending puts dead messages back in the queue and copies delivered ones (the one-stop deduplicates on the
    /// item number, or a result-only order's mã hồ sơ, so a copy of what it already has is a harmless replay); taking a
    /// status never moves a dossier backwards and never overwrites a mã hồ sơ. Postal dossiers and result-only orders
    /// are repaired alike: their findings' keys (item numbers, an order's mã hồ sơ) never meet.
    func repair(
        _ findings: [ReconciliationFinding], dossierIds: [String: Int64], oneStop: [String: LedgerFacts],
        now: Date
    ) async throws -> [ReconciliationFinding] {
        try await write { db in
            var resent: Set<Int64> = []
            return try findings.map { finding in
                var finding = finding
                guard let dossierId = dossierIds[finding.trackingNumber] else { return finding }
                switch finding.repair {
                case .resend:
                    // A dossier's return progress, or an order's TIEP_NHAN_DON and the progress after it: each holds
                    // messages of one of the two kinds only.
                    let kinds: [OutboxMessageRecord.Kind]? =
                        switch finding.kind {
                        case .handoverTimeDisagreement: [.reportHandover]
                        case .resultItemDisagreement: [.reportReturnProgress, .reportOrderProgress]
                        case .resultProgressDisagreement: [.reportOrderProgress]
                        default: nil
                        }
                    // A dossier missing at the one-stop gets everything again once, whatever else was found about it.
                    if !resent.contains(dossierId) {
                        // An order's item number agrees and its progress is behind: the latest report brings it up to date.
                        try Self.resendMessages(
                            dossierId: dossierId, kinds: kinds, latestOnly: finding.kind == .resultProgressDisagreement, now: now, in: db)
                        if kinds == nil { resent.insert(dossierId) }
                    }
                    finding.repaired = true
                case .takeStatus:
                    if let facts = oneStop[finding.trackingNumber] {
                        // Only a status finding moves the status, and only from the status it was found at.
                        let seen: String?? = finding.kind == .statusDisagreement ? .some(finding.gatewayValue) : .none
                        finding.repaired = try Self.takeStatus(facts, dossierId: dossierId, statusSeen: seen, now: now, in: db)
                    }
                case .awaitForwarding, .forAPerson:
                    break
                }
                return finding
            }
        }
    }

    private static func resendMessages(
        dossierId: Int64, kinds: [OutboxMessageRecord.Kind]?, latestOnly: Bool = false, now: Date, in db: Database
    ) throws {
        var messages = try OutboxMessageRecord.filter { $0.dossierId == dossierId }.order(\.id).fetchAll(db)
        if let kinds { messages = messages.filter { kinds.contains($0.kind) } }
        if latestOnly, let last = messages.last {
            // The latest report brings the one-stop up to date; while it still waits, what holds it back is an earlier
            // report that died, which goes again.
            messages = [.pending, .inFlight].contains(last.state) ? messages.filter { $0.state == .dead } : [last]
        }
        // A message delivered twice (a registration sent again after a 404) is sent again once.
        var copied: Set<[String]> = []
        for message in messages {
            switch message.state {
            case .dead:
                _ = try Self.requeueDeadMessage(id: message.id!, officeCode: nil, now: now, in: db)
            case .delivered:
                guard copied.insert([message.kind.rawValue, message.payload]).inserted else { continue }
                try OutboxMessageRecord.enqueue(dossierId: dossierId, kind: message.kind, payload: message.payload, at: now, in: db)
            case .pending, .inFlight:
                break
            }
        }
    }

    /// The status the one-stop's ledger holds, taken as a callback would bring it. Its time is just after the
    /// status the gateway knew, so that any real callback still on its way supersedes it.
    ///
    /// `statusSeen`: the gateway's status when the ledgers were compared (`.some(nil)`: none yet); the status is
    /// taken only if the dossier still has it. A callback applied since then is newer than the page read, and a
    /// status of the same stage (4, 5, 6) taken over it would hide it. `.none`: the status is left alone.
    private static func takeStatus(_ facts: LedgerFacts, dossierId: Int64, statusSeen: String??, now: Date, in db: Database) throws -> Bool {
        guard let original = try DossierRecord.fetchOne(db, key: dossierId), let status = facts.status else { return false }
        var dossier = original
        let current = dossier.oneStopStatus.flatMap(OneStopStatus.init(rawValue:))
        if case .some(let seen) = statusSeen, seen == current.map({ String($0.rawValue) }),
            status != current, current.map({ status.rank >= $0.rank }) ?? true
        {
            dossier.oneStopStatus = status.rawValue
            dossier.oneStopStatusAt = (dossier.oneStopStatusAt ?? dossier.acceptedAt).addingTimeInterval(0.001)
            dossier.oneStopNote = "Theo sổ của hệ thống một cửa khi đối soát"
        }
        if dossier.oneStopCode == nil, let code = facts.dossierCode,
            try Bool.fetchOne(db, sql: "SELECT 1 FROM dossier WHERE oneStopCode = ?", arguments: [code]) != true
        {
            dossier.oneStopCode = code
        }
        if dossier.appointmentDate == nil, let appointment = facts.appointmentDate.flatMap(LocalDate.init(compact:)) {
            dossier.appointmentDate = appointment.description
        }
        let wasOpen = try Bool.fetchOne(db, sql: "SELECT finishedAt IS NULL FROM dossier WHERE id = ?", arguments: [dossierId]) ?? false
        let changed = try dossier.updateChanges(db, from: original)
        // A status learnt from the one-stop's ledger is one a callback should have brought: the citizen is told of it.
        if let taken = dossier.oneStopStatus.flatMap(OneStopStatus.init(rawValue:)), taken != current {
            try notifyDecision(taken, of: dossier, at: now, in: db)
        }
        if wasOpen {
            // The one-stop's list gives no time for a status, and the time just after the gateway's last one (which
            // v6's trigger has just copied) may be weeks back: a late dossier would count as resolved on time. It is
            // counted as resolved when the gateway learnt it, which a nightly run puts within a day of the truth.
            try db.execute(
                sql: "UPDATE dossier SET finishedAt = ? WHERE id = ? AND finishedAt IS NOT NULL",
                arguments: [LedgerTime.string(now), dossierId])
        }
        return changed
    }
}
