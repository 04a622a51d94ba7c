import Foundation
import GRDB

/// A manifest with the items on it, as the handover page and the printed manifest show them.
struct HandoverDetail: Sendable {
    struct Line: Sendable {
        let item: ItemRecord
        let dossier: DossierRecord
    }

    let handover: HandoverRecord
    let lines: [Line]
}

/// Why an item cannot go on a manifest (or be handed over when it is signed).
enum HandoverRefusal: Error, Sendable, Equatable {
    case unknownItem
    case notADossierItem
    case notArrived(ItemStatus)
    /// On a pickup biên bản: a dossier item, not a result.
    case notAResultItem
    /// On a pickup biên bản: the result is not waiting at the desk (not ready, or collected already).
    case notWaitingAtDesk(ItemStatus)
    case otherAgency(String)
    case otherOffice(String)
    case onOpenManifest(String)
}

enum HandoverSigning: Sendable {
    case signed(HandoverDetail)
    /// Signed before by the same person: the same answer again.
    case alreadySigned(HandoverDetail)
    /// Signed before by someone else.
    case signedByOther(HandoverDetail)
    /// Items that moved since the manifest was made (dispatched elsewhere, say), by tracking number.
    case itemsMoved([(String, ItemStatus)])
    case cancelled(HandoverDetail)
    case notFound
}

enum HandoverCancelling: Sendable {
    case cancelled(HandoverDetail)
    /// Cancelled before: the same answer again.
    case alreadyCancelled(HandoverDetail)
    /// A signed manifest is the record of a filing: it stays.
    case signed(HandoverDetail)
    case notFound
}

extension AppDatabase {
    /// Opens a manifest for `agencyCode` at `officeCode` with the given items, all checked in the same
    /// transaction; any refusal leaves nothing behind. `checkOnly` checks the items and opens nothing (the
    /// request has other faults, to be reported together).
    /// `tellsOtherOffices`: whether a refusal may describe an item that is at another office (admins); for staff of
    /// one office such an item is as unknown as a made-up number, so that its state does not leak.
    /// `audit` is written with the manifest (201).
    func openHandover(
        direction: HandoverDirection = .dossiers, agencyCode: String, officeCode: String, trackingNumbers: [TrackingNumber], createdBy: String,
        at now: Date, checkOnly: Bool = false, tellsOtherOffices: Bool = true,
        audit: AuditSlot? = nil
    ) async throws -> Result<HandoverDetail, HandoverRefusals> {
        try await write { db in
            var refusals: [(Int, HandoverRefusal)] = []
            var lines: [HandoverDetail.Line] = []
            for (index, number) in trackingNumbers.enumerated() {
                let item = try ItemRecord.numbered(number).fetchOne(db)
                let dossier = try item.flatMap { try DossierRecord.fetchOne(db, key: $0.dossierId) }
                let openManifest = try item.flatMap { try String.fetchOne(db, sql: Self.openManifestQuery, arguments: [$0.id!]) }
                switch Self.handoverLine(
                    item: item, dossier: dossier, openManifest: openManifest, direction: direction, agencyCode: agencyCode,
                    officeCode: officeCode, tellsOtherOffices: tellsOtherOffices)
                {
                case .success(let line): lines.append(line)
                case .failure(let refusal): refusals.append((index, refusal))
                }
            }
            guard refusals.isEmpty, !checkOnly else { return .failure(HandoverRefusals(byIndex: refusals)) }

            let prefix = Self.handoverNumberPrefix(direction: direction, officeCode: officeCode, at: now)
            let sameDay = try Int.fetchOne(db, sql: "SELECT count(*) FROM handover WHERE number LIKE ? || '%'", arguments: [prefix]) ?? 0
            var handover = HandoverRecord(
                number: prefix + LocalTime.pad(sameDay + 1, 4), agencyCode: agencyCode, officeCode: officeCode,
                createdAt: now, createdBy: createdBy, direction: direction)
            try handover.insert(db)
            try audit?.append(outcome: 201, at: now, in: db)
            for line in lines {
                try db.execute(
                    sql: "INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (?, ?, 1)",
                    arguments: [handover.id!, line.item.id!])
            }
            return .success(HandoverDetail(handover: handover, lines: lines))
        }
    }

