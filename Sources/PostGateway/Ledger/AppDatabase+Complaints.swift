import Foundation
import GRDB

/// A postal case with what a reader needs beside it: its item's number and the office that took the dossier in.
struct PostalCaseDetail: Sendable {
    let record: PostalCaseRecord
    let trackingNumber: String
    let officeCode: String
}

enum OpenCaseOutcome: Sendable {
    case opened(PostalCaseDetail)
    /// The item already has an open case of that origin and subject: a retry after a lost answer, or a second clerk
    /// taking the same complaint. One case, so that its compensation is counted once.
    case alreadyOpen(PostalCaseDetail)
    case unknownItem
    /// A customer complaint more than 6 months after the item's J + n day (Circular 17 Art 8).
    case tooLate(dueDate: String, lastDay: LocalDate)
}

enum ResolveCaseOutcome: Sendable {
    case resolved(PostalCaseDetail)
    case notFound
    case alreadyResolved(PostalCaseDetail)
}

extension AppDatabase {
    /// Opens a case on an item the actor may see (`mayAct` by the office that took its dossier in; others are
    /// unknown, so their existence does not leak), due as `PostalCaseRecord.dueDate` says. `audit` is written with
    /// the new case (201) at `now`, the server's time: the case's own time may be one the clerk gave.
    func openCase(
        _ request: OpenCaseRequest, actor: String, calendar: WorkingCalendar, mayAct: @escaping @Sendable (String) -> Bool,
        audit: AuditSlot? = nil, now: Date = Date()
    ) async throws -> OpenCaseOutcome {
        try await write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT i.id, i.dueDate, d.officeCode, d.transitScope FROM item i JOIN dossier d ON d.id = i.dossierId WHERE i.trackingNumber = ?
                        """, arguments: [request.trackingNumber.description]), mayAct(row["officeCode"])
            else { return .unknownItem }
            if let tooLate = Self.tooLate(request, dueDate: row["dueDate"]) { return tooLate }
            // The writer runs one transaction at a time, so nothing can open the same case between this look and the insert.
            let itemId: Int64 = row["id"]
            let openCase = PostalCaseRecord.filter { $0.itemId == itemId && $0.resolvedAt == nil }
                .filter { $0.origin == request.origin.rawValue && $0.subject == request.subject.rawValue }
            if let open = try openCase.fetchOne(db) {
                return .alreadyOpen(PostalCaseDetail(record: open, trackingNumber: request.trackingNumber.description, officeCode: row["officeCode"]))
            }
            var record = Self.newCase(request, itemId: itemId, transitScope: row["transitScope"], actor: actor, calendar: calendar)
            try record.insert(db)
            try audit?.append(outcome: 201, at: now, in: db)
            return .opened(PostalCaseDetail(record: record, trackingNumber: request.trackingNumber.description, officeCode: row["officeCode"]))
        }
    }

    /// `audit` is written with the resolution (200).
    func resolveCase(
        id: Int64, _ request: ResolveCaseRequest, actor: String, now: Date,
        mayAct: @escaping @Sendable (String) -> Bool, audit: AuditSlot? = nil
    ) async throws -> ResolveCaseOutcome {
        try await write { db in
            guard let detail = try Self.caseDetail(id: id, in: db), mayAct(detail.officeCode) else { return .notFound }
            guard !detail.record.isResolved else { return .alreadyResolved(detail) }
            let record = Self.resolved(detail.record, by: request, actor: actor, at: now)
            try record.update(db)
            try audit?.append(outcome: 200, at: now, in: db)
            return .resolved(PostalCaseDetail(record: record, trackingNumber: detail.trackingNumber, officeCode: detail.officeCode))
        }
    }

    func postalCase(id: Int64) async throws -> PostalCaseDetail? {
        try await read { db in try Self.caseDetail(id: id, in: db) }
    }

    /// Cases newest first, open or resolved or both, of one office or all; keyset paging on the id.
    func postalCases(open: Bool?, officeCode: String?, before: Int64?, limit: Int) async throws -> [PostalCaseDetail] {
        try await read { db in
            let (whereClause, values) = Self.caseConditions(open: open, officeCode: officeCode, before: before) { _ in "?" }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, i.trackingNumber AS trackingNumber, d.officeCode AS dossierOfficeCode
                    FROM postalCase c JOIN item i ON i.id = c.itemId JOIN dossier d ON d.id = i.dossierId
                    \(whereClause) ORDER BY c.id DESC LIMIT ?
                    """, arguments: StatementArguments(values + [limit])
            ).map(Self.caseDetail)
        }
    }

    private static func caseDetail(id: Int64, in db: Database) throws -> PostalCaseDetail? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT c.*, i.trackingNumber AS trackingNumber, d.officeCode AS dossierOfficeCode
                FROM postalCase c JOIN item i ON i.id = c.itemId JOIN dossier d ON d.id = i.dossierId WHERE c.id = ?
                """, arguments: [id]
        ).map(caseDetail)
    }

    /// A customer's complaint more than 6 months after the item's J + n day (`dueDate`) is too late (Circular 17 Art 8).
    /// The same on either backend, as the pieces below.
    static func tooLate(_ request: OpenCaseRequest, dueDate: String?) -> OpenCaseOutcome? {
        guard request.origin == .customer, let due = dueDate.flatMap({ LocalDate(iso: $0) }) else { return nil }
        let lastDay = due.adding(months: 6)
        return lastDay < LocalDate(request.openedAt) ? .tooLate(dueDate: due.description, lastDay: lastDay) : nil
    }

    /// The case the request opens on the item, due as `PostalCaseRecord.dueDate` says for its dossier's scope.
    static func newCase(
        _ request: OpenCaseRequest, itemId: Int64, transitScope: String, actor: String, calendar: WorkingCalendar
    ) -> PostalCaseRecord {
        let scope = TransitScope(rawValue: transitScope) ?? .interProvince
        return PostalCaseRecord(
            itemId: itemId, origin: request.origin, subject: request.subject, openedAt: request.openedAt, openedBy: actor,
            dueDate: PostalCaseRecord.dueDate(openedOn: LocalDate(request.openedAt), scope: scope, calendar: calendar).description,
            note: request.note)
    }

    /// The columns a resolution writes.
    static let resolutionColumns = ["resolvedAt", "resolvedBy", "upheld", "compensation", "resolution"]

    static func resolved(_ original: PostalCaseRecord, by request: ResolveCaseRequest, actor: String, at now: Date) -> PostalCaseRecord {
        var record = original
        record.resolvedAt = now
        record.resolvedBy = actor
        record.upheld = request.upheld
        record.compensation = request.compensation
        record.resolution = request.resolution
        return record
    }

    /// The case list's conditions (a WHERE clause, or nothing) and their values, `placeholder(n)` standing for the n-th.
    static func caseConditions(open: Bool?, officeCode: String?, before: Int64?, placeholder: (Int) -> String) -> (
        sql: String, values: [(any DatabaseValueConvertible)?]
    ) {
        var conditions: [String] = []
        var values: [(any DatabaseValueConvertible)?] = []
        if let open { conditions.append(open ? "c.resolvedAt IS NULL" : "c.resolvedAt IS NOT NULL") }
        if let officeCode {
            values.append(officeCode)
            conditions.append("d.officeCode = " + placeholder(values.count))
        }
        if let before {
            values.append(before)
            conditions.append("c.id < " + placeholder(values.count))
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), values)
    }

    static func caseDetail(_ row: Row) throws -> PostalCaseDetail {
        PostalCaseDetail(record: try PostalCaseRecord(row: row), trackingNumber: row["trackingNumber"], officeCode: row["dossierOfficeCode"])
    }
}
