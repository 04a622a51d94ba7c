import Foundation
import GRDB

/// An item number set aside for a counter's order, with the order as it is sent (call 6) until the one-stop answers.
struct CounterOrderReservation: Sendable, Equatable {
    /// The key it was set aside under: the clerk's form that first sent it.
    let key: String
    let number: TrackingNumber
    /// Call 6's frozen body: a retry sends these very bytes.
    let payload: String
    let officeCode: String
    let receiver: ResultOrder.Receiver
    let postage: Int64
}

/// Where a counter's result order stands before the one-stop is asked.
enum CounterOrderStanding: Sendable, Equatable {
    /// Send the reservation's payload, then complete or release it.
    case reserved(CounterOrderReservation)
    /// The same key and body were taken before: this dossier is the answer again.
    case completed(dossierId: Int64)
    /// The same key came with another body.
    case keyReused
    /// The ledger has a result order with this mã hồ sơ already (its item number).
    case alreadyOrdered(String)
    /// The mã hồ sơ is a dossier the post carried: its result goes as its own service says.
    case postalDossier(String)
}

/// Why a registered order could not be written.
enum CounterOrderCompletion: Sendable, Equatable {
    case written(dossierId: Int64)
    /// The mã hồ sơ reached the ledger another way while the one-stop was asked (a portal order's callback, a status).
    case codeTaken
}