    /// Signs a manifest: every item on it is handed over at `at` (the legal filing time), gets its event, and
    /// its handover goes to the one-stop through the outbox — all in one transaction. On a pickup biên bản every result
    /// is picked up at `at` instead, as a scan would record it (`reference` gives its new due day). A manifest of an
    /// office other than `officeScope` (nil: any office) is not found. `audit` is written with the signature (200).
    /// `receivedBy`: the desk's officer who signs, receiving the dossiers or handing the results over.
    func signHandover(
        id: Int64, direction: HandoverDirection = .dossiers, receivedBy: String, signedBy: String, officeScope: String?, at now: Date,
        reference: ReferenceData,
        audit: AuditSlot? = nil
    ) async throws -> HandoverSigning {
        try await write { db in
            guard var handover = try Self.handover(id: id, direction: direction, officeScope: officeScope, in: db) else { return .notFound }
            if handover.isSigned {
                let detail = try Self.handoverDetail(db, handover)
                return handover.receivedBy == receivedBy ? .alreadySigned(detail) : .signedByOther(detail)
            }
            let detail = try Self.handoverDetail(db, handover)
            if handover.isCancelled { return .cancelled(detail) }
            let moved = Self.itemsMoved(detail)
            guard moved.isEmpty else { return .itemsMoved(moved) }

            handover.signedAt = now
            handover.receivedBy = receivedBy
            handover.signedBy = signedBy
            try handover.update(db)
            try audit?.append(outcome: 200, at: now, in: db)
            try db.execute(sql: "UPDATE handoverItem SET isOpen = NULL WHERE handoverId = ?", arguments: [id])
            if handover.direction == .results {
                var lines: [HandoverDetail.Line] = []
                for line in detail.lines {
                    var item = line.item
                    let earlier = try String.fetchAll(db, sql: "SELECT code FROM itemEvent WHERE itemId = ? ORDER BY id", arguments: [item.id!])
                        .compactMap(ItemEventCode.init(rawValue:))
                    _ = try Self.apply(
                        .pickedUp, to: &item, earlier: earlier, occurredAt: now, officeCode: handover.officeCode, actor: signedBy,
                        note: handover.number, identityChecked: false, recordedAt: now, reference: reference, in: db)
                    lines.append(.init(item: item, dossier: line.dossier))
                }
                return .signed(HandoverDetail(handover: handover, lines: lines))
            }
            let payload = Self.handoverPayload(handover)
            var lines: [HandoverDetail.Line] = []
            for line in detail.lines {
                var item = line.item
                var event = Self.handOver(&item, on: handover)
                try item.update(db, columns: ["status", "updatedAt"])
                try event.insert(db)
                try OutboxMessageRecord.enqueue(dossierId: item.dossierId, kind: .reportHandover, payload: payload, at: now, in: db)
                try Self.notify(.handedOver, dossierId: item.dossierId, values: ["time": NoticeText.time(now)], at: now, in: db)
                lines.append(.init(item: item, dossier: line.dossier))
            }
            return .signed(HandoverDetail(handover: handover, lines: lines))
        }
    }

