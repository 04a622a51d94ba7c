import Foundation
import Hummingbird

/// Biên bản giao nhận: `POST /api/v1/handovers` opens one for items arrived for an agency, `POST …/{id}/sign`
/// hands them all over at the instant of signing, `POST …/{id}/cancel` frees the items of one the desk would not
/// take, `GET …/{id}` and `GET …/{id}/manifest` show and print it. The same under `/api/v1/pickup-manifests` for the
/// results an office's courier collects at a desk in one batch: signing picks every one up at that instant.
struct HandoverController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData
    let templates: LabelTemplates
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int
    var direction: HandoverDirection = .dossiers

    static let maxItems = 500

    /// The collection's path: `handovers` or `pickup-manifests`.
    var path: String { Self.path(direction) }
    static func path(_ direction: HandoverDirection) -> String { direction == .dossiers ? "handovers" : "pickup-manifests" }
    /// The desk officer's signature field: the desk receives dossiers, or hands results over.
    var signerField: String { direction == .dossiers ? "receivedBy" : "handedOverBy" }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(RouterPath(path), use: open)
        group.get(RouterPath(path), use: list)
        group.get(RouterPath("\(path)/{id}"), use: show)
        group.post(RouterPath("\(path)/{id}/sign"), use: sign)
        group.post(RouterPath("\(path)/{id}/cancel"), use: cancel)
        group.get(RouterPath("\(path)/{id}/manifest"), use: manifest)
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        let body = try await request.jsonBody(limit: maxBodyBytes)
        var check = FieldChecker()
        let form = try FieldChecker.form(body)
        check.refuseUnknown(form, allowed: ["agencyCode", "officeCode", "trackingNumbers"], at: "")
        let agency = check.string(form["agencyCode"], at: "agencyCode", maxLength: 40).flatMap { code in
            reference.agency(code)
                ?? {
                    check.report(FieldIssue("agencyCode", .unknownAgency, code))
                    return nil
                }()
        }
        let office = check.office(form["officeCode"], at: "officeCode", in: reference)
        // Each number with its place in the request, so that every refusal names the entry it is about.
        var entries: [(index: Int, number: TrackingNumber)] = []
        if let list = check.array(form["trackingNumbers"], at: "trackingNumbers") {
            if list.isEmpty { check.report(FieldIssue("trackingNumbers", .empty)) }
            if list.count > Self.maxItems { check.report(FieldIssue("trackingNumbers", .tooMany, String(Self.maxItems))) }
            var seen: Set<TrackingNumber> = []
            for (index, value) in list.prefix(Self.maxItems).enumerated() {
                let path = "trackingNumbers[\(index)]"
                guard let text = check.string(value, at: path, maxLength: 13), let number = check.trackingNumber(text, at: path) else { continue }
                if !seen.insert(number).inserted {
                    check.report(FieldIssue(path, .duplicateItem, number.description))
                    continue
                }
                entries.append((index, number))
            }
        }
        // A missing or unknown office is a bad field like the others, named with them; another office's handovers
        // are not found, as everywhere for staff of one office.
        if let office, !context.staff.mayAct(at: office.code) { throw Problem.notFound(vi: "Không tìm thấy.", en: "Not found.") }
        guard let agency, let office else { throw Problem.validation(check.issues) }

        // The items are checked against the ledger even when the request has other faults, so one answer names them all.
        switch try await database.openHandover(
            direction: direction, agencyCode: agency.code, officeCode: office.code, trackingNumbers: entries.map(\.number),
            createdBy: context.staff.name, at: LocalTime.millisecondPrecision(clock()),
            checkOnly: !check.issues.isEmpty, tellsOtherOffices: context.staff.officeCode == nil,
            audit: context.audit)
        {
        case .success(let detail):
            return view(detail).response(status: .created)
        case .failure(let refusals):
            let ledgerIssues = refusals.byIndex.map { position, refusal in
                let path = "trackingNumbers[\(entries[position].index)]"
                let number = entries[position].number.description
                return switch refusal {
                case .unknownItem: FieldIssue(path, .itemUnknown, number)
                case .notADossierItem: FieldIssue(path, .notADossierItem, number)
                case .notArrived(let status): FieldIssue(path, .itemNotArrived, number, status.rawValue)
                case .notAResultItem: FieldIssue(path, .notAResultItem, number)
                case .notWaitingAtDesk(let status): FieldIssue(path, .resultNotWaitingAtDesk, number, status.rawValue)
                case .otherAgency(let code): FieldIssue(path, .itemOfOtherAgency, number, code)
                case .otherOffice(let code): FieldIssue(path, .itemAtOtherOffice, number, code)
                case .onOpenManifest(let manifest): FieldIssue(path, .itemOnOpenManifest, number, manifest)
                }
            }
            throw Problem.validation((check.issues + ledgerIssues).sorted { $0.field < $1.field })
        }
    }

    @Sendable func sign(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        let id = try Self.id(context)
        let body = try await request.jsonBody(limit: maxBodyBytes)
        var check = FieldChecker()
        let form = try FieldChecker.form(body)
        check.refuseUnknown(form, allowed: [signerField], at: "")
        let receivedBy = check.string(form[signerField], at: signerField, maxLength: 100)
        guard check.issues.isEmpty, let receivedBy else { throw Problem.validation(check.issues) }

        switch try await database.signHandover(
            id: id, direction: direction, receivedBy: receivedBy, signedBy: context.staff.name,
            officeScope: context.staff.officeCode, at: LocalTime.millisecondPrecision(clock()), reference: reference, audit: context.audit)
        {
        case .signed(let detail):
            return view(detail).response(status: .ok)
        case .alreadySigned(let detail):
            return view(detail).response(status: .ok)
        case .signedByOther(let detail):
            throw Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Biên bản \(detail.handover.number) đã được ký nhận trước đó."
                    : "Manifest \(detail.handover.number) was already signed."
            }
        case .itemsMoved(let moved):
            throw Problem(.conflict, .conflict) { language in
                let list = moved.map { "\($0.0) (\($0.1.rawValue))" }.joined(separator: ", ")
                return language == .vi
                    ? "Có bưu gửi không còn chờ bàn giao: \(list). Hãy hủy biên bản này rồi lập biên bản mới."
                    : "Some items are no longer waiting to be handed over: \(list). Cancel this manifest and make a new one."
            }
        case .cancelled(let detail):
            throw Self.cancelled(detail.handover.number)
        case .notFound:
            throw Self.notFound(id)
        }
    }

    /// Frees the items of an open manifest, audited like every staff write; a signed one is refused.
    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.staff.require(.supervisor)
        let id = try Self.id(context)
        switch try await database.cancelHandover(
            id: id, direction: direction, cancelledBy: context.staff.name, officeScope: context.staff.officeCode,
            at: LocalTime.millisecondPrecision(clock()), audit: context.audit)
        {
        case .cancelled(let detail), .alreadyCancelled(let detail):
            return view(detail).response(status: .ok)
        case .signed(let detail):
            throw Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Biên bản \(detail.handover.number) đã được ký nhận: đó là hồ sơ nộp, không hủy được."
                    : "Manifest \(detail.handover.number) is signed: it records the filing and cannot be cancelled."
            }
        case .notFound:
            throw Self.notFound(id)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        guard let detail = try await database.handoverDetail(id: id), detail.handover.direction == direction,
            context.staff.mayAct(at: detail.handover.officeCode)
        else {
            throw Self.notFound(id)
        }
        return view(detail).response(status: .ok)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let office = try context.staff.office(asked: request.uri.queryParameters["officeCode"].map(String.init))
        let handovers = try await database.handovers(direction: direction, officeCode: office, limit: 100)
        return .json(.object([direction == .dossiers ? "handovers" : "manifests": .array(handovers.map { HandoverView.summary($0) })]))
    }

    /// The printable manifest (A4 HTML), from the province's template in `labels/`.
    @Sendable func manifest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        guard let detail = try await database.handoverDetail(id: id), detail.handover.direction == direction,
            context.staff.mayAct(at: detail.handover.officeCode),
            let agency = reference.agency(detail.handover.agencyCode), let office = reference.office(detail.handover.officeCode)
        else { throw Self.notFound(id) }
        // A cancelled manifest printed would look like one to sign.
        if detail.handover.isCancelled { throw Self.cancelled(detail.handover.number) }
        if direction == .results {
            return printable(templates.pickupManifest.render(PickupManifestData(detail, agency: agency, office: office).context))
        }
        let data = ManifestData(
            number: detail.handover.number, agency: agency, office: office, createdAt: detail.handover.createdAt,
            signedAt: detail.handover.signedAt, receivedBy: detail.handover.receivedBy,
            lines: detail.lines.map { line in
                let documents = line.dossier.documents
                return ManifestData.Line(
                    trackingNumber: line.item.trackingNumber, procedureName: line.dossier.procedureName,
                    originals: documents.filter { $0.kind == .original }.reduce(0) { $0 + $1.copies },
                    copies: documents.filter { $0.kind != .original }.reduce(0) { $0 + $1.copies },
                    administrativeFee: line.dossier.administrativeFee)
            })
        return printable(templates.manifest.render(data.context))
    }

    private func printable(_ html: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: ContentSecurityPolicy.printable,
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private func view(_ detail: HandoverDetail) -> HandoverView { HandoverView(detail, reference: reference) }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else {
            throw Problem.malformed(FieldIssue("id", .wrongType, "integer", "string"), vi: "Mã biên bản không hợp lệ.", en: "Not a manifest id.")
        }
        return id
    }

    static func cancelled(_ number: String) -> Problem {
        Problem(.conflict, .conflict) { language in
            language == .vi ? "Biên bản \(number) đã bị hủy; hãy lập biên bản mới." : "Manifest \(number) was cancelled; make a new one."
        }
    }

    static func notFound(_ id: Int64) -> Problem {
        Problem.notFound(vi: "Không có biên bản \(id).", en: "No manifest \(id).")
    }
}
