import Foundation
import Hummingbird
import Mustache

/// The staff pages (counter intake, scan station, handovers), server-rendered in Vietnamese, and their
/// static files. The pages call the JSON API for every change, so the rules live in one place.
struct WebController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData
    let pages: WebTemplates
    let staticFiles: StaticFiles
    let clock: @Sendable () -> Date

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("counter", use: counter)
        router.get("scan", use: scan)
        router.get("handovers", use: handovers)
        router.get("handovers/{id}", use: handover)
        router.get("account", use: account)
        router.get("notices/{trackingNumber}", use: notices)
    }

    func addStaticRoutes(to router: Router<AppRequestContext>) {
        router.get("static/{file}", use: staticFile)
    }

    @Sendable func counter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let offices = reference.offices.filter { context.staff.mayAct(at: $0.code) }
        let today = LocalDate(clock())
        // The procedure's published documents (a | between them, as in procedures.csv) become rows the clerk ticks
        // as handed in (counter.js); its level and whether its result may come by post filter the rest of the form.
        let procedures: [[String: Any]] = reference.procedures.filter(\.dossierByPost).map {
            [
                "code": $0.code, "name": $0.name, "fee": $0.fee, "documents": $0.documents.joined(separator: "|"), "level": $0.level.rawValue,
                "resultByPost": $0.resultByPost,
            ]
        }
        // Only desks open today, each with the level of procedures it takes.
        let agencies: [[String: Any]] = reference.agencies(openOn: today).map {
            ["code": $0.code, "name": $0.name, "level": $0.level.procedureLevel?.rawValue ?? ""]
        }
        let units: [[String: Any]] = reference.map.units(inForceOn: today).sorted {
            $0.name.compare($1.name, locale: Locale(identifier: "vi_VN")) == .orderedAscending
        }.map {
            ["code": $0.code, "name": $0.fullName]
        }
        // Addresses outside the map name their province only.
        let inTheMap = Set(reference.map.units(inForceOn: today).map(\.provinceCode))
        let provinces: [[String: Any]] = reference.provinces.filter { !inTheMap.contains($0.key) }.sorted { $0.key < $1.key }.map {
            ["code": $0.key, "name": $0.value]
        }
        return page(
            pages.counter, for: context.staff,
            [
                // A fresh key per rendered form: resubmitting the same form can never make a second dossier (or order).
                "idempotencyKey": UUID().uuidString, "orderKey": UUID().uuidString,
                "offices": offices.map { ["code": $0.code, "name": $0.name] },
                "procedures": procedures, "agencies": agencies, "units": units, "provinces": provinces,
                "documentRows": (0..<3).map { ["index": $0, "number": $0 + 1] },
            ] as [String: Any])
    }

    /// Where a staff member changes their own password (`PasswordController` does the change).
    @Sendable func account(_ request: Request, context: AppRequestContext) async throws -> Response {
        page(pages.account, for: context.staff, ["minimumLength": PasswordHasher.minimumLength])
    }

    @Sendable func scan(_ request: Request, context: AppRequestContext) async throws -> Response {
        page(
            pages.scan, for: context.staff,
            [
                "offices": reference.offices.filter { context.staff.mayAct(at: $0.code) }.map { ["code": $0.code, "name": $0.name] },
                "events": ItemTransitions.scannable.map { ["code": $0.rawValue, "words": ItemTransitions.status(after: $0).words(.vi)] },
            ] as [String: Any])
    }

    @Sendable func handovers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let offices = reference.offices.filter { context.staff.mayAct(at: $0.code) }
        let asked = try context.staff.office(asked: request.uri.queryParameters["officeCode"].map(String.init))
        let office = offices.first { $0.code == asked } ?? offices.first
        var awaiting: [HandoverDetail.Line] = []
        if let office { awaiting = try await database.itemsAwaitingHandover(officeCode: office.code) }
        let groups = Dictionary(grouping: awaiting, by: { $0.dossier.agencyCode }).sorted { $0.key < $1.key }.map { code, lines -> [String: Any] in
            [
                "agencyCode": code, "agencyName": reference.agency(code)?.name ?? code, "officeCode": office?.code ?? "",
                "items": lines.map { ["trackingNumber": $0.item.trackingNumber, "procedureName": $0.dossier.procedureName] },
            ]
        }
        // Results waiting at the desks this office serves, for the courier to collect on a pickup biên bản.
        var pickups: [PendingPickup] = []
        if let office { pickups = try await database.pendingPickups(officeCode: office.code) }
        let pickupGroups = Dictionary(grouping: pickups, by: \.agencyCode).sorted { $0.key < $1.key }.map { code, lines -> [String: Any] in
            let items: [[String: Any]] = lines.map { pickup in
                [
                    "trackingNumber": pickup.trackingNumber, "oneStopCode": pickup.oneStopCode ?? "",
                    "cashOnDelivery": Money.formatted(pickup.cashOnDelivery),
                ]
            }
            return ["agencyCode": code, "agencyName": reference.agency(code)?.name ?? code, "officeCode": office?.code ?? "", "items": items]
        }
        func recent(_ direction: HandoverDirection) async throws -> [[String: Any]] {
            try await database.handovers(direction: direction, officeCode: office?.code, limit: 20).map { handover in
                [
                    "id": handover.id!, "number": handover.number, "agencyName": reference.agency(handover.agencyCode)?.name ?? handover.agencyCode,
                    "stateWords": handover.stateWords,
                ]
            }
        }
        return page(
            pages.handovers, for: context.staff,
            [
                "offices": offices.map { ["code": $0.code, "name": $0.name, "selected": $0.code == office?.code] as [String: Any] },
                "groups": groups, "pickupGroups": pickupGroups,
                "handovers": try await recent(.dossiers), "pickupManifests": try await recent(.results),
            ] as [String: Any])
    }

    @Sendable func handover(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try HandoverController.id(context)
        guard let detail = try await database.handoverDetail(id: id), context.staff.mayAct(at: detail.handover.officeCode) else {
            throw HandoverController.notFound(id)
        }
        let handover = detail.handover
        let results = handover.direction == .results
        return page(
            pages.handover, for: context.staff,
            [
                "id": handover.id!, "number": handover.number, "officeCode": handover.officeCode, "isResults": results,
                "apiPath": "/api/v1/\(HandoverController.path(handover.direction))",
                "title": results ? "Biên bản giao nhận kết quả" : "Biên bản giao nhận",
                "signerField": results ? "handedOverBy" : "receivedBy",
                "signerLabel": results ? "Họ tên cán bộ Bộ phận Một cửa giao kết quả" : "Họ tên cán bộ Bộ phận Một cửa ký nhận",
                "signButton": results ? "Xác nhận giao nhận (bưu điện nhận kết quả lúc này)" : "Xác nhận ký nhận (thời điểm nộp hồ sơ)",
                "agencyName": reference.agency(handover.agencyCode)?.name ?? handover.agencyCode,
                "isOpen": handover.isOpen, "isSigned": handover.isSigned, "isCancelled": handover.isCancelled, "stateWords": handover.stateWords,
                "signedAt": handover.signedAt.map(ReceiptData.vietnameseTime) ?? "", "receivedBy": handover.receivedBy ?? "",
                "cancelledAt": handover.cancelledAt.map(ReceiptData.vietnameseTime) ?? "", "cancelledBy": handover.cancelledBy ?? "",
                "items": detail.lines.enumerated().map { index, line -> [String: Any] in
                    [
                        "index": index + 1, "trackingNumber": line.item.trackingNumber, "procedureName": line.dossier.procedureName,
                        "statusWords": line.item.status.words(.vi),
                    ]
                },
            ] as [String: Any])
    }

    /// The messages sent (or waiting, or given up on) to a dossier's citizen, phones masked.
    @Sendable func notices(_ request: Request, context: AppRequestContext) async throws -> Response {
        let trackingNumber = try TrackingNumber(path: context.parameters.require("trackingNumber"))
        guard let (consent, notices) = try await database.notices(ofDossierWithItem: trackingNumber.description, officeCode: context.staff.officeCode)
        else { throw Problem.notFound(vi: "Không có bưu gửi \(trackingNumber).", en: "No item \(trackingNumber).") }
        let stateWords: [NoticeRecord.State: String] = [
            .pending: "Đang chờ gửi", .inFlight: "Đang gửi", .sent: "Đã gửi", .dead: "Không gửi được", .dropped: "Bỏ qua (đã cũ)",
        ]
        let channelWords: [NoticeChannel: String] = [.zalo: "Zalo", .sms: "SMS"]
        let consentWords =
            switch consent {
            case .zalo: "Người dân đồng ý nhận tin nhắn qua Zalo (không có Zalo thì SMS)."
            case .sms: "Người dân đồng ý nhận tin nhắn qua SMS."
            case nil: "Người dân không nhận tin nhắn."
            }
        return page(
            pages.notices, for: context.staff,
            [
                "trackingNumber": trackingNumber.description, "hasNotices": !notices.isEmpty,
                "consentWords": consentWords,
                "consent": [
                    ["value": "zalo", "label": "Zalo (không có Zalo thì SMS)", "selected": consent == .zalo],
                    ["value": "sms", "label": "SMS", "selected": consent == .sms],
                    ["value": "none", "label": "Không nhắn tin", "selected": consent == nil],
                ],
                "notices": notices.map { listing -> [String: Any] in
                    let notice = listing.notice
                    var row: [String: Any] = [
                        "milestone": notice.milestone.words.vi, "channel": channelWords[notice.sentVia ?? notice.channel] ?? "",
                        "phone": listing.maskedPhone, "state": stateWords[notice.state] ?? notice.state.rawValue, "text": notice.text ?? "",
                    ]
                    if let sentAt = notice.sentAt {
                        row["sentAt"] = ReceiptData.vietnameseTime(sentAt)
                        row["sentIso"] = LocalTime.iso(sentAt)
                    }
                    if notice.state != .sent, let error = notice.lastError { row["lastError"] = error }
                    return row
                },
            ] as [String: Any])
    }

    @Sendable func staticFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let file = staticFiles.files[context.parameters.get("file") ?? ""] else {
            throw Problem.notFound(vi: "Không có tệp này.", en: "No such file.")
        }
        return Response(
            status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }

    /// A staff page: `values`, and what every page's header needs (who is signed in, the CSRF token for the page's
    /// scripts, and whether to offer what supervisors may do).
    private func page(_ template: MustacheTemplate, for staff: StaffIdentity, _ values: [String: Any]) -> Response {
        var shared: [String: Any] = ["staffName": staff.name, "csrfToken": staff.csrfToken ?? "", "supervises": staff.role >= .supervisor]
        // Absent rather than nil: swift-mustache opens a section on a nil inside `Any`.
        shared["sandbox"] = pages.sandboxBanner
        return html(template.render(values.merging(shared) { $1 }))
    }

    private func html(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The pages' scripts and style sheet, read once from the executable's resources; only these names are served.
struct StaticFiles: Sendable {
    struct File: Sendable {
        let data: Data
        let contentType: String
    }

    let files: [String: File]

    static func load() throws -> StaticFiles {
        var files: [String: File] = [:]
        for (name, type) in [
            ("staff.css", "text/css; charset=utf-8"), ("track.css", "text/css; charset=utf-8"), ("counter.js", "text/javascript; charset=utf-8"),
            ("scan.js", "text/javascript; charset=utf-8"), ("handovers.js", "text/javascript; charset=utf-8"),
            ("notices.js", "text/javascript; charset=utf-8"),
            ("print.js", "text/javascript; charset=utf-8"),
            ("account.js", "text/javascript; charset=utf-8"), ("result-order.js", "text/javascript; charset=utf-8"),
        ] {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard
                let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Static")
                    ?? Bundle.module.url(forResource: parts[0], withExtension: parts[1])
            else { throw LabelTemplateError(file: name, reason: "is missing from the executable's resources") }
            files[name] = File(data: try Data(contentsOf: url), contentType: type)
        }
        return StaticFiles(files: files)
    }
}
