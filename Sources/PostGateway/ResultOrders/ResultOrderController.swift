import Foundation
import Hummingbird
import Logging

/// `POST /api/v1/result-orders`: a citizen brings the appointment slip of a dossier filed online or at the desk and
/// asks for the result at home. The one-stop is asked while the clerk waits (call 6): it alone knows whether the mã hồ
/// sơ exists, which desk holds it, and what the citizen still owes, and a receipt for an order it would refuse later
/// would send the citizen home with a promise the post cannot keep. So an unknown code, an existing order, a returned
/// result, and a one-stop that does not answer are all told to the clerk at once, and nothing is saved.
struct ResultOrderController: Sendable {
    let database: AppDatabase
    let client: OneStopClient
    let planner: ResultItemPlanner
    let pins: TrackingPins
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int
    let publicBaseURL: String
    let logger: Logger

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("result-orders", use: create)
        group.get("result-orders/refused-changes", use: refusedChanges)
    }

    /// The one-stop's changes refused after pickup, for the staff who must settle them with the desk.
    @Sendable func refusedChanges(_ request: Request, context: AppRequestContext) async throws -> Response {
        let office = try context.staff.office(asked: request.uri.queryParameters["officeCode"].map(String.init))
        // The office that settles a change is the one serving the desk, whatever office the item is at now.
        let desks = office.map { code in planner.reference.agencies.filter { $0.servingOfficeCode == code }.map(\.code) }
        let changes = try await database.refusedOrderChanges(officeCode: office, servedDesks: desks, limit: 200)
        return .json(
            .object([
                "changes": .array(
                    changes.map { change in
                        .object([
                            "dossierCode": .string(change.dossierCode), "trackingNumber": .string(change.trackingNumber),
                            "reason": .string(change.reason), "receivedAt": .string(LocalTime.iso(change.receivedAt)),
                            "officeCode": .string(change.officeCode),
                        ])
                    })
            ]))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.jsonBody(limit: maxBodyBytes)
        let now = LocalTime.millisecondPrecision(clock())
        let order = try CounterOrderRequest.parse(
            body, idempotencyKey: request.headers[.idempotencyKey], reference: planner.reference, pins: pins, on: LocalDate(now))
        guard context.staff.mayAct(at: order.office.code) else { throw Problem.notFound(vi: "Không tìm thấy.", en: "Not found.") }

        switch try await database.reserveCounterOrder(order, series: planner.series, at: now) {
        case .keyReused:
            throw Problem.validation([FieldIssue("Idempotency-Key", .idempotencyKeyReused)])
        case .alreadyOrdered(let number):
            throw Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Hồ sơ \(order.dossierCode) đã có đơn trả kết quả qua bưu điện\(number.isEmpty ? "" : " (số hiệu \(number))")."
                    : "Dossier \(order.dossierCode) has a result order already\(number.isEmpty ? "" : " (item \(number))")."
            }
        case .postalDossier(let number):
            throw Problem(.conflict, .conflict) { language in
                language == .vi
                    ? "Hồ sơ \(order.dossierCode) được gửi qua bưu điện (số hiệu \(number)): kết quả được trả theo dịch vụ đã chọn khi gửi."
                    : "Dossier \(order.dossierCode) was sent by post (item \(number)): its result returns as the service chosen then says."
            }
        case .completed(let dossierId):
            return try await receipt(dossierId, status: .ok, replayed: true)
        case .reserved(let reservation):
            switch await client.registerOrder(reservation.payload) {
            case .registered(let facts):
                if planner.reference.agency(facts.agencyCode) == nil {
                    // The order stands at the one-stop: it is kept, collected by the clerk's office, and said in the log.
                    logger.warning("the one-stop named a desk the reference data lacks", metadata: ["agencyCode": "\(facts.agencyCode)"])
                }
                switch try await database.completeCounterOrder(
                    reservation, facts: facts, acceptedBy: context.staff.name, notifyBy: order.notifyBy, at: now, planner: planner, pins: pins,
                    audit: context.audit)
                {
                case .written(let dossierId):
                    return try await receipt(dossierId, status: .created, replayed: false)
                case .codeTaken:
                    throw Problem(.conflict, .conflict) { language in
                        language == .vi
                            ? "Hồ sơ \(order.dossierCode) vừa có đơn trả kết quả từ hệ thống một cửa; hãy tra cứu theo mã hồ sơ."
                            : "Dossier \(order.dossierCode) has just received a result order from the one-stop; look it up by its code."
                    }
                }
            case .unknownDossier:
                try await database.releaseCounterOrder(reservation)
                throw Problem.validation([FieldIssue("dossierCode", .unknownDossierCode, order.dossierCode)])
            case .conflict:
                try await database.releaseCounterOrder(reservation)
                throw Problem(.conflict, .conflict) { language in
                    language == .vi
                        ? "Hệ thống một cửa cho biết hồ sơ \(order.dossierCode) đã có đơn trả kết quả qua bưu chính, hoặc kết quả đã được trả."
                        : "The one-stop says dossier \(order.dossierCode) has a result order already, or its result was returned."
                }
            case .refused(let reason):
                try await database.releaseCounterOrder(reservation)
                logger.error("the one-stop refused a counter's result order", metadata: ["reason": "\(reason)"])
                throw Problem(.badGateway, .unavailable) { language in
                    language == .vi
                        ? "Hệ thống một cửa từ chối đơn (\(reason)); không có gì được lưu. Hãy báo quản trị."
                        : "The one-stop refused the order (\(reason)); nothing was saved. Tell an administrator."
                }
            case .unavailable(let reason):
                // The order may have reached the one-stop with its answer lost: the number stays set aside for this key, so
                // the clerk's retry of the same form sends the same order, which the one-stop takes as a replay.
                logger.warning("the one-stop did not answer a counter's result order", metadata: ["reason": "\(reason)"])
                var problem = Problem(.serviceUnavailable, .unavailable) { language in
                    language == .vi
                        ? "Hệ thống một cửa không trả lời: chưa biết đơn đã được đăng ký hay chưa, chưa in phiếu. Hãy bấm gửi lại sau ít phút (không cần tải lại trang): đơn sẽ không bị tạo hai lần."
                        : "The one-stop does not answer: whether it has the order is not known yet, and no receipt is printed. Send it again in a few minutes (no need to reload): it cannot be made twice."
                }
                problem.retryAfter = 30
                throw problem
            }
        }
    }

    private func receipt(_ dossierId: Int64, status: HTTPResponse.Status, replayed: Bool) async throws -> Response {
        guard let detail = try await database.dossierDetail(id: dossierId), let item = detail.items.first,
            let number = try? TrackingNumber(parsing: item.trackingNumber)
        else { throw Problem.notFound(vi: "Không tìm thấy.", en: "Not found.") }
        let dossier = detail.dossier
        let view = CounterOrderReceipt(
            trackingNumber: item.trackingNumber, trackingPin: pins.pin(for: number), dossierCode: dossier.oneStopCode ?? "",
            agencyCode: dossier.agencyCode, agencyName: planner.reference.agency(dossier.agencyCode)?.name,
            procedureCode: dossier.procedureCode, procedureName: dossier.procedureName, oneStopStatus: dossier.oneStopStatus ?? 1,
            appointmentDate: dossier.appointmentDate, feesOwed: item.cashOnDelivery, postage: dossier.postage, officeCode: item.officeCode,
            links: .init(
                label: "/api/v1/labels/\(number)?format=svg", receipt: "/api/v1/dossiers/\(number)/receipt", tracking: "\(publicBaseURL)/t/\(number)")
        )
        var headers: HTTPFields = [.cacheControl: "no-store", .location: "/api/v1/dossiers/\(number)"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return try .json(encoding: view, status: status, headers: headers)
    }
}

/// What the clerk sees once the one-stop has registered the order: the item and its PIN, and what the one-stop said.
struct CounterOrderReceipt: Encodable {
    struct Links: Encodable {
        let label: String
        let receipt: String
        let tracking: String
    }

    let trackingNumber: String
    let trackingPin: String
    let dossierCode: String
    let agencyCode: String
    let agencyName: String?
    let procedureCode: String
    let procedureName: String
    let oneStopStatus: Int
    let appointmentDate: String?
    /// Fees the citizen still owes the agency, collected on delivery.
    let feesOwed: Int64
    let postage: Int64
    /// The office that collects the result at the desk.
    let officeCode: String
    let links: Links
}
