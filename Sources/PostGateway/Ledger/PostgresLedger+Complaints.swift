import Foundation
import GRDB
import PostgresNIO

/// Postal cases (complaints, losses, damage) on PostgreSQL: `AppDatabase+Complaints`, the same rows and answers.
///
/// What several instances change: SQLite's one writer meant nothing could open the same case between the look for an
/// open one and the insert. Here two clerks at two instances may take the same complaint at once, so the item's row is
/// locked first, and the second finds the first's case and is told it is open (one case, its compensation counted
/// once); a case's row is locked to resolve it, so two supervisors resolve it once.
extension PostgresLedger {
    func openCase(
        _ request: OpenCaseRequest, actor: String, calendar: WorkingCalendar, mayAct: @escaping @Sendable (String) -> Bool,
        audit: AuditSlot? = nil, now: Date = Date()
    ) async throws -> OpenCaseOutcome {
        let number = request.trackingNumber.description
        return try await withTransaction(audit: audit) { connection -> OpenCaseOutcome in
            var found: (itemId: Int64, dueDate: String?, officeCode: String, transitScope: String)?
            for try await row in try await connection.query(
                """
                SELECT i.id, i.dueDate, d.officeCode, d.transitScope FROM item i JOIN dossier d ON d.id = i.dossierId
                WHERE i.trackingNumber = \(number) FOR UPDATE OF i
                """, logger: logger
            ).decode((Int64, String?, String, String).self) {
                found = row
            }
            guard let item = found, mayAct(item.officeCode) else { return .unknownItem }
            if let tooLate = AppDatabase.tooLate(request, dueDate: item.dueDate) { return tooLate }
            if let open = try await Self.fetchOne(
                PostalCaseRecord.self,
                """
                SELECT * FROM postalCase WHERE itemId = \(item.itemId) AND resolvedAt IS NULL AND origin = \(request.origin.rawValue)
                  AND subject = \(request.subject.rawValue) LIMIT 1
                """, on: connection, logger: logger)
            {
                return .alreadyOpen(PostalCaseDetail(record: open, trackingNumber: number, officeCode: item.officeCode))
            }
            var record = AppDatabase.newCase(request, itemId: item.itemId, transitScope: item.transitScope, actor: actor, calendar: calendar)
            record.id = try await Self.insert(record, on: connection, logger: logger)
            try await audit?.append(outcome: 201, at: now, on: connection, logger: logger)
            return .opened(PostalCaseDetail(record: record, trackingNumber: number, officeCode: item.officeCode))
        }
    }

    func resolveCase(
        id: Int64, _ request: ResolveCaseRequest, actor: String, now: Date, mayAct: @escaping @Sendable (String) -> Bool, audit: AuditSlot? = nil
    ) async throws -> ResolveCaseOutcome {
        return try await withTransaction(audit: audit) { connection -> ResolveCaseOutcome in
            guard let detail = try await Self.caseDetail(id: id, locking: true, on: connection, logger: logger), mayAct(detail.officeCode) else {
                return .notFound
            }
            guard !detail.record.isResolved else { return .alreadyResolved(detail) }
            let record = AppDatabase.resolved(detail.record, by: request, actor: actor, at: now)
            try await Self.update(record, columns: AppDatabase.resolutionColumns, on: connection, logger: logger)
            try await audit?.append(outcome: 200, at: now, on: connection, logger: logger)
            return .resolved(PostalCaseDetail(record: record, trackingNumber: detail.trackingNumber, officeCode: detail.officeCode))
        }
    }

    func postalCase(id: Int64) async throws -> PostalCaseDetail? {
        try await client.withConnection { connection in try await Self.caseDetail(id: id, locking: false, on: connection, logger: logger) }
    }

    func postalCases(open: Bool?, officeCode: String?, before: Int64?, limit: Int) async throws -> [PostalCaseDetail] {
        let (whereClause, values) = AppDatabase.caseConditions(open: open, officeCode: officeCode, before: before) { "$\($0)" }
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT c.*, i.trackingNumber AS trackingNumber, d.officeCode AS dossierOfficeCode
                FROM postalCase c JOIN item i ON i.id = c.itemId JOIN dossier d ON d.id = i.dossierId
                \(whereClause) ORDER BY c.id DESC LIMIT $\(values.count + 1)
                """, binds: try Self.binds(values + [limit]))
        var cases: [PostalCaseDetail] = []
        for try await row in try await client.query(query, logger: logger) { cases.append(try AppDatabase.caseDetail(Self.grdbRow(row))) }
        return cases
    }

    /// The case `id` beside its item's number and its dossier's office; `locking`: its row locked until the transaction ends.
    private static func caseDetail(id: Int64, locking: Bool, on connection: PostgresConnection, logger: Logger) async throws -> PostalCaseDetail? {
        let query: PostgresQuery =
            locking
            ? """
            SELECT c.*, i.trackingNumber AS trackingNumber, d.officeCode AS dossierOfficeCode
            FROM postalCase c JOIN item i ON i.id = c.itemId JOIN dossier d ON d.id = i.dossierId WHERE c.id = \(id) FOR UPDATE OF c
            """
            : """
            SELECT c.*, i.trackingNumber AS trackingNumber, d.officeCode AS dossierOfficeCode
            FROM postalCase c JOIN item i ON i.id = c.itemId JOIN dossier d ON d.id = i.dossierId WHERE c.id = \(id)
            """
        for try await row in try await connection.query(query, logger: logger) { return try AppDatabase.caseDetail(grdbRow(row)) }
        return nil
    }
}
