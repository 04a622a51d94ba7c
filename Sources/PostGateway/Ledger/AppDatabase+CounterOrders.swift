import Foundation
import GRDB

/// Where a counter's result order stands before the one-stop is asked.
enum CounterOrderReservation: Sendable, Equatable {
    /// An item number is set aside for the order: send `payload` (call 6), then complete or release it.
    case reserved(TrackingNumber, payload: String)
    /// The same key and body were taken before: this dossier is the answer again.
    case completed(dossierId: Int64)
    /// The same key came with another body.
    case keyReused
    /// The ledger has an order (or a dossier) with this mã hồ sơ already.
    case alreadyOrdered(String)
}

extension AppDatabase {
    /// Sets an item number aside for a counter's order, or finds the one set aside for the same key before (a retry after
    /// a lost answer or a crash sends the same order again, which the one-stop answers as a replay).
    func reserveCounterOrder(_ request: CounterOrderRequest, prefix: String, at now: Date) async throws -> CounterOrderReservation {
        try await write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT requestHash, trackingNumber, payload, dossierId FROM counterOrder WHERE key = ?", arguments: [request.ledgerKey])
            {
                guard row["requestHash"] == request.requestHash else { return .keyReused }
                if let dossierId: Int64 = row["dossierId"] { return .completed(dossierId: dossierId) }
                return .reserved(try TrackingNumber(parsing: row["trackingNumber"] as String), payload: row["payload"])
            }
            if let number = try String.fetchOne(
                db,
                sql: """
                    SELECT coalesce((SELECT trackingNumber FROM item WHERE dossierId = d.id ORDER BY id LIMIT 1), '') FROM dossier d
                    WHERE d.oneStopCode = ?
                    """, arguments: [request.dossierCode])
            {
                return .alreadyOrdered(number)
            }
            let number = TrackingNumber(prefix: prefix, serial: try Self.nextSerial(prefix: prefix, in: db))
            let payload = request.payload(resultNumber: number, at: now)
            try db.execute(
                sql: "INSERT INTO counterOrder (key, requestHash, trackingNumber, payload, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [request.ledgerKey, request.requestHash, number.description, payload, LedgerTime.string(now)])
            return .reserved(number, payload: payload)
        }
    }

    /// The one-stop refused the order (no such dossier, an order already, a result returned): nothing of it stays. Its
    /// item number is not reused; a gap in a prefix's serials is what a voided label leaves too.
    func releaseCounterOrder(key: String) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM counterOrder WHERE key = ? AND dossierId IS NULL", arguments: [key]) }
    }

    /// The one-stop registered the order: its dossier row, its result item at the office serving the desk the one-stop
    /// named (the cash to collect is the fees still owed), and the `created` event, in one transaction with the clerk's
    /// audit entry. The one-stop has the item number already (call 6 carried it): no TIEP_NHAN_DON follows.
    func completeCounterOrder(
        _ request: CounterOrderRequest, number: TrackingNumber, facts: OneStopDossierFacts, acceptedBy: String, at now: Date,
        planner: ResultItemPlanner, pins: TrackingPins, audit: AuditSlot? = nil
    ) async throws -> Int64 {
        try await write { db in
            if let done = try Int64.fetchOne(db, sql: "SELECT dossierId FROM counterOrder WHERE key = ?", arguments: [request.ledgerKey]) {
                return done
            }
            let day = LocalDate(now)
            let plan = planner.plan(
                agencyCode: facts.agencyCode, fallbackOfficeCode: request.office.code, transitScope: .interProvince,
                resultUnitCode: request.receiver.unitCode, resultProvinceCode: nil, intakeDay: day, readyAt: now)
            var dossier = DossierRecord(
                service: .resultOnly, procedureCode: facts.procedureCode,
                procedureName: planner.reference.procedure(facts.procedureCode)?.name ?? facts.procedureCode, agencyCode: facts.agencyCode,
                // Taken in by the clerk's office, which prints its receipt; collected by the office serving the desk.
                officeCode: request.office.code, applicantName: request.receiver.name, applicantIdSealed: nil, applicantPhone: request.receiver.phone,
                applicantEmail: nil, applicantAddress: request.receiver.address, resultAddress: request.receiver.address,
                resultUnitCode: request.receiver.unitCode, documents: [], postage: request.postage, administrativeFee: 0, note: nil,
                pinHash: pins.hash(pin: pins.pin(for: number), for: number), transitScope: plan.scope, jDate: day.description,
                dueDate: plan.dueDate.description, oneStopCode: facts.dossierCode, oneStopStatus: facts.status.rawValue,
                appointmentDate: facts.appointmentDate?.description, acceptedAt: now, acceptedBy: acceptedBy, oneStopStatusAt: now,
                orderedVia: .counter)
            try dossier.insert(db)
            var item = ItemRecord(
                dossierId: dossier.id!, kind: .result, trackingNumber: number.description, status: .created, officeCode: plan.officeCode,
                dueDate: nil, cashOnDelivery: facts.feesOwed, createdAt: now, updatedAt: now)
            try item.insert(db)
            if facts.status == .resultReady { try Self.planOrderItem(&item, dossier: &dossier, readyAt: now, planner: planner, in: db) }
            var created = ItemEventRecord(
                itemId: item.id!, code: .created, upuCode: ItemEventCode.created.upuCode, occurredAt: now, officeCode: request.office.code,
                actor: acceptedBy, note: nil, recordedAt: now)
            try created.insert(db)
            try db.execute(sql: "UPDATE counterOrder SET dossierId = ? WHERE key = ?", arguments: [dossier.id!, request.ledgerKey])
            try audit?.append(outcome: 201, at: now, in: db)
            return dossier.id!
        }
    }
}

/// A change to a result-only order refused after pickup, as the serving office's staff see it.
struct RefusedOrderChange: Sendable, Equatable, Codable, FetchableRecord {
    let dossierCode: String
    let trackingNumber: String
    let reason: String
    let receivedAt: Date
    let officeCode: String
}

extension AppDatabase {
    /// Changes the one-stop sent for orders whose result the post had already picked up, newest first: the serving office
    /// (nil: every office) must settle each with the desk, redirecting the item if need be.
    func refusedOrderChanges(officeCode: String?, limit: Int) async throws -> [RefusedOrderChange] {
        try await read { db in
            try RefusedOrderChange.fetchAll(
                db,
                sql: """
                    SELECT d.oneStopCode AS dossierCode, i.trackingNumber, r.reason, r.receivedAt, i.officeCode
                    FROM refusedOrderChange r JOIN dossier d ON d.id = r.dossierId JOIN item i ON i.id = (
                        SELECT id FROM item WHERE dossierId = d.id ORDER BY \(ItemRecord.orderWithinDossier()) LIMIT 1)
                    WHERE ?1 IS NULL OR i.officeCode = ?1 OR d.officeCode = ?1
                    ORDER BY r.receivedAt DESC LIMIT ?2
                    """, arguments: [officeCode, limit])
        }
    }
}
