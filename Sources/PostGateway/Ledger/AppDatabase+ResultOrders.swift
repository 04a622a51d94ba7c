import Foundation
import GRDB

/// Why a change to a result-only order was refused (409 to the one-stop), kept for the serving office's staff.
enum OrderRefusal: String, Sendable {
    /// The post has the result already: the desk must ask the post office to redirect it.
    case pickedUp
    /// The mã hồ sơ is a dossier the post carried, whose result goes as its own service says.
    case notResultOnly
}

extension AppDatabase {
    /// Records a verified `ketqua.dathang` callback and applies it, in one transaction: a first order makes the
    /// result-only dossier, its `PK…VN` result item (waiting at the office serving the desk) and the `TIEP_NHAN_DON`
    /// report that gives the one-stop the item's number; the same order again changes nothing; a new receiver,
    /// phone or address before pickup updates the order, after pickup it is refused and kept for staff. In the
    /// transaction of `applyCallback`, which has answered a replay of a kept callback already.
    static func applyOrder(
        _ order: ResultOrder, webhookId: String, body: String, receivedAt: Date, resultItems: ResultItemPlanner, pins: TrackingPins,
        in db: Database
    ) throws -> CallbackReceipt {
        if let refused = try String.fetchOne(db, sql: "SELECT reason FROM refusedOrderChange WHERE webhookId = ?", arguments: [webhookId]) {
            return CallbackReceipt(outcome: .refused, firstDelivery: false, orderRefusal: OrderRefusal(rawValue: refused))
        }
        func keep(_ outcome: CallbackOutcome, dossierId: Int64, itemNumber: String) throws {
            try keepCallback(
                webhookId, receivedAt: receivedAt, type: ResultOrder.type, trackingNumber: itemNumber, status: order.status,
                occurredAt: order.occurredAt, dossierId: dossierId, outcome: outcome, body: ResultOrder.keptBody(body), in: db)
        }
        guard var dossier = try DossierRecord.filter(DossierRecord.Columns.oneStopCode == order.dossierCode).fetchOne(db) else {
            let (dossierId, number) = try Self.placeOrder(order, receivedAt: receivedAt, planner: resultItems, pins: pins, in: db)
            try keep(.applied, dossierId: dossierId, itemNumber: number.description)
            return CallbackReceipt(outcome: .applied, firstDelivery: true, resultTrackingNumber: number.description)
        }
        guard dossier.service == .resultOnly,
            var item = try ItemRecord.of(dossier: dossier.id!, kind: .result).fetchOne(db)
        else {
            return try Self.refuse(.notResultOnly, dossierId: dossier.id!, webhookId: webhookId, receivedAt: receivedAt, in: db)
        }
        let stored = ResultOrder.Receiver(
            name: dossier.applicantName, phone: dossier.applicantPhone, address: dossier.resultAddress ?? "",
            unitCode: dossier.resultUnitCode ?? "")
        // Refused before anything is written: a refused change moves nothing, not even the status it carries.
        if stored != order.receiver, item.status != .created {
            return try Self.refuse(.pickedUp, dossierId: dossier.id!, webhookId: webhookId, receivedAt: receivedAt, in: db)
        }
        let statusBefore = (dossier.oneStopStatus, dossier.oneStopStatusAt)
        _ = try Self.takeStatus(
            OneStopStatus.Report(status: order.status, at: order.occurredAt), appointment: order.appointmentDate, content: nil,
            into: &dossier, learntAt: receivedAt, in: db)
        var changed = statusBefore != (dossier.oneStopStatus, dossier.oneStopStatusAt)
        if stored != order.receiver {
            dossier.applicantName = order.receiver.name
            dossier.applicantPhone = order.receiver.phone
            dossier.applicantAddress = order.receiver.address
            dossier.resultAddress = order.receiver.address
            dossier.resultUnitCode = order.receiver.unitCode
            try dossier.update(db, columns: ["applicantName", "applicantPhone", "applicantAddress", "resultAddress", "resultUnitCode"])
            changed = true
        }
        // What the result says to collect may come with a later order (sent again at 9) as with a status callback.
        if item.status == .created, let result = order.result,
            result.cashOnDelivery != item.cashOnDelivery || result.documentCount != item.documentCount
        {
            item.cashOnDelivery = result.cashOnDelivery
            item.documentCount = result.documentCount
            try item.update(db, columns: ["cashOnDelivery", "documentCount"])
            changed = true
        }
        if item.status == .created, dossier.oneStopStatus == OneStopStatus.resultReady.rawValue {
            try Self.planOrderItem(&item, dossier: &dossier, readyAt: dossier.oneStopStatusAt ?? receivedAt, planner: resultItems, in: db)
        }
        let outcome: CallbackOutcome = changed ? .applied : .superseded
        try keep(outcome, dossierId: dossier.id!, itemNumber: item.trackingNumber)
        return CallbackReceipt(outcome: outcome, firstDelivery: true, resultTrackingNumber: item.trackingNumber)
    }

