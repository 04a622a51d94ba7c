import Foundation
import GRDB

extension AppDatabase {
    /// The summary of `filter`'s period, open dossiers judged on `asOf`: three index-driven passes in one read
    /// transaction (taken in, finished, still open), so the figures are of one moment of the ledger.
    func reportSummary(_ filter: ReportFilter, asOf: LocalDate) async throws -> ReportSummary {
        try await read { db in
            var summary = ReportSummary(filter: filter, asOf: asOf)
            let (scope, scopeArguments) = Self.reportScope(filter, column: "")
            let start = LedgerTime.string(filter.from.startInstant)
            let end = LedgerTime.string(filter.to.adding(days: 1).startInstant)
            let received = try Row.fetchCursor(
                db,
                sql: """
                    SELECT agencyCode, jDate, service FROM dossier
                    WHERE acceptedAt >= ? AND acceptedAt < ? AND supplementOf IS NULL\(scope)
                    """, arguments: [start, end] + scopeArguments)
            while let row = try received.next() { summary.addReceived(agency: row[0], service: ServiceType(rawValue: row[2]), day: row[1]) }

            // Finished times are UTC; Vietnam keeps +7 all year, so the local day is a fixed shift.
            let finished = try Row.fetchCursor(
                db,
                sql: """
                    SELECT agencyCode, date(finishedAt, '+7 hours'), finishedStatus, appointmentDate, service FROM dossier
                    WHERE finishedAt >= ? AND finishedAt < ? AND supplementOf IS NULL\(scope)
                    """, arguments: [start, end] + scopeArguments)
            while let row = try finished.next() {
                summary.addFinished(agency: row[0], service: ServiceType(rawValue: row[4]), day: row[1], status: row[2], appointment: row[3])
            }

            let asOfEnd = LedgerTime.string(asOf.adding(days: 1).startInstant)
            let open = try Row.fetchCursor(
                db,
                sql: """
                    SELECT agencyCode, coalesce(appointmentDate, dueDate), service FROM dossier
                    WHERE finishedAt IS NULL AND acceptedAt < ? AND supplementOf IS NULL\(scope)
                    UNION ALL
                    SELECT agencyCode, coalesce(appointmentDate, dueDate), service FROM dossier
                    WHERE finishedAt >= ? AND acceptedAt < ? AND supplementOf IS NULL\(scope)
                    """, arguments: [asOfEnd] + scopeArguments + [asOfEnd, asOfEnd] + scopeArguments)
            while let row = try open.next() { summary.addOpen(agency: row[0], service: ServiceType(rawValue: row[2]), deadline: row[1]) }
            return summary
        }
    }