extension AppDatabase {
    /// Sets an item number aside for a counter's order, or finds the one set aside before: for the same key (a retry
    /// after a lost answer or a crash), or for the same mã hồ sơ at the same office whatever the key (the page reloaded
    /// after an answer that never came). Either way the order first sent is sent again, which the one-stop answers as a
    /// replay if it has it.
    func reserveCounterOrder(_ request: CounterOrderRequest, series: TrackingSeries, at now: Date) async throws -> CounterOrderStanding {
        try await write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT requestHash, dossierId FROM counterOrder WHERE key = ?", arguments: [request.ledgerKey]) {
                guard row["requestHash"] == request.requestHash else { return .keyReused }
                if let dossierId: Int64 = row["dossierId"] { return .completed(dossierId: dossierId) }
            }
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT d.service, coalesce((SELECT trackingNumber FROM item WHERE dossierId = d.id ORDER BY id LIMIT 1), '') AS number
                    FROM dossier d WHERE d.oneStopCode = ?
                    """, arguments: [request.dossierCode])
            {
                let number: String = row["number"]
                return row["service"] == ServiceType.resultOnly.rawValue ? .alreadyOrdered(number) : .postalDossier(number)
            }
            if let pending = try Self.pendingReservation(
                db, sql: "key = ? OR (dossierCode = ? AND officeCode = ?)", [request.ledgerKey, request.dossierCode, request.office.code])
            {
                return .reserved(pending)
            }
            let number = TrackingNumber(prefix: series.prefix, serial: try Self.nextSerial(series, in: db))
            let payload = request.payload(resultNumber: number, at: now)
            try db.execute(
                sql: """
                    INSERT INTO counterOrder (key, requestHash, dossierCode, officeCode, trackingNumber, payload, postage, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    request.ledgerKey, request.requestHash, request.dossierCode, request.office.code, number.description, payload,
                    request.postage, LedgerTime.string(now),
                ])
            return .reserved(
                .init(
                    key: request.ledgerKey, number: number, payload: payload, officeCode: request.office.code, receiver: request.receiver,
                    postage: request.postage))
        }
    }

    /// An unanswered reservation, with the receiver read back from the body it froze.
    private static func pendingReservation(_ db: Database, sql condition: String, _ arguments: StatementArguments) throws
        -> CounterOrderReservation?
    {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT key, officeCode, trackingNumber, payload, postage FROM counterOrder
                    WHERE dossierId IS NULL AND (\(condition)) ORDER BY createdAt LIMIT 1
                    """, arguments: arguments),
            let payload: String = row["payload"], case .object(let body)? = try? JSONValue(parsing: Data(payload.utf8)),
            case .string(let name)? = body["NguoiNhan"], case .string(let phone)? = body["SoDienThoai"],
            case .string(let address)? = body["DiaChiNhanKetQua"], case .string(let unit)? = body["MaDonViHanhChinh"]
        else { return nil }
        return CounterOrderReservation(
            key: row["key"], number: try TrackingNumber(parsing: row["trackingNumber"] as String), payload: payload, officeCode: row["officeCode"],
            receiver: .init(name: name, phone: phone, address: address, unitCode: unit), postage: row["postage"])
    }

    /// The one-stop refused the order (no such dossier, an order already, a result returned): nothing of it stays. Its
    /// item number is not reused; a gap in a prefix's serials is what a voided label leaves too.
    func releaseCounterOrder(_ reservation: CounterOrderReservation) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM counterOrder WHERE key = ? AND dossierId IS NULL", arguments: [reservation.key])
        }
    }

    /// The one-stop registered the order: its dossier row, its result item at the office serving the desk the one-stop
    /// named (the cash to collect is the fees still owed), and the `created` event, in one transaction with the clerk's
    /// audit entry. The one-stop has the item number already (call 6 carried it): no TIEP_NHAN_DON follows. The frozen
    /// body, which holds the receiver, is cleared: the dossier row holds them now, and erases them with it.
    func completeCounterOrder(
        _ reservation: CounterOrderReservation, facts: OneStopDossierFacts, acceptedBy: String, notifyBy: NoticeChannel? = nil, at now: Date,
        planner: ResultItemPlanner, pins: TrackingPins, audit: AuditSlot? = nil
    ) async throws -> CounterOrderCompletion {
        try await write { db in
            if let done = try Int64.fetchOne(db, sql: "SELECT dossierId FROM counterOrder WHERE key = ?", arguments: [reservation.key]) {
                return .written(dossierId: done)
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM dossier WHERE oneStopCode = ?", arguments: [facts.dossierCode]) == true {
                return .codeTaken
            }
            let day = LocalDate(now)
            let number = reservation.number
            let receiver = reservation.receiver
            let plan = planner.plan(
                agencyCode: facts.agencyCode, fallbackOfficeCode: reservation.officeCode, transitScope: .interProvince,
                resultUnitCode: receiver.unitCode, resultProvinceCode: nil, intakeDay: day, readyAt: now)
            var dossier = DossierRecord(
                service: .resultOnly, procedureCode: facts.procedureCode,
                procedureName: planner.reference.procedure(facts.procedureCode)?.name ?? facts.procedureCode, agencyCode: facts.agencyCode,
                // Taken in by the clerk's office, which prints its receipt; collected by the office serving the desk.
                officeCode: reservation.officeCode, applicantName: receiver.name, applicantIdSealed: nil, applicantPhone: receiver.phone,
                applicantEmail: nil, applicantAddress: receiver.address, resultAddress: receiver.address,
                resultUnitCode: receiver.unitCode, documents: [], postage: reservation.postage, administrativeFee: 0, note: nil,
                pinHash: pins.hash(pin: pins.pin(for: number), for: number), transitScope: plan.scope, jDate: day.description,
                dueDate: plan.dueDate.description, oneStopCode: facts.dossierCode, oneStopStatus: facts.status.rawValue,
                appointmentDate: facts.appointmentDate?.description, acceptedAt: now, acceptedBy: acceptedBy, oneStopStatusAt: now,
                orderedVia: .counter, notifyBy: notifyBy)
            try dossier.insert(db)
            var item = ItemRecord(
                dossierId: dossier.id!, kind: .result, trackingNumber: number.description, status: .created, officeCode: plan.officeCode,
                dueDate: nil, cashOnDelivery: facts.feesOwed, createdAt: now, updatedAt: now)
            try item.insert(db)
            if facts.status == .resultReady { try Self.planOrderItem(&item, dossier: &dossier, readyAt: now, planner: planner, in: db) }
            var created = ItemEventRecord(
                itemId: item.id!, code: .created, upuCode: ItemEventCode.created.upuCode, occurredAt: now, officeCode: reservation.officeCode,
                actor: acceptedBy, note: nil, recordedAt: now)
            try created.insert(db)
            // The receipt the clerk prints carries the PIN: the message carries the code and the link only.
            try Self.notify(.accepted, dossierId: dossier.id!, at: now, in: db)
            // A status the desk sent by this mã hồ sơ while the one-stop was asked came before the order existed here.
            try Self.catchUp(&dossier, planner: planner, on: day, at: now, in: db)
            try db.execute(
                sql: "UPDATE counterOrder SET dossierId = ?, payload = NULL WHERE key = ?", arguments: [dossier.id!, reservation.key])
            try audit?.append(outcome: 201, at: now, in: db)
            return .written(dossierId: dossier.id!)
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
    /// `servedDesks`: the desks `officeCode` serves (nil with it: every office).
    func refusedOrderChanges(officeCode: String?, servedDesks: [String]?, limit: Int) async throws -> [RefusedOrderChange] {
        try await read { db in
            let desks = servedDesks ?? []
            let scope =
                officeCode == nil
                ? "" : "WHERE d.officeCode = ? OR d.agencyCode IN (\(desks.isEmpty ? "NULL" : databaseQuestionMarks(count: desks.count)))"
            var arguments: StatementArguments = []
            if let officeCode { arguments += [officeCode] + StatementArguments(desks) }
            arguments += [limit]
            return try RefusedOrderChange.fetchAll(
                db,
                sql: """
                    SELECT d.oneStopCode AS dossierCode, i.trackingNumber, r.reason, r.receivedAt, i.officeCode
                    FROM refusedOrderChange r JOIN dossier d ON d.id = r.dossierId JOIN item i ON i.id = (
                        SELECT id FROM item WHERE dossierId = d.id ORDER BY \(ItemRecord.orderWithinDossier()) LIMIT 1)
                    \(scope)
                    ORDER BY r.receivedAt DESC LIMIT ?
                    """, arguments: arguments)
        }
    }
}
