import Foundation
import GRDB
import PostgresNIO

/// The reports on PostgreSQL: `AppDatabase+Reports`, the same figures, each report read in one snapshot, its rows
/// counted by the same `ReportSummary` and `PostalServiceReport`. What is said differently, and why: a local day is
/// `to_char(t::timestamp + interval '7 hours', 'YYYY-MM-DD')` for SQLite's `date(t, '+7 hours')` (Vietnam keeps +7 all
/// year); a count of rows that match is `count(*) FILTER (WHERE …)` for SQLite's sum of a comparison; and a sum of
/// đồng is cast back to BIGINT, as PostgreSQL sums BIGINTs into NUMERIC.
extension PostgresLedger {
    func reportSummary(_ filter: ReportFilter, asOf: LocalDate) async throws -> ReportSummary {
        try await inSnapshot { connection in
            var summary = ReportSummary(filter: filter, asOf: asOf)
            let start = LedgerTime.string(filter.from.startInstant)
            let end = LedgerTime.string(filter.to.adding(days: 1).startInstant)
            let asOfEnd = LedgerTime.string(asOf.adding(days: 1).startInstant)
            // $1 and $2 the period (or $1 the day after asOf), then the office and the agency when given.
            func scope(after count: Int) -> (sql: String, values: [(any DatabaseValueConvertible)?]) {
                var sql = ""
                var values: [(any DatabaseValueConvertible)?] = []
                for (column, value) in [("officeCode", filter.officeCode), ("agencyCode", filter.agencyCode)] {
                    guard let value else { continue }
                    values.append(value)
                    sql += " AND \(column) = $\(count + values.count)"
                }
                return (sql, values)
            }
            let period = scope(after: 2)
            let received = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT agencyCode, jDate, service FROM dossier
                        WHERE acceptedAt >= $1 AND acceptedAt < $2 AND supplementOf IS NULL\(period.sql)
                        """, binds: try Self.binds([start, end] + period.values)), logger: logger)
            for try await (agency, day, service) in received.decode((String, String, String).self) {
                summary.addReceived(agency: agency, service: ServiceType(rawValue: service), day: day)
            }
            let finished = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT agencyCode, to_char(finishedAt::timestamp + interval '7 hours', 'YYYY-MM-DD'), finishedStatus, appointmentDate, service
                        FROM dossier WHERE finishedAt >= $1 AND finishedAt < $2 AND supplementOf IS NULL\(period.sql)
                        """, binds: try Self.binds([start, end] + period.values)), logger: logger)
            for try await (agency, day, status, appointment, service) in finished.decode((String, String, Int, String?, String).self) {
                summary.addFinished(agency: agency, service: ServiceType(rawValue: service), day: day, status: status, appointment: appointment)
            }
            let open = scope(after: 1)
            let stillOpen = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT agencyCode, coalesce(appointmentDate, dueDate), service FROM dossier
                        WHERE (finishedAt IS NULL OR finishedAt >= $1) AND acceptedAt < $1 AND supplementOf IS NULL\(open.sql)
                        """, binds: try Self.binds([asOfEnd] + open.values)), logger: logger)
            for try await (agency, deadline, service) in stillOpen.decode((String, String, String).self) {
                summary.addOpen(agency: agency, service: ServiceType(rawValue: service), deadline: deadline)
            }
            return summary
        }
    }

    func overdueItems(officeCode: String?, agencyCode: String?, asOf: LocalDate, limit: Int) async throws -> (total: Int, items: [OverdueItem]) {
        try await inSnapshot { connection in
            let (whereClause, values) = AppDatabase.overdueConditions(officeCode: officeCode, agencyCode: agencyCode, asOf: asOf) { "$\($0)" }
            var total = 0
            for try await count in try await connection.query(
                PostgresQuery(
                    unsafeSQL: "SELECT count(*) FROM item i JOIN dossier d ON d.id = i.dossierId WHERE \(whereClause)", binds: try Self.binds(values)),
                logger: logger
            ).decode(Int.self) {
                total = count
            }
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT i.trackingNumber, i.kind, i.status, i.officeCode, i.dueDate, d.agencyCode, d.procedureName,
                               (SELECT e.occurredAt FROM itemEvent e WHERE e.itemId = i.id ORDER BY e.id DESC LIMIT 1) AS lastEventAt
                        FROM item i JOIN dossier d ON d.id = i.dossierId
                        WHERE \(whereClause)
                        ORDER BY i.dueDate, i.id LIMIT $\(values.count + 1)
                        """, binds: try Self.binds(values + [limit])), logger: logger)
            var items: [OverdueItem] = []
            for try await row in rows { items.append(AppDatabase.overdueItem(try Self.grdbRow(row))) }
            return (total, items)
        }
    }

    func postalServiceReport(_ period: ReportPeriod, officeCode: String?) async throws -> PostalServiceReport {
        try await inSnapshot { connection in
            var report = PostalServiceReport(period: period, officeCode: officeCode)
            let values: [(any DatabaseValueConvertible)?] =
                [LedgerTime.string(period.first.startInstant), LedgerTime.string(period.last.adding(days: 1).startInstant)]
                + (officeCode.map { [$0] } ?? [])
            let office = officeCode == nil ? "" : " AND d.officeCode = $3"
            func query(_ sql: String) async throws -> PostgresRowSequence {
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: try Self.binds(values)), logger: logger)
            }
            for try await (service, volume, revenue, fees) in try await query(
                """
                SELECT d.service, count(*), coalesce(sum(d.postage), 0)::bigint, coalesce(sum(d.administrativeFee), 0)::bigint FROM dossier d
                WHERE d.acceptedAt >= $1 AND d.acceptedAt < $2\(office) GROUP BY d.service
                """
            ).decode((String, Int, Int64, Int64).self) {
                guard let index = report.services.firstIndex(where: { $0.service.rawValue == service }) else { continue }
                report.services[index].volume = volume
                report.services[index].revenue = revenue
                report.services[index].feesCollected = fees
            }
            var made = 0
            for try await count in try await query(
                """
                SELECT count(*) FROM dossier d JOIN item i ON i.dossierId = d.id AND i.kind = 'result'
                WHERE d.finishedAt >= $1 AND d.finishedAt < $2\(office)
                """
            ).decode(Int.self) {
                made = count
            }
            for try await (delivered, returned, cash) in try await query(
                """
                SELECT count(*) FILTER (WHERE i.status = 'delivered'), count(*) FILTER (WHERE i.status = 'returnedToAgency'),
                       coalesce(sum(CASE WHEN i.status = 'delivered' THEN i.cashOnDelivery ELSE 0 END), 0)::bigint
                FROM item i JOIN itemEvent e ON e.itemId = i.id AND e.code = i.status JOIN dossier d ON d.id = i.dossierId
                WHERE i.kind = 'result' AND i.status IN ('delivered', 'returnedToAgency') AND e.occurredAt >= $1 AND e.occurredAt < $2\(office)
                """
            ).decode((Int, Int, Int64).self) {
                report.results = .init(items: made, delivered: delivered, returnedToAgency: returned, cashOnDeliveryCollected: cash)
            }
            let cases = "FROM postalCase c JOIN item i ON i.id = c.itemId JOIN dossier d ON d.id = i.dossierId"
            for try await (received, resolved, inTime, upheld, pending) in try await query(
                """
                SELECT count(*) FILTER (WHERE c.openedAt >= $1 AND c.openedAt < $2),
                       count(*) FILTER (WHERE c.resolvedAt >= $1 AND c.resolvedAt < $2),
                       count(*) FILTER (WHERE c.resolvedAt >= $1 AND c.resolvedAt < $2
                                          AND to_char(c.resolvedAt::timestamp + interval '7 hours', 'YYYY-MM-DD') <= c.dueDate),
                       count(*) FILTER (WHERE c.resolvedAt >= $1 AND c.resolvedAt < $2 AND c.upheld = 1),
                       count(*) FILTER (WHERE c.openedAt < $2 AND (c.resolvedAt IS NULL OR c.resolvedAt >= $2))
                \(cases) WHERE c.origin = 'customer'\(office)
                """
            ).decode((Int, Int, Int, Int, Int).self) {
                report.complaints = .init(
                    received: received, resolved: resolved, resolvedWithinDeadline: inTime, resolvedLate: resolved - inTime, upheld: upheld,
                    pendingAtEnd: pending)
            }
            for try await (lost, damaged, compensated, amount) in try await query(
                """
                SELECT count(DISTINCT CASE WHEN c.subject = 'lost' THEN c.itemId END), count(DISTINCT CASE WHEN c.subject = 'damaged' THEN c.itemId END),
                       count(*) FILTER (WHERE c.compensation > 0), coalesce(sum(c.compensation), 0)::bigint
                \(cases) WHERE c.upheld = 1 AND c.resolvedAt >= $1 AND c.resolvedAt < $2\(office)
                """
            ).decode((Int, Int, Int, Int64).self) {
                report.lostItems = lost
                report.damagedItems = damaged
                report.compensationCases = compensated
                report.compensationAmount = amount
            }
            return report
        }
    }
}