    /// Items past their J + n day on `asOf` that have not reached where they were going: dossier items not yet
    /// handed over at the desk, result items not yet delivered, held or returned. Oldest deadline first.
    func overdueItems(officeCode: String?, agencyCode: String?, asOf: LocalDate, limit: Int) async throws -> (total: Int, items: [OverdueItem]) {
        try await read { db in
            let (whereClause, values) = Self.overdueConditions(officeCode: officeCode, agencyCode: agencyCode, asOf: asOf) { _ in "?" }
            let arguments = StatementArguments(values)
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM item i JOIN dossier d ON d.id = i.dossierId WHERE \(whereClause)",
                    arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT i.trackingNumber, i.kind, i.status, i.officeCode, i.dueDate, d.agencyCode, d.procedureName,
                           (SELECT e.occurredAt FROM itemEvent e WHERE e.itemId = i.id ORDER BY e.id DESC LIMIT 1) AS lastEventAt
                    FROM item i JOIN dossier d ON d.id = i.dossierId
                    WHERE \(whereClause)
                    ORDER BY i.dueDate, i.id LIMIT ?
                    """, arguments: arguments + [limit])
            return (
                total,
                rows.map(Self.overdueItem)
            )
        }
    }

    /// The overdue items' conditions on `i` (the item) and `d` (its dossier), and their values in order,
    /// `placeholder(n)` standing for the n-th: the same on either backend.
    static func overdueConditions(officeCode: String?, agencyCode: String?, asOf: LocalDate, placeholder: (Int) -> String) -> (
        sql: String, values: [(any DatabaseValueConvertible)?]
    ) {
        var conditions = [
            """
            ((i.kind = 'dossier' AND i.status IN ('accepted', 'dispatched', 'arrived'))
             OR (i.kind = 'result' AND i.status IN ('created', 'pickedUp', 'dispatched', 'arrived', 'outForDelivery', 'deliveryFailed')
                 AND (i.status != 'created' OR d.oneStopStatus = 9)))
            """, "i.dueDate < " + placeholder(1),
        ]
        var values: [(any DatabaseValueConvertible)?] = [asOf.description]
        if let officeCode {
            // A supervisor follows what their office took in and what lies at their office now.
            values += [officeCode, officeCode]
            conditions.append("(d.officeCode = \(placeholder(values.count - 1)) OR i.officeCode = \(placeholder(values.count)))")
        }
        if let agencyCode {
            values.append(agencyCode)
            conditions.append("d.agencyCode = " + placeholder(values.count))
        }
        return (conditions.joined(separator: " AND "), values)
    }

    static func overdueItem(_ row: Row) -> OverdueItem {
        OverdueItem(
            trackingNumber: row["trackingNumber"], kind: ItemKind(rawValue: row["kind"]) ?? .dossier,
            status: ItemStatus(rawValue: row["status"]) ?? .accepted, officeCode: row["officeCode"], dueDate: row["dueDate"],
            agencyCode: row["agencyCode"], procedureName: row["procedureName"], lastEventAt: row["lastEventAt"])
    }

    /// ` AND officeCode = ? AND agencyCode = ?` for the filters given, with their arguments.
    static func reportScope(_ filter: ReportFilter, column prefix: String) -> (String, StatementArguments) {
        var sql = ""
        var arguments: StatementArguments = []
        if let office = filter.officeCode {
            sql += " AND \(prefix)officeCode = ?"
            arguments += [office]
        }
        if let agency = filter.agencyCode {
            sql += " AND \(prefix)agencyCode = ?"
            arguments += [agency]
        }
        return (sql, arguments)
    }
}

extension AppDatabase {
    /// Circular 17 Art 13's figures for `period`, from one read transaction.
    func postalServiceReport(_ period: ReportPeriod, officeCode: String?) async throws -> PostalServiceReport {
        try await read { db in
            var report = PostalServiceReport(period: period, officeCode: officeCode)
            let start = LedgerTime.string(period.first.startInstant)
            let end = LedgerTime.string(period.last.adding(days: 1).startInstant)
            let office = officeCode.map { _ in " AND d.officeCode = ?" } ?? ""
            let officeArgument: StatementArguments = officeCode.map { [$0] } ?? []

            let services = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.service, count(*), coalesce(sum(d.postage), 0), coalesce(sum(d.administrativeFee), 0) FROM dossier d
                    WHERE d.acceptedAt >= ? AND d.acceptedAt < ?\(office) GROUP BY d.service
                    """, arguments: [start, end] + officeArgument)
            for row in services {
                guard let index = report.services.firstIndex(where: { $0.service.rawValue == row[0] as String }) else { continue }
                report.services[index].volume = row[1]
                report.services[index].revenue = row[2]
                report.services[index].feesCollected = row[3]
            }

            // Result items made in the period; deliveries, returns and the cash collected when they happened, so that a
            // report once printed does not change when a result of its period is delivered in the next. Both ends are
            // terminal, so the item's status is the event's code and the index on (kind, status) finds them.
            let made: Int =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM dossier d JOIN item i ON i.dossierId = d.id AND i.kind = 'result'
                        WHERE d.finishedAt >= ? AND d.finishedAt < ?\(office)
                        """, arguments: [start, end] + officeArgument) ?? 0
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(i.status = 'delivered'), 0), coalesce(sum(i.status = 'returnedToAgency'), 0),
                           coalesce(sum(CASE WHEN i.status = 'delivered' THEN i.cashOnDelivery ELSE 0 END), 0)
                    FROM item i JOIN itemEvent e ON e.itemId = i.id AND e.code = i.status JOIN dossier d ON d.id = i.dossierId
                    WHERE i.kind = 'result' AND i.status IN ('delivered', 'returnedToAgency') AND e.occurredAt >= ? AND e.occurredAt < ?\(office)
                    """, arguments: [start, end] + officeArgument)
            {
                report.results = .init(items: made, delivered: row[0], returnedToAgency: row[1], cashOnDeliveryCollected: row[2])
            }

            // Cases, by the office that took the dossier in. Local days are UTC + 7 all year.
            let cases = "FROM postalCase c JOIN item i ON i.id = c.itemId JOIN dossier d ON d.id = i.dossierId"
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(c.openedAt >= ?1 AND c.openedAt < ?2), 0),
                           coalesce(sum(c.resolvedAt >= ?1 AND c.resolvedAt < ?2), 0),
                           coalesce(sum(c.resolvedAt >= ?1 AND c.resolvedAt < ?2 AND date(c.resolvedAt, '+7 hours') <= c.dueDate), 0),
                           coalesce(sum(c.resolvedAt >= ?1 AND c.resolvedAt < ?2 AND c.upheld = 1), 0),
                           coalesce(sum(c.openedAt < ?2 AND (c.resolvedAt IS NULL OR c.resolvedAt >= ?2)), 0)
                    \(cases) WHERE c.origin = 'customer'\(office.replacingOccurrences(of: "?", with: "?3"))
                    """, arguments: [start, end] + officeArgument)
            {
                report.complaints = .init(
                    received: row[0], resolved: row[1], resolvedWithinDeadline: row[2], resolvedLate: row[1] - row[2],
                    upheld: row[3], pendingAtEnd: row[4])
            }
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(DISTINCT CASE WHEN c.subject = 'lost' THEN c.itemId END), count(DISTINCT CASE WHEN c.subject = 'damaged' THEN c.itemId END),
                           coalesce(sum(c.compensation > 0), 0), coalesce(sum(c.compensation), 0)
                    \(cases) WHERE c.upheld = 1 AND c.resolvedAt >= ? AND c.resolvedAt < ?\(office)
                    """, arguments: [start, end] + officeArgument)
            {
                report.lostItems = row[0]
                report.damagedItems = row[1]
                report.compensationCases = row[2]
                report.compensationAmount = row[3]
            }
            return report
        }
    }
}
