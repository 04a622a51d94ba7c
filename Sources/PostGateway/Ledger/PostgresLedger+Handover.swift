import Foundation
import GRDB
import PostgresNIO

/// Biên bản giao nhận on PostgreSQL: `AppDatabase.openHandover`, `signHandover` and `cancelHandover`, the same rows
/// and answers, checked by the same pieces.
///
/// What several instances change: clerks at two instances may put one item on two manifests at once, or open two
/// manifests of one office on one day, and a desk officer's signature may reach one instance while a clerk cancels at
/// another. The items are locked (in id order, so two manifests never wait on each other) before they are checked, so
/// the second manifest finds the item on the first and is refused as on SQLite, rather than failing on the unique
/// open-manifest index; a day's numbering at an office is taken under a lock of its own; a manifest's row is locked
/// for its signing or cancelling, so the later of the two finds what the earlier did.
extension PostgresLedger {
    func openHandover(
        direction: HandoverDirection = .dossiers, agencyCode: String, officeCode: String, trackingNumbers: [TrackingNumber], createdBy: String,
        at now: Date, checkOnly: Bool = false, tellsOtherOffices: Bool = true, audit: AuditSlot? = nil
    ) async throws -> Result<HandoverDetail, HandoverRefusals> {
        return try await withTransaction(audit: audit) { connection -> Result<HandoverDetail, HandoverRefusals> in
            let numbers = trackingNumbers.map(\.description)
            try await connection.query("SELECT id FROM item WHERE trackingNumber = ANY(\(numbers)) ORDER BY id FOR UPDATE", logger: logger)
            var refusals: [(Int, HandoverRefusal)] = []
            var lines: [HandoverDetail.Line] = []
            for (index, number) in numbers.enumerated() {
                let item = try await Self.fetchOne(
                    ItemRecord.self, "SELECT * FROM item WHERE trackingNumber = \(number)", on: connection, logger: logger)
                var dossier: DossierRecord?
                var openManifest: String?
                if let item {
                    dossier = try await Self.fetchOne(
                        DossierRecord.self, "SELECT * FROM dossier WHERE id = \(item.dossierId)", on: connection, logger: logger)
                    openManifest = try await Self.openManifest(of: item.id!, on: connection, logger: logger)
                }
                switch AppDatabase.handoverLine(
                    item: item, dossier: dossier, openManifest: openManifest, direction: direction, agencyCode: agencyCode, officeCode: officeCode,
                    tellsOtherOffices: tellsOtherOffices)
                {
                case .success(let line): lines.append(line)
                case .failure(let refusal): refusals.append((index, refusal))
                }
            }
            guard refusals.isEmpty, !checkOnly else { return .failure(HandoverRefusals(byIndex: refusals)) }

            let prefix = AppDatabase.handoverNumberPrefix(direction: direction, officeCode: officeCode, at: now)
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("handover:" + prefix), 0))", logger: logger)
            var sameDay = 0
            for try await count in try await connection.query(
                "SELECT count(*) FROM handover WHERE number LIKE \(prefix + "%")", logger: logger
            ).decode(Int.self) {
                sameDay = count
            }
            var handover = HandoverRecord(
                number: prefix + LocalTime.pad(sameDay + 1, 4), agencyCode: agencyCode, officeCode: officeCode, createdAt: now, createdBy: createdBy,
                direction: direction)
            handover.id = try await Self.insert(handover, on: connection, logger: logger)
            try await audit?.append(outcome: 201, at: now, on: connection, logger: logger)
            for line in lines {
                try await connection.query(
                    "INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (\(handover.id!), \(line.item.id!), 1)", logger: logger)
            }
            return .success(HandoverDetail(handover: handover, lines: lines))
        }
    }

    func signHandover(
        id: Int64, direction: HandoverDirection = .dossiers, receivedBy: String, signedBy: String, officeScope: String?, at now: Date,
        reference: ReferenceData, audit: AuditSlot? = nil
    ) async throws -> HandoverSigning {
        return try await withTransaction(audit: audit) { connection -> HandoverSigning in
            guard var handover = try await Self.lockedHandover(id: id, direction: direction, officeScope: officeScope, on: connection, logger: logger)
            else { return .notFound }
            let detail = try await Self.handoverDetail(handover, locking: true, on: connection, logger: logger)
            if handover.isSigned { return handover.receivedBy == receivedBy ? .alreadySigned(detail) : .signedByOther(detail) }
            if handover.isCancelled { return .cancelled(detail) }
            let moved = AppDatabase.itemsMoved(detail)
            guard moved.isEmpty else { return .itemsMoved(moved) }

            handover.signedAt = now
            handover.receivedBy = receivedBy
            handover.signedBy = signedBy
            try await Self.update(handover, columns: ["signedAt", "receivedBy", "signedBy"], on: connection, logger: logger)
            try await audit?.append(outcome: 200, at: now, on: connection, logger: logger)
            try await connection.query("UPDATE handoverItem SET isOpen = NULL WHERE handoverId = \(id)", logger: logger)
            var lines: [HandoverDetail.Line] = []
            for line in detail.lines {
                var item = line.item
                if handover.direction == .results {
                    var earlier: [ItemEventCode] = []
                    for try await code in try await connection.query(
                        "SELECT code FROM itemEvent WHERE itemId = \(item.id!) ORDER BY id", logger: logger
                    ).decode(String.self) {
                        if let code = ItemEventCode(rawValue: code) { earlier.append(code) }
                    }
                    _ = try await Self.apply(
                        .pickedUp, to: &item, earlier: earlier, occurredAt: now, officeCode: handover.officeCode, actor: signedBy,
                        note: handover.number, identityChecked: false, recordedAt: now, reference: reference, on: connection, logger: logger)
                } else {
                    let event = AppDatabase.handOver(&item, on: handover)
                    try await Self.update(item, columns: ["status", "updatedAt"], on: connection, logger: logger)
                    try await Self.insert(event, on: connection, logger: logger)
                    let message = OutboxMessageRecord.pending(
                        dossierId: item.dossierId, kind: .reportHandover, payload: AppDatabase.handoverPayload(handover), at: now)
                    try await Self.insert(message, on: connection, logger: logger)
                    try await Self.notify(
                        .handedOver, dossierId: item.dossierId, values: ["time": NoticeText.time(now)], at: now, on: connection, logger: logger)
                }
                lines.append(.init(item: item, dossier: line.dossier))
            }
            return .signed(HandoverDetail(handover: handover, lines: lines))
        }
    }

    func cancelHandover(
        id: Int64, direction: HandoverDirection = .dossiers, cancelledBy: String, officeScope: String?, at now: Date, audit: AuditSlot? = nil
    ) async throws -> HandoverCancelling {
        return try await withTransaction(audit: audit) { connection -> HandoverCancelling in
            guard var handover = try await Self.lockedHandover(id: id, direction: direction, officeScope: officeScope, on: connection, logger: logger)
            else { return .notFound }
            if handover.isSigned { return .signed(try await Self.handoverDetail(handover, locking: false, on: connection, logger: logger)) }
            if handover.isCancelled {
                return .alreadyCancelled(try await Self.handoverDetail(handover, locking: false, on: connection, logger: logger))
            }
            handover.cancelledAt = now
            handover.cancelledBy = cancelledBy
            try await Self.update(handover, columns: ["cancelledAt", "cancelledBy"], on: connection, logger: logger)
            try await audit?.append(outcome: 200, at: now, on: connection, logger: logger)
            try await connection.query("UPDATE handoverItem SET isOpen = NULL WHERE handoverId = \(id)", logger: logger)
            return .cancelled(try await Self.handoverDetail(handover, locking: false, on: connection, logger: logger))
        }
    }

    /// The manifest `id`, locked until the transaction ends, unless it is of another office than `officeScope` (nil:
    /// any office) or of the other direction.
    private static func lockedHandover(
        id: Int64, direction: HandoverDirection, officeScope: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> HandoverRecord? {
        try await fetchOne(
            HandoverRecord.self,
            """
            SELECT * FROM handover WHERE id = \(id) AND direction = \(direction.rawValue) AND (\(officeScope)::text IS NULL OR officeCode = \(officeScope))
            FOR UPDATE
            """, on: connection, logger: logger)
    }

    private static func openManifest(of itemId: Int64, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        let rows = try await connection.query(
            "SELECT h.number FROM handoverItem hi JOIN handover h ON h.id = hi.handoverId WHERE hi.itemId = \(itemId) AND hi.isOpen = 1",
            logger: logger)
        for try await number in rows.decode(String.self) { return number }
        return nil
    }

    /// The manifest's items in id order beside their dossiers; `locking`: the items are locked until the transaction
    /// ends, so that a scan at another instance waits for the signing, and the signing sees where they are.
    private static func handoverDetail(
        _ handover: HandoverRecord, locking: Bool, on connection: PostgresConnection, logger: Logger
    ) async throws -> HandoverDetail {
        let id = handover.id!
        let query: PostgresQuery =
            locking
            ? "SELECT i.* FROM handoverItem hi JOIN item i ON i.id = hi.itemId WHERE hi.handoverId = \(id) ORDER BY i.id FOR UPDATE OF i"
            : "SELECT i.* FROM handoverItem hi JOIN item i ON i.id = hi.itemId WHERE hi.handoverId = \(id) ORDER BY i.id"
        let items = try await fetchAll(ItemRecord.self, query, on: connection, logger: logger)
        var lines: [HandoverDetail.Line] = []
        for item in items {
            if let dossier = try await fetchOne(
                DossierRecord.self, "SELECT * FROM dossier WHERE id = \(item.dossierId)", on: connection, logger: logger)
            {
                lines.append(.init(item: item, dossier: dossier))
            }
        }
        return HandoverDetail(handover: handover, lines: lines)
    }
}