    /// Cancels an open manifest (the desk would not take one of its dossiers, or an item moved on before the
    /// signing): its items are free for another manifest at once. A manifest of an office other than `officeScope`
    /// (nil: any office) is not found. `audit` is written with the cancellation (200).
    func cancelHandover(
        id: Int64, direction: HandoverDirection = .dossiers, cancelledBy: String, officeScope: String?, at now: Date,
        audit: AuditSlot? = nil
    ) async throws -> HandoverCancelling {
        try await write { db in
            guard var handover = try Self.handover(id: id, direction: direction, officeScope: officeScope, in: db) else { return .notFound }
            if handover.isSigned { return .signed(try Self.handoverDetail(db, handover)) }
            if handover.isCancelled { return .alreadyCancelled(try Self.handoverDetail(db, handover)) }
            handover.cancelledAt = now
            handover.cancelledBy = cancelledBy
            try handover.update(db)
            try audit?.append(outcome: 200, at: now, in: db)
            try db.execute(sql: "UPDATE handoverItem SET isOpen = NULL WHERE handoverId = ?", arguments: [id])
            return .cancelled(try Self.handoverDetail(db, handover))
        }
    }

    /// The manifest `id`, unless it belongs to an office other than `officeScope` (nil: any office) or is of the other
    /// direction, whose signing means something else.
    private static func handover(id: Int64, direction: HandoverDirection, officeScope: String?, in db: Database) throws -> HandoverRecord? {
        try HandoverRecord.fetchOne(db, key: id).flatMap {
            $0.direction == direction && (officeScope == nil || officeScope == $0.officeCode) ? $0 : nil
        }
    }

    func handoverDetail(id: Int64) async throws -> HandoverDetail? {
        try await read { db in
            try HandoverRecord.fetchOne(db, key: id).map { try Self.handoverDetail(db, $0) }
        }
    }

    /// Newest first, optionally of one office.
    func handovers(direction: HandoverDirection = .dossiers, officeCode: String?, limit: Int) async throws -> [HandoverRecord] {
        try await read { db in
            var request = HandoverRecord.filter { $0.direction == direction.rawValue }.order(\.id.desc).limit(limit)
            if let officeCode { request = request.filter { $0.officeCode == officeCode } }
            return try request.fetchAll(db)
        }
    }

    /// Dossier items that have arrived at `officeCode`, are not on an open manifest, by agency: what the
    /// handover page offers.
    func itemsAwaitingHandover(officeCode: String) async throws -> [HandoverDetail.Line] {
        try await read { db in
            try Self.lines(
                db,
                items: ItemRecord.fetchAll(
                    db,
                    sql: """
                        SELECT i.* FROM item i
                        WHERE i.kind = 'dossier' AND i.status = 'arrived' AND i.officeCode = ?
                          AND NOT EXISTS (SELECT 1 FROM handoverItem hi WHERE hi.itemId = i.id AND hi.isOpen = 1)
                        ORDER BY i.id
                        """, arguments: [officeCode]))
        }
    }

    /// The open manifest an item is on (`handoverItem_one_open_manifest`: one at most).
    static let openManifestQuery =
        "SELECT h.number FROM handoverItem hi JOIN handover h ON h.id = hi.handoverId WHERE hi.itemId = ? AND hi.isOpen = 1"

    /// An item for a new manifest of `agencyCode` at `officeCode`, or why it cannot go on it; `openManifest` is the
    /// number of the open manifest it is on already. The same on either backend.
    /// `tellsOtherOffices`: whether a refusal may describe an item that is at another office (admins).
    static func handoverLine(
        item: ItemRecord?, dossier: DossierRecord?, openManifest: String?, direction: HandoverDirection, agencyCode: String, officeCode: String,
        tellsOtherOffices: Bool
    ) -> Result<HandoverDetail.Line, HandoverRefusal> {
        guard let item, let dossier else { return .failure(.unknownItem) }
        if !tellsOtherOffices && item.officeCode != officeCode { return .failure(.unknownItem) }
        if let refusal = refusal(of: item, dossier: dossier, direction: direction) { return .failure(refusal) }
        if dossier.agencyCode != agencyCode { return .failure(.otherAgency(dossier.agencyCode)) }
        if item.officeCode != officeCode { return .failure(.otherOffice(item.officeCode)) }
        if let openManifest { return .failure(.onOpenManifest(openManifest)) }
        return .success(.init(item: item, dossier: dossier))
    }