    /// The order's dossier row, its result item and the report of its number, for a `MaHoSo` the ledger has not met.
    private static func placeOrder(
        _ order: ResultOrder, receivedAt: Date, planner: ResultItemPlanner, pins: TrackingPins, in db: Database
    ) throws -> (Int64, TrackingNumber) {
        let number = TrackingNumber(prefix: planner.series.prefix, serial: try nextSerial(planner.series, in: db))
        let day = LocalDate(receivedAt)
        let plan = planner.plan(
            agencyCode: order.agencyCode, fallbackOfficeCode: "", transitScope: .interProvince, resultUnitCode: order.receiver.unitCode,
            resultProvinceCode: nil, intakeDay: day, readyAt: receivedAt)
        let procedureName = planner.reference.procedure(order.procedureCode)?.name ?? order.procedureCode
        var dossier = DossierRecord(
            service: .resultOnly, procedureCode: order.procedureCode, procedureName: procedureName, agencyCode: order.agencyCode,
            officeCode: plan.officeCode, applicantName: order.receiver.name, applicantIdSealed: nil, applicantPhone: order.receiver.phone,
            applicantEmail: nil, applicantAddress: order.receiver.address, resultAddress: order.receiver.address,
            resultUnitCode: order.receiver.unitCode, documents: [], postage: 0, administrativeFee: 0, note: nil,
            pinHash: pins.hash(pin: pins.pin(for: number), for: number), transitScope: plan.scope, jDate: day.description,
            dueDate: plan.dueDate.description, oneStopCode: order.dossierCode, oneStopStatus: order.status.rawValue,
            appointmentDate: order.appointmentDate?.description, acceptedAt: receivedAt, acceptedBy: "onestop",
            oneStopStatusAt: order.occurredAt, orderedVia: order.channel, notifyBy: .zalo)
        try dossier.insert(db)
        // Due only once the result is ready: until then the post does not know when it will have it.
        var item = ItemRecord(
            dossierId: dossier.id!, kind: .result, trackingNumber: number.description, status: .created, officeCode: plan.officeCode,
            dueDate: nil, cashOnDelivery: order.result?.cashOnDelivery ?? 0, createdAt: receivedAt, updatedAt: receivedAt,
            documentCount: order.result?.documentCount)
        try item.insert(db)
        if order.status == .resultReady {
            try planOrderItem(&item, dossier: &dossier, readyAt: order.occurredAt, planner: planner, in: db)
        }
        try catchUp(&dossier, planner: planner, on: day, at: receivedAt, in: db)
        var created = ItemEventRecord(
            itemId: item.id!, code: .created, upuCode: ItemEventCode.created.upuCode, occurredAt: receivedAt, officeCode: plan.officeCode,
            actor: "onestop", note: nil, recordedAt: receivedAt)
        try created.insert(db)
        // Ordering delivery by post on the portal or at the desk, the citizen gave this phone for it: told by Zalo, or
        // by SMS when the number has none. The portal's citizen has no receipt, so the PIN goes with the code.
        try notify(order.channel == .portal ? .acceptedWithPin : .accepted, dossierId: dossier.id!, at: receivedAt, in: db)
        let taken = ReturnProgress(resultNumber: number.description, state: .orderTaken, at: receivedAt, attempt: 1, note: "")
        try OutboxMessageRecord.enqueue(dossierId: dossier.id!, kind: .reportOrderProgress, payload: taken.json(), at: receivedAt, in: db)
        return (dossier.id!, number)
    }

    /// A result-only dossier's result is ready (status 9): the result says what to collect, and the leg's days start.
    /// Answers the item's number, nil when the item has left the desk already.
    static func orderResultReady(_ event: OneStopEvent, dossier: inout DossierRecord, planner: ResultItemPlanner, in db: Database) throws
        -> String?
    {
        guard var item = try ItemRecord.of(dossier: dossier.id!, kind: .result).fetchOne(db),
            item.status == .created
        else { return nil }
        if let result = event.result {
            item.cashOnDelivery = result.cashOnDelivery
            item.documentCount = result.documentCount
            try item.update(db, columns: ["cashOnDelivery", "documentCount"])
        }
        try planOrderItem(&item, dossier: &dossier, readyAt: event.occurredAt, planner: planner, in: db)
        return item.trackingNumber
    }

    /// Status callbacks by this mã hồ sơ that came before its order (callbacks arrive out of order) were kept as
    /// `unknownDossier`: the new order takes them now, as it would have, in any order.
    static func catchUp(_ dossier: inout DossierRecord, planner: ResultItemPlanner, on day: LocalDate, at now: Date, in db: Database) throws {
        let bodies = try String.fetchAll(
            db,
            sql: """
                SELECT body FROM oneStopCallback
                WHERE outcome = 'unknownDossier' AND trackingNumber IS NULL AND json_extract(body, '$.MaHoSo') = ?
                ORDER BY receivedAt
                """, arguments: [dossier.oneStopCode])
        for body in bodies {
            guard let json = try? JSONValue(parsing: Data(body.utf8)),
                case .event(let event)? = try? OneStopEvent.parse(json, reference: planner.reference, on: day)
            else { continue }
            let applies = try takeStatus(
                OneStopStatus.Report(status: event.status, at: event.occurredAt), appointment: event.appointmentDate, content: event.content,
                into: &dossier, learntAt: now, in: db)
            if applies && event.status == .resultReady { _ = try orderResultReady(event, dossier: &dossier, planner: planner, in: db) }
        }
    }

