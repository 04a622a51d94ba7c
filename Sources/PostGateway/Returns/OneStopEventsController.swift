import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `POST /api/v1/onestop/events`: the one-stop's signed status callbacks. The signature is checked before the
/// body is parsed; the callback is then kept and applied in one transaction, and acknowledged with a 2xx so the
/// one-stop stops retrying. Anything refused (4xx) changed nothing.
struct OneStopEventsController: Sendable {
    let database: AppDatabase
    let verifier: WebhookVerifier
    let resultItems: ResultItemPlanner
    let pins: TrackingPins
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date
    let maxBodyBytes: Int
    let logger: Logger

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("onestop/events", use: receive)
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = LocalTime.millisecondPrecision(clock())
        let callback: (id: String, body: ByteBuffer, parsed: OneStopEvent.Parsed)
        do {
            callback = try await verifiedCallback(request, now: now)
        } catch {
            metrics.callbacksRefused.increment()
            throw error
        }
        let receipt = try await database.applyCallback(
            callback.parsed, webhookId: callback.id, body: String(buffer: callback.body), receivedAt: now, resultItems: resultItems,
            pins: pins)
        record(receipt, parsed: callback.parsed, webhookId: callback.id)
        if let refusal = receipt.orderRefusal { throw Self.problem(refusal) }
        var answer: [String: JSONValue] = [
            "webhookId": .string(callback.id),
            "outcome": .string(receipt.outcome.rawValue),
            "firstDelivery": .bool(receipt.firstDelivery),
        ]
        if let number = receipt.resultTrackingNumber { answer["resultTrackingNumber"] = .string(number) }
        return .json(.object(answer), status: .ok)
    }

    /// The callback's id, exact body and content, once its signature checks out; a problem (4xx) otherwise.
    private func verifiedCallback(_ request: Request, now: Date) async throws -> (id: String, body: ByteBuffer, parsed: OneStopEvent.Parsed) {
        let body = try await request.collectBody(limit: maxBodyBytes)
        let headers = request.headers
        do throws(WebhookVerifier.Failure) {
            try verifier.verify(
                id: headers[.webhookId], timestamp: headers[.webhookTimestamp], signatures: headers[.webhookSignature],
                body: body.readableBytesView, now: now)
        } catch {
            logger.warning("one-stop callback refused", metadata: ["reason": .error(error)])
            throw Self.problem(error)
        }
        let webhookId = headers[.webhookId]!
        do throws(Problem) {
            return (webhookId, body, try OneStopEvent.parse(try JSONValue(parsingBody: body), reference: resultItems.reference, on: LocalDate(now)))
        } catch {
            logger.warning("one-stop callback malformed", metadata: ["webhook.id": "\(webhookId)", "problem": "\(error.issues)"])
            throw error
        }
    }

    private func record(_ receipt: CallbackReceipt, parsed: OneStopEvent.Parsed, webhookId: String) {
        guard receipt.firstDelivery else { return metrics.callbacksReplayed.increment() }
        metrics.callbacks(receipt.outcome).increment()
        // Item numbers and codes only: callbacks carry no personal data, and logs must not either.
        var metadata: Logger.Metadata = ["webhook.id": "\(webhookId)", "outcome": "\(receipt.outcome.rawValue)"]
        switch parsed {
        case .event(let event):
            if let number = event.trackingNumber { metadata["trackingNumber"] = "\(number)" }
            metadata["status"] = "\(event.status.rawValue)"
            if let code = event.dossierCode, !OneStopEvent.isStandardDossierCode(code) {
                logger.notice("mã hồ sơ is not in the standard shape", metadata: metadata.merging(["dossierCode": "\(code)"]) { $1 })
            }
        case .order(let order):
            // The mã hồ sơ and the item number, never the receiver, phone or address.
            metadata["dossierCode"] = "\(order.dossierCode)"
            if let number = receipt.resultTrackingNumber { metadata["trackingNumber"] = "\(number)" }
        case .unsupportedType: break
        }
        if receipt.dossierCodeConflict { logger.warning("the one-stop sent another mã hồ sơ for a dossier that has one", metadata: metadata) }
        switch receipt.outcome {
        case .unknownDossier, .unsupportedType: logger.warning("one-stop callback kept but not applied", metadata: metadata)
        case .refused:
            logger.warning(
                "result-only order change refused; the serving office must settle it with the desk",
                metadata: metadata.merging(["reason": "\(receipt.orderRefusal?.rawValue ?? "")"]) { $1 })
        case .applied, .superseded: logger.info("one-stop callback", metadata: metadata)
        }
    }

    static func problem(_ refusal: OrderRefusal) -> Problem {
        Problem(.conflict, .conflict) { language in
            switch (refusal, language) {
            case (.pickedUp, .vi):
                "Bưu điện đã nhận kết quả tại cơ quan: không thể đổi người nhận, số điện thoại hay địa chỉ nữa; xin liên hệ bưu cục phục vụ."
            case (.pickedUp, .en):
                "The post has picked the result up: its receiver, phone and address can no longer change; ask the serving post office."
            case (.notResultOnly, .vi): "Hồ sơ này gửi qua bưu chính; kết quả được trả theo dịch vụ đã đăng ký khi gửi."
            case (.notResultOnly, .en): "This dossier was sent by post; its result returns as the service chosen then says."
            }
        }
    }

    static func problem(_ failure: WebhookVerifier.Failure) -> Problem {
        switch failure {
        case .missingHeader(let name):
            return Problem(.badRequest, .malformedRequest, issues: [FieldIssue(name, .required)]) { language in
                language == .vi ? "Thiếu tiêu đề \(name) của Standard Webhooks." : "The Standard Webhooks header \(name) is missing."
            }
        case .malformedId:
            return Problem(.badRequest, .malformedRequest, issues: [FieldIssue("webhook-id", .notPrintableASCII, "200")]) { language in
                language == .vi
                    ? "webhook-id phải là chuỗi ASCII in được, tối đa 200 ký tự." : "webhook-id must be printable ASCII, at most 200 characters."
            }
        case .malformedTimestamp:
            return Problem(.badRequest, .malformedRequest, issues: [FieldIssue("webhook-timestamp", .invalidUnixTime)]) { language in
                language == .vi
                    ? "webhook-timestamp phải gồm 1 đến 12 chữ số (giây Unix)." : "webhook-timestamp must be 1 to 12 digits (Unix seconds)."
            }
        case .timestampOutsideWindow:
            return Problem(.unauthorized, .unauthorized) { language in
                language == .vi
                    ? "webhook-timestamp lệch quá 5 phút so với đồng hồ của cổng."
                    : "webhook-timestamp is more than 5 minutes from the gateway's clock."
            }
        case .noValidSignature:
            return Problem(.unauthorized, .unauthorized) { language in
                language == .vi ? "Chữ ký webhook-signature không hợp lệ." : "No valid webhook-signature."
            }
        }
    }
}

extension HTTPField.Name {
    static let webhookId = Self("webhook-id")!
    static let webhookTimestamp = Self("webhook-timestamp")!
    static let webhookSignature = Self("webhook-signature")!
}
