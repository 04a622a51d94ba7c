import Foundation
import Hummingbird

/// The notices to citizens, for staff: a dossier's messages (`GET /api/v1/dossiers/{trackingNumber}/notices`), and
/// for supervisors those that gave up (`GET /api/v1/notices?state=dead`) and their requeue
/// (`POST /api/v1/notices/{id}/requeue`). Phones are masked in every list.
struct NoticeController: Sendable {
    let database: AppDatabase
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int

    struct NoticeView: Encodable {
        let id: Int64
        let trackingNumber: String
        let milestone: String
        let milestoneText: String
        let channel: String
        let phone: String
        let state: String
        let attempts: Int
        let lastError: String?
        let sentVia: String?
        let sentAt: String?
        /// As sent (a PIN masked); nil until sent.
        let text: String?
        let createdAt: String
        let updatedAt: String

        init(_ listing: NoticeListing, language: Language) {
            let notice = listing.notice
            id = notice.id!
            trackingNumber = listing.trackingNumber
            milestone = notice.milestone.rawValue
            milestoneText = language == .vi ? notice.milestone.words.vi : notice.milestone.words.en
            channel = notice.channel.rawValue
            phone = listing.maskedPhone
            state = notice.state.rawValue
            attempts = notice.attempts
            lastError = notice.lastError
            sentVia = notice.sentVia?.rawValue
            sentAt = notice.sentAt.map(LocalTime.iso)
            text = notice.text
            createdAt = LocalTime.iso(notice.createdAt)
            updatedAt = LocalTime.iso(notice.updatedAt)
        }
    }

    struct Listing: ResponseEncodable {
        let items: [NoticeView]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("notices", use: list)
        group.post("notices/{id}/requeue", use: requeue)
        group.get("dossiers/{trackingNumber}/notices", use: ofDossier)
        group.put("dossiers/{trackingNumber}/notifications", use: changeConsent)
    }

    struct Consent: ResponseEncodable {
        let trackingNumber: String
        let notifications: String
    }

    /// `PUT /api/v1/dossiers/{trackingNumber}/notifications` `{"notifications": "zalo" | "sms" | "none"}`: the citizen
    /// changes their mind at the counter.
    @Sendable func changeConsent(_ request: Request, context: AppRequestContext) async throws -> Consent {
        let trackingNumber = try TrackingNumber(path: context.parameters.require("trackingNumber"))
        let form = try FieldChecker.form(try await request.jsonBody(limit: maxBodyBytes))
        var check = FieldChecker()
        check.refuseUnknown(form, allowed: ["notifications"], at: "")
        let consent: NoticeConsent? = check.choice(form["notifications"], at: "notifications")
        guard check.issues.isEmpty, let consent else { throw Problem.validation(check.issues) }
        guard
            try await database.changeConsent(
                ofDossierWithItem: trackingNumber.description, to: consent.channel, officeCode: context.staff.officeCode, now: clock(),
                audit: context.audit) != nil
        else { throw Problem.notFound(vi: "Không có bưu gửi \(trackingNumber).", en: "No item \(trackingNumber).") }
        return Consent(trackingNumber: trackingNumber.description, notifications: consent.rawValue)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Listing {
        try context.staff.require(.supervisor)
        let (state, limit) = try OutboxController.stateAndLimit(request, among: NoticeRecord.State.allCases, default: .dead)
        let notices = try await database.notices(state: state, officeCode: context.staff.officeCode, limit: limit)
        return Listing(items: notices.map { NoticeView($0, language: Language(request)) })
    }

    @Sendable func ofDossier(_ request: Request, context: AppRequestContext) async throws -> Listing {
        let trackingNumber = try TrackingNumber(path: context.parameters.require("trackingNumber"))
        guard let found = try await database.notices(ofDossierWithItem: trackingNumber.description, officeCode: context.staff.officeCode) else {
            throw Problem.notFound(vi: "Không có bưu gửi \(trackingNumber).", en: "No item \(trackingNumber).")
        }
        return Listing(items: found.notices.map { NoticeView($0, language: Language(request)) })
    }

    @Sendable func requeue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        let id = try OutboxController.messageId(context)
        guard try await database.requeueDeadNotice(id: id, officeCode: context.staff.officeCode, now: clock(), audit: context.audit) else {
            throw Problem.notFound(vi: "Không có tin nhắn chết mã \(id).", en: "No dead notice \(id).")
        }
        return OutboxController.requeued(id)
    }
}