    /// A result-only item's due day, once its result is ready: J + n from then to the commune of the delivery address.
    static func planOrderItem(
        _ item: inout ItemRecord, dossier: inout DossierRecord, readyAt: Date, planner: ResultItemPlanner, in db: Database
    ) throws {
        let plan = planner.plan(
            agencyCode: dossier.agencyCode, fallbackOfficeCode: dossier.officeCode, transitScope: dossier.transitScope,
            resultUnitCode: dossier.resultUnitCode, resultProvinceCode: nil, intakeDay: LocalDate(readyAt), readyAt: readyAt)
        item.dueDate = plan.dueDate.description
        try item.update(db, columns: ["dueDate"])
        dossier.transitScope = plan.scope
        dossier.dueDate = plan.dueDate.description
        try dossier.update(db, columns: ["transitScope", "dueDate"])
    }

    private static func refuse(_ reason: OrderRefusal, dossierId: Int64, webhookId: String, receivedAt: Date, in db: Database) throws
        -> CallbackReceipt
    {
        try db.execute(
            sql: "INSERT INTO refusedOrderChange (webhookId, dossierId, reason, receivedAt) VALUES (?, ?, ?, ?)",
            arguments: [webhookId, dossierId, reason.rawValue, LedgerTime.string(receivedAt)])
        return CallbackReceipt(outcome: .refused, firstDelivery: true, orderRefusal: reason)
    }

    /// Gives the dossier the reported status if it supersedes the one it holds (writing it), and an appointment date
    /// it lacks; answers whether the status applied.
    /// `learntAt`: when the gateway received it, which dates the notice it may write (not the one-stop's clock).
    static func takeStatus(
        _ report: OneStopStatus.Report, appointment: LocalDate?, content: String?, into dossier: inout DossierRecord, learntAt: Date,
        in db: Database
    ) throws -> Bool {
        let taken = take(report, appointment: appointment, content: content, into: &dossier)
        try dossier.update(db, columns: takenColumns)
        if let decision = taken.decision { try notifyDecision(decision, of: dossier, at: learntAt, in: db) }
        return taken.applies
    }

    /// The columns `take` may change.
    static let takenColumns = ["oneStopCode", "oneStopStatus", "oneStopStatusAt", "oneStopNote", "appointmentDate"]

    /// The reported status, if it supersedes the one the dossier holds, and an appointment date it lacks: whether the
    /// status applied, and the status when it is new (a decision the citizen may be told of). The same on either backend.
    static func take(
        _ report: OneStopStatus.Report, appointment: LocalDate?, content: String?, into dossier: inout DossierRecord
    ) -> (applies: Bool, decision: OneStopStatus?) {
        let current = dossier.oneStopStatus.flatMap(OneStopStatus.init(rawValue:)).map {
            OneStopStatus.Report(status: $0, at: dossier.oneStopStatusAt ?? dossier.acceptedAt)
        }
        let applies = report.supersedes(current)
        if applies {
            dossier.oneStopStatus = report.status.rawValue
            dossier.oneStopStatusAt = report.at
            dossier.oneStopNote = content
            if let appointment { dossier.appointmentDate = appointment.description }
        } else if dossier.appointmentDate == nil, let appointment {
            dossier.appointmentDate = appointment.description
        }
        return (applies, applies && current?.status != report.status ? report.status : nil)
    }

    /// The citizen who agreed is told of the desk's decisions on a dossier the post carried, when the gateway learns
    /// of them (a callback, or a reconciliation's repair); one filed online or at the desk hears of them from the
    /// one-stop itself, and of its result's journey from the post.
    static func notifyDecision(_ status: OneStopStatus, of dossier: DossierRecord, at now: Date, in db: Database) throws {
        if let notice = decisionNotice(status, of: dossier) {
            try notify(notice.milestone, dossierId: dossier.id!, values: notice.values, at: now, in: db)
        }
    }

    /// The notice of a desk's decision, with the values its message needs; nil for a status the citizen is not told of.
    static func decisionNotice(_ status: OneStopStatus, of dossier: DossierRecord) -> (milestone: NoticeMilestone, values: [String: String])? {
        guard dossier.service != .resultOnly else { return nil }
        switch status {
        case .received:
            return (
                .received,
                [
                    "dossierCode": dossier.oneStopCode ?? "", "appointment": dossier.appointmentDate.map(LocalDate.vietnameseForm) ?? "chưa hẹn",
                ]
            )
        case .supplementRequested: return (.supplementRequested, [:])
        case .rejected: return (.rejected, [:])
        default: return nil
        }
    }
}
