import Foundation
import HTTPTypes
import Hummingbird

/// The message providers' stand-ins: Zalo ZNS's template message and its OAuth refresh, and eSMS.vn's JSON send, in
/// their call shapes and answer codes. Every message taken is recorded once per tracking id; the faults of
/// `/_sandbox/messaging` make them fail, lose their answers, or find a number without Zalo.
struct MessagingController: Sendable {
    let database: SandboxDatabase
    let controls: SandboxControls
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post(RouterPath(SandboxMessaging.zaloTokenPath), use: refresh)
        router.post(RouterPath(SandboxMessaging.zaloMessagePath), use: zalo)
        router.post(RouterPath(SandboxMessaging.smsPath), use: sms)
    }

    func addControlRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("messages") { _, _ in
            let data = try JSONEncoder().encode(try await database.messages())
            return LGSPResponse.json(.ok, ByteBuffer(bytes: data))
        }
        group.put("messaging", use: setFaults)
        // Zalo ends an access token when it likes (another refresh, a revoked authorisation): a test says when.
        group.post("messaging/expire-access-tokens") { _, _ in
            let expired = try await database.expireAccessTokens(now: clock())
            return LGSPResponse.json(.ok, ["expired": expired])
        }
    }

    /// Zalo OAuth v4: `secret_key` header, a form with `refresh_token`, `app_id`, `grant_type=refresh_token`.
    @Sendable func refresh(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.headers[HTTPField.Name("secret_key")!] == SandboxMessaging.zaloSecretKey else {
            return LGSPResponse.json(.ok, ["error": -14003, "error_name": "Invalid secret key"])
        }
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        var form = URLComponents()
        form.percentEncodedQuery = String(buffer: buffer)
        let fields = Dictionary((form.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        guard fields["app_id"] == SandboxMessaging.zaloAppId, fields["grant_type"] == "refresh_token", let token = fields["refresh_token"],
            let tokens = try await database.refreshZaloTokens(
                token, initial: SandboxMessaging.zaloRefreshToken, accessSeconds: controls.messageFaults.accessTokenSeconds, now: clock())
        else { return LGSPResponse.json(.ok, ["error": -14014, "error_name": "Invalid refresh token"]) }
        return LGSPResponse.json(
            .ok, ["access_token": tokens.access, "refresh_token": tokens.refresh, "expires_in": String(controls.messageFaults.accessTokenSeconds)])
    }

    /// ZNS: `access_token` header; `{phone, template_id, template_data, tracking_id}`.
    @Sendable func zalo(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let faults = controls.messageFaults
        guard let token = request.headers[HTTPField.Name("access_token")!], try await database.isValidAccessToken(token, now: clock()) else {
            return LGSPResponse.json(.ok, ["error": -124, "message": "Access token is invalid"])
        }
        if SandboxControls.roll(faults.errorRate) {
            return Bool.random()
                ? LGSPResponse.json(.serviceUnavailable, ["error": -100, "message": "Unknown error (simulated)"])
                : LGSPResponse.json(.ok, ["error": -100, "message": "Unknown error (simulated)"])
        }
        guard let body = try await LGSPResponse.object(request) else {
            return LGSPResponse.json(.ok, ["error": -111, "message": "Template data empty"])
        }
        guard let phone = body["phone"] as? String, phone.hasPrefix("84"), phone.count >= 10 else {
            return LGSPResponse.json(.ok, ["error": -108, "message": "Phone number invalid"])
        }
        guard let template = body["template_id"] as? String, !template.isEmpty else {
            return LGSPResponse.json(.ok, ["error": -109, "message": "Template ID invalid"])
        }
        guard let data = body["template_data"] as? [String: Any], let trackingId = body["tracking_id"] as? String, !trackingId.isEmpty else {
            return LGSPResponse.json(.ok, ["error": -112, "message": "Template data invalid"])
        }
        if faults.noZaloPhones.contains(phone) { return LGSPResponse.json(.ok, ["error": -118, "message": "Zalo account not existed"]) }
        // What the approved template would show, without its wording: the values it was given.
        let text = data.keys.sorted().map { "\($0)=\(data[$0].map { "\($0)" } ?? "")" }.joined(separator: "; ")
        let (id, _) = try await database.recordMessage(
            trackingId: trackingId, phone: phone, channel: "zalo", template: template, text: text, now: clock())
        if SandboxControls.roll(faults.dropResponseRate) { return LGSPResponse.json(.badGateway, ["message": "response lost (simulated)"]) }
        return LGSPResponse.json(
            .ok,
            [
                "error": 0, "message": "Success",
                "data": [
                    "msg_id": "sbx-\(id)", "sent_time": String(Int64(clock().timeIntervalSince1970 * 1000)), "quota": ["remainingQuota": "500"],
                ],
            ])
    }

    /// eSMS.vn V4: `{ApiKey, SecretKey, Phone, Content, Brandname, SmsType, IsUnicode, RequestId, CampaignID}`.
    @Sendable func sms(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let faults = controls.messageFaults
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.json(.ok, ["CodeResult": "110"]) }
        guard body["ApiKey"] as? String == SandboxMessaging.smsApiKey, body["SecretKey"] as? String == SandboxMessaging.smsSecretKey else {
            return LGSPResponse.json(.ok, ["CodeResult": "101", "ErrorMessage": "Incorrect ApiKey or SecretKey"])
        }
        if SandboxControls.roll(faults.errorRate) { return LGSPResponse.json(.serviceUnavailable, ["CodeResult": "-1"]) }
        guard let phone = body["Phone"] as? String, phone.count >= 10, phone.allSatisfy(\.isNumber) else {
            return LGSPResponse.json(.ok, ["CodeResult": "108", "ErrorMessage": "Phone number is not in correct format"])
        }
        guard let content = body["Content"] as? String, !content.isEmpty, let requestId = body["RequestId"] as? String, !requestId.isEmpty else {
            return LGSPResponse.json(.ok, ["CodeResult": "110", "ErrorMessage": "The requested data is incorrect"])
        }
        let (id, repeated) = try await database.recordMessage(
            trackingId: requestId, phone: phone, channel: "sms", template: body["CampaignID"] as? String ?? "", text: content, now: clock())
        if repeated { return LGSPResponse.json(.ok, ["CodeResult": "124", "ErrorMessage": "Duplicate RequestId"]) }
        if SandboxControls.roll(faults.dropResponseRate) { return LGSPResponse.json(.badGateway, ["message": "response lost (simulated)"]) }
        return LGSPResponse.json(.ok, ["CodeResult": "100", "SMSID": "sbx-sms-\(id)"])
    }

    @Sendable func setFaults(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        let fields = BodyFields(body)
        var faults = SandboxControls.MessageFaults()
        faults.errorRate = fields.rate("errorRate") ?? 0
        faults.dropResponseRate = fields.rate("dropResponseRate") ?? 0
        faults.noZaloPhones = Set((body["noZaloPhones"] as? [String]) ?? [])
        faults.accessTokenSeconds = max(1, min(86_400 * 2, (body["accessTokenSeconds"] as? NSNumber)?.intValue ?? 3600))
        controls.set(faults)
        return LGSPResponse.json(
            .ok,
            [
                "errorRate": faults.errorRate, "dropResponseRate": faults.dropResponseRate, "noZaloPhones": faults.noZaloPhones.sorted(),
                "accessTokenSeconds": faults.accessTokenSeconds,
            ])
    }
}
