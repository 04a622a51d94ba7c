import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Public tracking: `GET /api/v1/track/{code}` (JSON) and `GET /t/{code}` (the page a label's QR opens).
/// No login; rate-limited per client and per code; an unknown code and a wrong PIN get the same answer.
struct TrackingController: Sendable {
    let database: AppDatabase
    let reference: ReferenceData
    let pins: TrackingPins
    let pages: WebTemplates
    let perClient: RateLimiter
    let perCode: RateLimiter
    let metrics: GatewayMetrics
    let clock: @Sendable () -> Date
    var pinGuard = PinGuard()
    var logger: Logger

    func addRoutes(api: RouterGroup<AppRequestContext>, site: Router<AppRequestContext>) {
        api.get("track/{code}", use: json)
        site.get("t/{code}", use: page)
        site.get("t", use: lookup)
        // The citizens' address (printed on receipts) opens on the lookup.
        site.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/t"]) }
    }

    /// `GET /t`: where a citizen types the code from a receipt, or the mã hồ sơ the one-stop gave, with the PIN if they
    /// have it; with `?code=`, on to that code's page. Nothing is looked up here, so nothing here is rate-limited.
    @Sendable func lookup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var headers = Self.headers("text/html; charset=utf-8", language: .vi)
        func form(_ status: HTTPResponse.Status, error: String? = nil) -> Response {
            Response(
                status: status, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: pages.track.render(TrackingPage.lookupContext(error: error)))))
        }
        guard let typed = query["code"] else { return form(.ok) }
        // Codes are read off paper: spaces and lower case are how people type them, not mistakes. A form sends its
        // spaces as `+`, which the query's percent-decoding leaves, and which no code or PIN holds.
        func squeezed(_ text: Substring) -> String { text.filter { !$0.isWhitespace && $0 != "+" } }
        let code = Self.normalized(squeezed(typed))
        guard Self.isPlausibleCode(code) else {
            return form(
                .unprocessableContent,
                error: "Mã tra cứu gồm chữ và số, như số hiệu bưu gửi PH000000014VN trên phiếu gửi, hoặc mã hồ sơ cơ quan đã cấp.")
        }
        var location = "/t/\(code)"
        if let pin = query["pin"].map(squeezed), !pin.isEmpty {
            location += "?pin=" + (pin.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    @Sendable func json(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = Language(request)
        let (found, pin) = try await find(request, context: context)
        let view = if let pin { try await unlockedView(found, pin: pin, language: language) } else { lockedView(found, language: language) }
        return Response(status: .ok, headers: Self.jsonHeaders[language]!, body: .init(byteBuffer: ByteBuffer(bytes: try view.jsonBytes)))
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        // The page's own words are Vietnamese, so its statuses are too, whatever language the phone prefers.
        let language = Language.vi
        let code = context.parameters.get("code") ?? ""
        var status = HTTPResponse.Status.ok
        var pageContext: [String: Any]
        do {
            let (found, pin) = try await find(request, context: context)
            let view = if let pin { try await unlockedView(found, pin: pin, language: language) } else { lockedView(found, language: language) }
            pageContext = TrackingPage.context(view, language: language)
        } catch let problem as Problem {
            status = problem.status
            pageContext = TrackingPage.problemContext(code: code, problem: problem, language: language)
        }
        var headers = Self.headers("text/html; charset=utf-8", language: language)
        if status == .tooManyRequests, let seconds = pageContext["retryAfter"] as? Int { headers[.retryAfter] = String(seconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: pages.track.render(pageContext))))
    }

    /// Rate limits, then the lookup: the dossier found and the PIN given, if any. A wrong PIN is found out by
    /// `unlockedView`, after the same lookup an unknown code costs.
    private func find(_ request: Request, context: AppRequestContext) async throws -> (Found, pin: String?) {
        let code = Self.normalized(context.parameters.get("code") ?? "")
        let now = clock()
        // Every lookup counts for its client; only a plausible code is counted for itself, so junk does not fill the
        // per-code table, and in capitals, as a mã hồ sơ in small letters finds the same dossier (`entry`).
        let plausible = Self.isPlausibleCode(code)
        // Each limiter has its own table, so a key is the bare address or code: no prefix to build for every lookup.
        if let seconds = perClient.retryAfter(context.rateLimitClient, now: now)
            ?? (plausible ? perCode.retryAfter(code.uppercased(), now: now) : nil)
        {
            var problem = Problem(.tooManyRequests, .tooManyRequests) { language in
                language == .vi ? "Tra cứu quá nhiều lần; hãy thử lại sau \(seconds) giây." : "Too many lookups; try again in \(seconds) seconds."
            }
            problem.retryAfter = seconds
            throw problem
        }
        guard plausible else { throw Self.unknown }
        if code.utf8.count == 13, case .badCheckDigit(let expected)? = Self.parseError(code) {
            throw Problem.validation([FieldIssue("code", .badCheckDigit, String(expected))])
        }
        let pin = request.uri.queryParameters["pin"].map(String.init)
        guard let dossier = try await dossier(code, withLinks: pin != nil) else { throw Self.unknown }
        return (Found(dossier: dossier, code: code), pin)
    }

    /// The fuller view, for the right PIN only; a wrong one gets the answer an unknown code gets, and so does any PIN
    /// while the dossier's PIN view is closed after too many wrong ones (`PinGuard`).
    private func unlockedView(_ found: Found, pin: String, language: Language) async throws -> TrackingView {
        let dossierId = found.dossier.id
        let now = clock()
        guard case .open = try await database.pinVerdict(dossierId: dossierId, at: now) else { throw Self.unknown }
        guard let pinNumber = found.dossier.pinTrackingNumber,
            let number = try? TrackingNumber(parsing: pinNumber),
            pin.count == TrackingPins.digits, pin.isASCIIDigits,
            pins.matches(pin: pin, for: number, storedHash: found.dossier.pinHash)
        else {
            if let until = try await database.recordWrongPin(dossierId: dossierId, at: now, guard: pinGuard) {
                metrics.pinViewsClosed.increment()
                // The ledger's own id: enough for an operator to find the dossier, and nothing a citizen typed.
                logger.warning(
                    "tracking PIN view closed after repeated wrong PINs",
                    metadata: [
                        "dossier.id": "\(dossierId)", "closedUntil": "\(LedgerTime.string(until))", "limit": "\(pinGuard.limit)",
                    ])
            }
            throw Self.unknown
        }
        try await database.forgetWrongPins(dossierId: dossierId)
        return TrackingView(found.dossier, code: found.code, unlocked: true, reference: reference, language: language)
    }

    private func lockedView(_ found: Found, language: Language) -> TrackingView {
        TrackingView(found.dossier, code: found.code, unlocked: false, reference: reference, language: language)
    }

    /// A dossier found by a lookup, and the code it was looked up by (which the answer shows).
    private struct Found {
        let dossier: TrackedDossier
        let code: String
    }

    /// Read from the ledger on every lookup: one indexed read, so a change is seen at once. `withLinks` (a PIN was
    /// given): with the linked dossiers, which only the unlocked view shows.
    private func dossier(_ code: String, withLinks: Bool) async throws -> TrackedDossier? {
        // A mã hồ sơ is looked up as the one-stop gave it; typed in small letters (the lookup box shows capitals, as
        // the codes are printed), it is tried in capitals too.
        if let found = try await database.trackedDossier(code: code, withLinks: withLinks) { return found }
        let capitals = code.uppercased()
        return capitals == code ? nil : try await database.trackedDossier(code: capitals, withLinks: withLinks)
    }

    /// The one answer for an unknown code and for a wrong PIN.
    static let unknown = Problem.notFound(
        vi: "Không tìm thấy hồ sơ với mã và mã PIN đã nhập. Hãy kiểm tra lại mã trên phiếu gửi.",
        en: "No dossier matches this code and PIN. Check the code on the receipt.")

    /// A tracking number (13 characters) is read in capitals, whatever case it was typed in; a mã hồ sơ is looked up
    /// as the one-stop gave it, since the gateway stores it as received.
    static func normalized(_ code: String) -> String {
        code.utf8.count == 13 ? code.uppercased() : code
    }

    /// Tracking numbers are capitals and digits; a mã hồ sơ is whatever the one-stop sent, up to 50 characters (DESIGN §2),
    /// of which the path of a URL carries letters, digits, dots, dashes and underscores.
    static func isPlausibleCode(_ code: String) -> Bool {
        // Bytes, not scalars: every allowed character is ASCII, so a code is plausible exactly when its bytes are.
        (5...50).contains(code.utf8.count)
            && code.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }

    static func parseError(_ code: String) -> TrackingNumber.ParseError? {
        do throws(TrackingNumber.ParseError) {
            _ = try TrackingNumber(parsing: code)
            return nil
        } catch { return error }
    }

    static let jsonHeaders = Dictionary(
        uniqueKeysWithValues: Language.allCases.map {
            ($0, headers("application/json; charset=utf-8", language: $0))
        })

    static func headers(_ contentType: String, language: Language) -> HTTPFields {
        // no-store: a PIN-unlocked answer must not sit in a shared cache; no-referrer: the PIN in the URL stays here.
        [
            .contentType: contentType, .cacheControl: "no-store", .contentLanguage: language.rawValue,
            HTTPField.Name("Referrer-Policy")!: "no-referrer", HTTPField.Name("X-Robots-Tag")!: "noindex",
        ]
    }
}