    /// `BB-<office>-<yyyyMMdd>-` (`BBKQ-…` for results): a manifest's number is this and the day's count at the office.
    static func handoverNumberPrefix(direction: HandoverDirection, officeCode: String, at now: Date) -> String {
        "\(direction == .dossiers ? "BB" : "BBKQ")-\(officeCode)-\(LocalDate(now).compact)-"
    }

    /// The manifest's items that are no longer where it was made for them (waiting at its office), by tracking number.
    static func itemsMoved(_ detail: HandoverDetail) -> [(String, ItemStatus)] {
        let waiting: ItemStatus = detail.handover.direction == .dossiers ? .arrived : .created
        return detail.lines.filter { $0.item.status != waiting || $0.item.officeCode != detail.handover.officeCode }.map {
            ($0.item.trackingNumber, $0.item.status)
        }
    }

    /// The handover as the one-stop is told of it (call 2): the biên bản, the legal filing time and who received it.
    static func handoverPayload(_ handover: HandoverRecord) -> String {
        JSONValue.object([
            "SoBienBan": .string(handover.number), "ThoiDiemBanGiao": .string(LocalTime.compact(handover.signedAt!)),
            "NguoiNhan": .string(handover.receivedBy!),
        ]).canonicalText
    }

    /// A dossier item handed over by the signed manifest: its new status and the event to write. The signing instant is
    /// the legal filing time, of which the citizen is told (TT17 Art 12.1a).
    static func handOver(_ item: inout ItemRecord, on handover: HandoverRecord) -> ItemEventRecord {
        item.status = .handedOver
        item.updatedAt = handover.signedAt!
        return ItemEventRecord(
            itemId: item.id!, code: .handedOver, upuCode: nil, occurredAt: handover.signedAt!, officeCode: handover.officeCode,
            actor: handover.signedBy!, note: handover.number, recordedAt: handover.signedAt!)
    }

    /// Why `item` cannot go on a biên bản of `direction`: a dossier item must have arrived at the office; a result must
    /// wait at the desk, its dossier at 9 (a result the desk has not finished, or has returned itself, is not there to take).
    private static func refusal(of item: ItemRecord, dossier: DossierRecord, direction: HandoverDirection) -> HandoverRefusal? {
        switch direction {
        case .dossiers:
            if item.kind != .dossier { return .notADossierItem }
            if item.status != .arrived { return .notArrived(item.status) }
        case .results:
            if item.kind != .result { return .notAResultItem }
            if item.status != .created || dossier.oneStopStatus != OneStopStatus.resultReady.rawValue { return .notWaitingAtDesk(item.status) }
        }
        return nil
    }

    private static func handoverDetail(_ db: Database, _ handover: HandoverRecord) throws -> HandoverDetail {
        let items = try ItemRecord.fetchAll(
            db,
            sql: """
                SELECT i.* FROM handoverItem hi JOIN item i ON i.id = hi.itemId WHERE hi.handoverId = ? ORDER BY i.id
                """, arguments: [handover.id!])
        return HandoverDetail(handover: handover, lines: try lines(db, items: items))
    }

    /// Each item beside its dossier, in the items' order.
    private static func lines(_ db: Database, items: [ItemRecord]) throws -> [HandoverDetail.Line] {
        let dossiers = try DossierRecord.fetchAll(db, keys: items.map(\.dossierId))
        let byId = Dictionary(uniqueKeysWithValues: dossiers.map { ($0.id!, $0) })
        return items.compactMap { item in byId[item.dossierId].map { HandoverDetail.Line(item: item, dossier: $0) } }
    }
}

/// The refusals of a manifest, by position in the request's `trackingNumbers`.
struct HandoverRefusals: Error, Sendable {
    let byIndex: [(Int, HandoverRefusal)]
}
