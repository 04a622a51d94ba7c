import Foundation
import Hummingbird

/// `POST /api/v1/scans`: a scanner (or the scan station page) reports what happened to an item.
struct ScanController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int
    /// Whether a provider carries notices: only then are failed deliveries' invitations messages to wait for.
    var invitesByMessage = false

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("scans", use: scan)
    }

    @Sendable func scan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = LocalTime.millisecondPrecision(clock())
        let scan = try ScanRequest.parse(
            try await request.jsonBody(limit: maxBodyBytes), reference: reference, now: now,
            actor: context.staff.name)
        // A scan is made at the scanner's own office, and only of an item whose route passes there (`ItemRoute`).
        guard context.staff.mayAct(at: scan.officeCode) else { throw Problem.notFound(vi: "Không tìm thấy bưu cục.", en: "No such office.") }
        switch try await database.recordScan(
            scan, by: context.staff.role, recordedAt: now, reference: reference, invitesByMessage: invitesByMessage, audit: context.audit)
        {
        case .applied(let item, let event):
            return ScanView(item: item, event: event, recorded: true, language: Language(request)).response(status: .created)
        case .repeated(let item, let event):
            return ScanView(item: item, event: event, recorded: false, language: Language(request)).response(status: .ok)
        case .illegal(let item, let allowed):
            var problem = Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Không thể ghi \(scan.event.rawValue) cho \(item.trackingNumber) khi đang \(item.status.words(.vi).lowercased())."
                    : "\(item.trackingNumber) cannot take \(scan.event.rawValue) while \(item.status.rawValue)."
            }
            problem.currentStatus = item.status.rawValue
            problem.allowedEvents = allowed.map(\.rawValue)
            throw problem
        case .tooEarlyToReturn(let item, let failedAttempts):
            var problem = Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Chỉ hoàn trả cơ quan sau ít nhất hai lần phát không thành công cách nhau hai ngày làm việc (đã có \(failedAttempts) lần)."
                    : "A result goes back to the agency only after two failed attempts two working days apart (\(failedAttempts) so far)."
            }
            problem.currentStatus = item.status.rawValue
            problem.allowedEvents = ItemTransitions.allowed(from: item.status, kind: item.kind).filter { $0 != .returnedToAgency }.map(\.rawValue)
            throw problem
        case .invitationsWaiting(let item):
            var problem = Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Giấy mời nhận kết quả chưa gửi được đến người nhận: chưa hoàn trả cơ quan được (xem tin nhắn của hồ sơ)."
                    : "An invitation to collect the result has not reached the citizen yet: it cannot go back to the agency (see the dossier's messages)."
            }
            problem.currentStatus = item.status.rawValue
            problem.allowedEvents = ItemTransitions.allowed(from: item.status, kind: item.kind).filter { $0 != .returnedToAgency }.map(\.rawValue)
            throw problem
        case .beforeLastEvent(_, let lastEventAt):
            throw Problem.validation([FieldIssue("at", .timeBeforeLastEvent, LocalTime.iso(lastEventAt))])
        case .notFound, .offRoute(.hidden):
            throw Problem.notFound(vi: "Không có bưu gửi \(scan.trackingNumber).", en: "No item \(scan.trackingNumber).")
        case .offRoute(.needsNote):
            throw Problem.validation([FieldIssue("note", .noteRequiredOffRoute, scan.officeCode)])
        case .offRoute(.notDelivering(let office)):
            throw Problem(.forbidden, .forbidden) { language in
                language == .vi
                    ? "Chỉ bưu cục đang phát bưu gửi (\(office)) mới ghi được kết quả phát."
                    : "Only the office delivering the item (\(office)) records how the delivery went."
            }
        }
    }
}

/// The answer to a scan: where the item is now and what it may take next.
struct ScanView {
    let item: ItemRecord
    let event: ItemEventRecord
    let recorded: Bool
    /// The language of `statusText`, which the scan station shows the clerk.
    let language: Language

    var json: JSONValue {
        .object([
            "trackingNumber": .string(item.trackingNumber),
            "kind": .string(item.kind.rawValue),
            "event": .string(event.code.rawValue),
            "upuCode": event.upuCode.map(JSONValue.string) ?? .null,
            "at": .string(LocalTime.iso(event.occurredAt)),
            "officeCode": .string(event.officeCode),
            "status": .string(item.status.rawValue),
            "statusText": .string(item.status.words(language)),
            "recorded": .bool(recorded),
            "allowedNext": .array(ItemTransitions.allowed(from: item.status, kind: item.kind).map { .string($0.rawValue) }),
        ])
    }

    func response(status: HTTPResponse.Status) -> Response {
        .json(json, status: status, headers: [.cacheControl: "no-store"])
    }
}
