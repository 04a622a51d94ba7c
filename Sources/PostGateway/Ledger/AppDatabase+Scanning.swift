import Foundation
import GRDB

/// A scan as the scanner sent it, checked for shape but not yet against the item.
struct ScanRequest: Sendable {
    let trackingNumber: TrackingNumber
    let event: ItemEventCode
    let officeCode: String
    let occurredAt: Date
    let note: String?
    let actor: String
    /// On `delivered`: the clerk checked the recipient's identity document (its number is never taken).
    var identityChecked = false
}

/// What became of a scan.
enum ScanResult: Sendable {
    case applied(ItemRecord, ItemEventRecord)
    /// The same event again: nothing recorded.
    case repeated(ItemRecord, ItemEventRecord)
    case illegal(ItemRecord, allowed: [ItemEventCode])
    case tooEarlyToReturn(ItemRecord, failedAttempts: Int)
    /// A failed delivery's invitation has not reached the citizen yet: the result stays until it has.
    case invitationsWaiting(ItemRecord)
    /// Dated before the item's last event: a journey is recorded in the order it happened, and a back-dated
    /// failed attempt would make the two working days between attempts look kept.
    case beforeLastEvent(ItemRecord, lastEventAt: Date)
    /// Refused by the item's route (`ItemRoute`): nothing recorded.
    case offRoute(ItemRoute.Refusal)
    case notFound
}

extension AppDatabase {
    /// Records one scan in one transaction, if the item's status allows it. `reference` gives the working days and
    /// the J + n table. `audit` is written with the event (201). `invitesByMessage`: a provider carries notices, so a
    /// citizen who agreed to them is invited by them, and a result waits for its invitations before it goes back.
    func recordScan(
        _ scan: ScanRequest, by role: StaffIdentity.Role, recordedAt: Date, reference: ReferenceData, invitesByMessage: Bool = false,
        audit: AuditSlot? = nil
    ) async throws -> ScanResult {
        let calendar = reference.calendar
        return try await write { db in
            guard var item = try ItemRecord.numbered(scan.trackingNumber).fetchOne(db) else {
                return .notFound
            }
            guard
                let dossier = try Row.fetchOne(
                    db, sql: "SELECT officeCode, agencyCode, service FROM dossier WHERE id = ?", arguments: [item.dossierId])
            else { return .notFound }
            let route = ItemRoute(
                intakeOffice: dossier["officeCode"], servingOffice: reference.agency(dossier["agencyCode"])?.servingOfficeCode,
                transit: reference.transitOffices)
            if let refusal = route.refusal(event: scan.event, at: scan.officeCode, role: role, note: scan.note, item: item) {
                return .offRoute(refusal)
            }
            let events = try ItemEventRecord.filter { $0.itemId == item.id! }.order(\.id).fetchAll(db)
            let failedDays = events.filter { $0.code == .deliveryFailed }.map { LocalDate($0.occurredAt) }
            let outcome = ItemTransitions.decide(
                scan.event, kind: item.kind, status: item.status, lastEvent: events.last?.code,
                failedAttemptDays: failedDays, calendar: calendar)
            // Five minutes of slack, as for a scan dated in the future: a result's first event is the one-stop's time,
            // and its clock may run a little ahead of ours.
            if outcome != .repeated, let last = events.last, scan.occurredAt < last.occurredAt.addingTimeInterval(-300) {
                return .beforeLastEvent(item, lastEventAt: last.occurredAt)
            }
            switch outcome {
            case .repeated:
                return .repeated(item, events.last!)
            case .illegal:
                return .illegal(item, allowed: ItemTransitions.allowed(from: item.status, kind: item.kind))
            case .tooEarlyToReturn:
                return .tooEarlyToReturn(item, failedAttempts: failedDays.count)
            case .apply:
                // TT17 Art 5.2h: a citizen who agreed to messages is invited by them; the result goes back only once the
                // invitations have gone (or were given up on where a supervisor sees them).
                if invitesByMessage, scan.event == .returnedToAgency, try Self.invitationsWaiting(dossierId: item.dossierId, in: db) > 0 {
                    return .invitationsWaiting(item)
                }
                let event = try Self.apply(
                    scan.event, to: &item, earlier: events.map(\.code), occurredAt: scan.occurredAt, officeCode: scan.officeCode,
                    actor: scan.actor, note: scan.note, identityChecked: scan.identityChecked, recordedAt: recordedAt, reference: reference,
                    in: db)
                try audit?.append(outcome: 201, at: recordedAt, in: db)
                return .applied(item, event)
            }
        }
    }

