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
        try await write { db in
            guard var item = try ItemRecord.numbered(scan.trackingNumber).fetchOne(db) else {
                return .notFound
            }
            guard let dossier = try Row.fetchOne(db, sql: "SELECT officeCode, agencyCode FROM dossier WHERE id = ?", arguments: [item.dossierId])
            else { return .notFound }
            let events = try ItemEventRecord.filter { $0.itemId == item.id! }.order(\.id).fetchAll(db)
            if let answer = Self.scanAnswer(
                scan, by: role, item: item, intakeOffice: dossier["officeCode"], agencyCode: dossier["agencyCode"], events: events,
                reference: reference)
            {
                return answer
            }
            // TT17 Art 5.2h: a citizen who agreed to messages is invited by them; the result goes back only once the
            // invitations have gone (or were given up on where a supervisor sees them).
            if invitesByMessage, scan.event == .returnedToAgency, try Self.invitationsWaiting(dossierId: item.dossierId, in: db) > 0 {
                return .invitationsWaiting(item)
            }
            let event = try Self.apply(
                scan.event, to: &item, earlier: events.map(\.code), occurredAt: scan.occurredAt, officeCode: scan.officeCode, actor: scan.actor,
                note: scan.note, identityChecked: scan.identityChecked, recordedAt: recordedAt, reference: reference, in: db)
            try audit?.append(outcome: 201, at: recordedAt, in: db)
            return .applied(item, event)
        }
    }

    /// What a scan comes to against the item's route, status and journey so far (`events`, in order): the answer when it
    /// is refused or repeats the last event, nil when it applies. The same on either backend.
    static func scanAnswer(
        _ scan: ScanRequest, by role: StaffIdentity.Role, item: ItemRecord, intakeOffice: String, agencyCode: String, events: [ItemEventRecord],
        reference: ReferenceData
    ) -> ScanResult? {
        let route = ItemRoute(
            intakeOffice: intakeOffice, servingOffice: reference.agency(agencyCode)?.servingOfficeCode, transit: reference.transitOffices)
        if let refusal = route.refusal(event: scan.event, at: scan.officeCode, role: role, note: scan.note, item: item) {
            return .offRoute(refusal)
        }
        let failedDays = events.filter { $0.code == .deliveryFailed }.map { LocalDate($0.occurredAt) }
        let outcome = ItemTransitions.decide(
            scan.event, kind: item.kind, status: item.status, lastEvent: events.last?.code, failedAttemptDays: failedDays,
            calendar: reference.calendar)
        // Five minutes of slack, as for a scan dated in the future: a result's first event is the one-stop's time,
        // and its clock may run a little ahead of ours.
        if outcome != .repeated, let last = events.last, scan.occurredAt < last.occurredAt.addingTimeInterval(-300) {
            return .beforeLastEvent(item, lastEventAt: last.occurredAt)
        }
        switch outcome {
        case .repeated: return .repeated(item, events.last!)
        case .illegal: return .illegal(item, allowed: ItemTransitions.allowed(from: item.status, kind: item.kind))
        case .tooEarlyToReturn: return .tooEarlyToReturn(item, failedAttempts: failedDays.count)
        case .apply: return nil
        }
    }

    /// Records an event the item's status allows (`ItemTransitions`), in the caller's transaction: the event with its
    /// delivery attempt, the item's new status and place, a result's new J when it is picked up, and the progress report
    /// the one-stop follows a result by. For a scan and for a signed pickup biên bản alike.
    static func apply(
        _ code: ItemEventCode, to item: inout ItemRecord, earlier: [ItemEventCode], occurredAt: Date, officeCode: String, actor: String,
        note: String?, identityChecked: Bool, recordedAt: Date, reference: ReferenceData, in db: Database
    ) throws -> ItemEventRecord {
        var event = step(
            code, of: &item, earlier: earlier, occurredAt: occurredAt, officeCode: officeCode, actor: actor, note: note,
            identityChecked: identityChecked, recordedAt: recordedAt)
        try event.insert(db)
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
        // The one-stop follows the result's return: the same transaction queues the progress report.
        let resultOnly = dossier["service"] == ServiceType.resultOnly.rawValue
        if var progress = progressReport(of: event, earlier: earlier, item: item, note: note, resultOnly: resultOnly) {
            try progress.insert(db)
        }
        if let notice = resultJourneyNotice(code, item: item, occurredAt: occurredAt, officeCode: officeCode, reference: reference) {
            try notify(notice.milestone, dossierId: item.dossierId, values: notice.values, at: recordedAt, in: db)
        }
        return event
    }

    /// The event `code` makes of the item, and the item's new status and place: what an applied event writes.
    static func step(
        _ code: ItemEventCode, of item: inout ItemRecord, earlier: [ItemEventCode], occurredAt: Date, officeCode: String, actor: String,
        note: String?, identityChecked: Bool, recordedAt: Date
    ) -> ItemEventRecord {
        let numbersAttempt = [.outForDelivery, .deliveryFailed, .delivered].contains(code)
        item.status = ItemTransitions.status(after: code)
        item.officeCode = officeCode
        item.updatedAt = recordedAt
        return ItemEventRecord(
            itemId: item.id!, code: code, upuCode: code.upuCode, occurredAt: occurredAt, officeCode: officeCode, actor: actor, note: note,
            recordedAt: recordedAt, attempt: numbersAttempt ? ReturnProgress.attempt(of: code, after: earlier) : nil,
            identityChecked: code == .delivered && identityChecked ? true : nil)
    }

    /// The progress report the one-stop follows a result's return by, when the event is one it is told of: by the
    /// dossier's item number (call 3) or, for a result-only order, by its mã hồ sơ (call 7).
    static func progressReport(
        of event: ItemEventRecord, earlier: [ItemEventCode], item: ItemRecord, note: String?, resultOnly: Bool
    ) -> OutboxMessageRecord? {
        guard let state = ReturnProgress.State(event.code) else { return nil }
        let progress = ReturnProgress(
            resultNumber: item.trackingNumber, state: state, at: event.occurredAt, attempt: ReturnProgress.attempt(of: event.code, after: earlier),
            note: note ?? "")
        return .pending(
            dossierId: item.dossierId, kind: resultOnly ? .reportOrderProgress : .reportReturnProgress, payload: progress.json(),
            at: event.recordedAt)
    }

    /// The milestones of a result's journey the citizen is told of, with the values their message needs. A failed
    /// delivery's notice is the invitation of TT17 Art 5.2h: where to collect the result, and until the day the next
    /// attempt may be made.
    static func resultJourneyNotice(
        _ code: ItemEventCode, item: ItemRecord, occurredAt: Date, officeCode: String, reference: ReferenceData
    ) -> (milestone: NoticeMilestone, values: [String: String])? {
        switch code {
        case .pickedUp:
            return (.resultOnItsWay, ["day": item.dueDate.map(LocalDate.vietnameseForm) ?? ""])
        case .deliveryFailed:
            let until = reference.calendar.adding(workingDays: ItemTransitions.workingDaysBetweenAttempts, to: LocalDate(occurredAt))
            return (.deliveryFailed, ["officeCode": officeCode, "until": LocalDate.vietnameseForm(until.description)])
        case .heldAtOffice:
            return (.heldAtOffice, ["officeCode": officeCode])
        case .delivered:
            return (.delivered, [:])
        default:
            return nil
        }
    }
}
