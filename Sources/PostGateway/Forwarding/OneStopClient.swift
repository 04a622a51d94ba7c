import Foundation

/// The gateway's one client of the one-stop system (ONESTOP_API.md): one closure per call, with a live value
/// over HTTP and test values that tests build from closures.
package struct OneStopClient: Sendable {
    /// What became of one call, as the forwarder needs to know it.
    enum Answer: Sendable, Equatable {
        /// 2xx: done (a replay answers 200 too).
        case accepted
        /// 400, 409, 422, and 404 to a registration: retrying the same request cannot help; the one-stop's code and
        /// refused fields are kept.
        case refused(String)
        /// 404 on a handover or progress report: the one-stop lacks the registration; send it again first.
        case needsRegistration
        /// 5xx, timeouts, connection errors, refused credentials (401, 403): try again later.
        case unavailable(String)
    }

    /// Sends a frozen outbox payload: `POST` to the path its kind and key give (the dossier item's number, or a
    /// result-only order's mã hồ sơ).
    var send: @Sendable (_ kind: OutboxMessageRecord.Kind, _ key: String, _ payload: String) async -> Answer
    /// One page of the one-stop's ledger (for reconciliation); nil cursor for the first page.
    var listDossiers:
        @Sendable (_ from: LocalDate, _ to: LocalDate, _ cursor: String?, _ pageSize: Int) async throws -> (rows: [OneStopLedgerRow], next: String?)
    /// Whether the one-stop answers at all (readiness).
    package var isReachable: @Sendable () async -> Bool
    /// Call 6, while the clerk waits: registers a result order taken at a counter (a frozen JSON body) and answers what
    /// the one-stop knows of the dossier. Unavailable unless a live client sets it.
    var registerOrder: @Sendable (_ payload: String) async -> CounterOrderAnswer = { _ in .unavailable("no one-stop is configured (onestop.url)") }
    /// Call 8: one page of the one-stop's result orders (for reconciliation); nil cursor for the first page.
    var listOrders:
        @Sendable (_ from: LocalDate, _ to: LocalDate, _ cursor: String?, _ pageSize: Int) async throws -> (
            rows: [OneStopOrderRow], next: String?
        ) = { _, _, _, _ in throw OneStopError(reason: "no one-stop is configured (onestop.url)") }

    static func path(for kind: OutboxMessageRecord.Kind, key: String) -> String {
        switch kind {
        case .registerDossier: "/lgsp/bcci/hoso"
        case .reportHandover: "/lgsp/bcci/hoso/\(key)/bangiao"
        case .reportReturnProgress: "/lgsp/bcci/hoso/\(key)/ketqua"
        // A mã hồ sơ is the one-stop's text (letters, digits, dots, dashes as a rule), not an S10 number: escaped.
        case .reportOrderProgress:
            "/lgsp/bcci/ketqua/\(key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? key)"
        }
    }

    /// How an HTTP status and body map to an answer. The reason kept (in logs and in the outbox's `lastError`) is the
    /// one-stop's error code and the names of the fields it refused, never its free text or a raw body: a validation
    /// message or a proxy's error page can repeat the value refused, a phone or an ID number.
    static func answer(status: Int, body: Data, kind: OutboxMessageRecord.Kind) -> Answer {
        let message =
            (try? JSONValue(parsing: body)).flatMap { value -> String? in
                guard case .object(let object) = value else { return nil }
                var parts: [String] = []
                if case .string(let code)? = object["MaLoi"] { parts.append("MaLoi \(code)") }
                if case .array(let errors)? = object["Loi"] {
                    let fields = errors.compactMap { error -> String? in
                        guard case .object(let error) = error, case .string(let field)? = error["Truong"] else { return nil }
                        return field
                    }
                    if !fields.isEmpty { parts.append("fields refused: " + fields.joined(separator: ", ")) }
                }
                return parts.isEmpty ? "no MaLoi in the answer" : parts.joined(separator: "; ")
            } ?? "a body that is not the one-stop's JSON (\(body.count) bytes)"
        switch status {
        case 200..<300: return .accepted
        // The one-stop lost the registration the report is about: sent again, it can take the report.
        case 404 where kind == .reportHandover || kind == .reportReturnProgress: return .needsRegistration
        // The gateway's credentials, not the message, were refused (a token or certificate rotated on one side
        // only): every message would fail alike, so they wait, with the backoff, for an operator to put it right.
        case 401, 403:
            return .unavailable("HTTP \(status): the one-stop refused the gateway's credentials (onestop token, client certificate); \(message)")
        case 400, 404, 409, 422: return .refused("HTTP \(status): \(message)")
        default: return .unavailable("HTTP \(status): \(message)")
        }
    }
}

extension OneStopClient {
    /// No one-stop configured and no sandbox asked for: nothing is sent anywhere; every message waits in the outbox,
    /// as through an outage, until `onestop.url` is set.
    static let notConfigured = OneStopClient(
        send: { _, _, _ in .unavailable("no one-stop is configured (onestop.url)") },
        listDossiers: { _, _, _, _ in throw OneStopError(reason: "no one-stop is configured (onestop.url)") },
        isReachable: { false })
}