    /// Records an event the item's status allows (`ItemTransitions`), in the caller's transaction: the event with its
    /// delivery attempt, the item's new status and place, a result's new J when it is picked up, and the progress report
    /// the one-stop follows a result by. For a scan and for a signed pickup biên bản alike.
    static func apply(
        _ code: ItemEventCode, to item: inout ItemRecord, earlier: [ItemEventCode], occurredAt: Date, officeCode: String, actor: String,
        note: String?, identityChecked: Bool, recordedAt: Date, reference: ReferenceData, in db: Database
    ) throws -> ItemEventRecord {
        let attempt = ReturnProgress.attempt(of: code, after: earlier)
        let numbersAttempt = [.outForDelivery, .deliveryFailed, .delivered].contains(code)
        var event = ItemEventRecord(
            itemId: item.id!, code: code, upuCode: code.upuCode, occurredAt: occurredAt, officeCode: officeCode, actor: actor, note: note,
            recordedAt: recordedAt, attempt: numbersAttempt ? attempt : nil, identityChecked: code == .delivered && identityChecked ? true : nil)
        try event.insert(db)
        item.status = ItemTransitions.status(after: code)
        item.officeCode = officeCode
        item.updatedAt = recordedAt
        guard item.kind == .result,
            let dossier = try Row.fetchOne(db, sql: "SELECT service, transitScope FROM dossier WHERE id = ?", arguments: [item.dossierId])
        else {
            try item.update(db, columns: ["status", "officeCode", "updatedAt"])
            return event
        }
        // A result's J is the day it is taken from the agency, on the new Phiếu signed then (TT17 Art 7): the due date
        // planned when the result was ready counted from a day the post did not have it yet.
        if code == .pickedUp, let scope = TransitScope(rawValue: dossier["transitScope"]) {
            item.dueDate = reference.dueDate(from: LocalDate(occurredAt), scope: scope).description
        }
        try item.update(db, columns: ["status", "officeCode", "updatedAt", "dueDate"])
        // The one-stop follows the result's return: the same transaction queues the progress report, by the dossier's
        // item number (call 3) or, for a result-only order, by its mã hồ sơ (call 7).
        if let state = ReturnProgress.State(code) {
            let progress = ReturnProgress(resultNumber: item.trackingNumber, state: state, at: occurredAt, attempt: attempt, note: note ?? "")
            let resultOnly = dossier["service"] == ServiceType.resultOnly.rawValue
            try OutboxMessageRecord.enqueue(
                dossierId: item.dossierId, kind: resultOnly ? .reportOrderProgress : .reportReturnProgress, payload: progress.json(),
                at: recordedAt, in: db)
        }
        try notifyResultJourney(
            code, item: item, occurredAt: occurredAt, officeCode: officeCode, reference: reference, recordedAt: recordedAt, in: db)
        return event
    }

    /// The milestones of a result's journey the citizen is told of. A failed delivery's notice is the invitation of
    /// TT17 Art 5.2h: where to collect the result, and until the day the next attempt may be made.
    private static func notifyResultJourney(
        _ code: ItemEventCode, item: ItemRecord, occurredAt: Date, officeCode: String, reference: ReferenceData, recordedAt: Date,
        in db: Database
    ) throws {
        switch code {
        case .pickedUp:
            try notify(
                .resultOnItsWay, dossierId: item.dossierId, values: ["day": item.dueDate.map(LocalDate.vietnameseForm) ?? ""], at: recordedAt, in: db)
        case .deliveryFailed:
            let until = reference.calendar.adding(workingDays: ItemTransitions.workingDaysBetweenAttempts, to: LocalDate(occurredAt))
            try notify(
                .deliveryFailed, dossierId: item.dossierId, values: ["officeCode": officeCode, "until": LocalDate.vietnameseForm(until.description)],
                at: recordedAt, in: db)
        case .heldAtOffice:
            try notify(.heldAtOffice, dossierId: item.dossierId, values: ["officeCode": officeCode], at: recordedAt, in: db)
        case .delivered:
            try notify(.delivered, dossierId: item.dossierId, at: recordedAt, in: db)
        default: break
        }
    }
}
