import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension NotificationClient {
    package struct Settings: Sendable {
        /// ZNS: `https://business.openapi.zalo.me/message/template`.
        var zaloMessageURL: String
        /// Zalo's OAuth v4 token endpoint: `https://oauth.zaloapp.com/v4/oa/access_token`.
        var zaloTokenURL: String
        var zaloAppId: String
        var zaloSecretKey: String
        var zaloTokens: ZaloTokens
        /// eSMS.vn's JSON API: `https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/`.
        var smsURL: String
        var smsApiKey: String
        var smsSecretKey: String
        var smsBrandname: String
        var timeout: TimeInterval = 15
    }

    /// The live client: AsyncHTTPClient, no redirects followed, answers read by the providers' documented codes. Neither
    /// the phone nor the text is ever part of a reason kept: a reason goes to the log and to the notice's `lastError`.
    package static func live(_ settings: Settings) -> NotificationClient {
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .milliseconds(Int64(settings.timeout * 1000))),
            decompression: .disabled)
        let connections = OneStopClient.Connections(HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration))

        @Sendable func post(_ url: String, headers: [(String, String)], contentType: String, body: String) async throws -> (Int, Data) {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: contentType)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await connections.http.execute(request, timeout: .milliseconds(Int64(settings.timeout * 1000)))
            let bytes = try await response.body.collect(upTo: 1024 * 1024)
            return (Int(response.status.code), Data(bytes.readableBytesView))
        }

        @Sendable func refresh(_ refreshToken: String) async throws -> (access: String, refresh: String) {
            var form = URLComponents()
            form.queryItems = [
                .init(name: "refresh_token", value: refreshToken), .init(name: "app_id", value: settings.zaloAppId),
                .init(name: "grant_type", value: "refresh_token"),
            ]
            let (status, body) = try await post(
                settings.zaloTokenURL, headers: [("secret_key", settings.zaloSecretKey)], contentType: "application/x-www-form-urlencoded",
                body: form.percentEncodedQuery ?? "")
            guard status == 200, let tokens = ZaloAnswer.tokens(body) else {
                throw NotificationError(
                    reason:
                        "Zalo refused to refresh the access token (HTTP \(status), \(ZaloAnswer.code(body).map { "error \($0)" } ?? "no error code"))"
                )
            }
            return tokens
        }

        return NotificationClient(
            sendZalo: { message in
                let body = JSONValue.object([
                    "phone": .string(message.phone), "template_id": .string(message.templateId),
                    "template_data": .object(message.templateData.mapValues { .string($0) }), "tracking_id": .string(message.key),
                ]).canonicalText
                @Sendable func send(_ token: String) async throws -> ZaloAnswer {
                    let (status, answer) = try await post(
                        settings.zaloMessageURL, headers: [("access_token", token)], contentType: "application/json", body: body)
                    return status == 200 ? ZaloAnswer.answer(answer) : .answer(.unavailable("ZNS answered HTTP \(status)"))
                }
                do {
                    var token = await settings.zaloTokens.current()
                    if token == nil { token = try await settings.zaloTokens.refreshed(replacing: nil, using: refresh) }
                    var read = try await send(token!)
                    // An access token expires: refreshed once, the same message is tried again at once; a refresh token is
                    // spent by each refresh, so never twice for one message.
                    if read == .expiredToken {
                        read = try await send(try await settings.zaloTokens.refreshed(replacing: token, using: refresh))
                    }
                    return read.answer
                } catch {
                    return .unavailable(String(describing: error))
                }
            },
            sendSMS: { message in
                let body = JSONValue.object([
                    "ApiKey": .string(settings.smsApiKey), "SecretKey": .string(settings.smsSecretKey), "Phone": .string(message.phone),
                    "Content": .string(message.text), "Brandname": .string(settings.smsBrandname),
                    // 2: customer care by brandname; unaccented; RequestId makes a retry the same message.
                    "SmsType": .string("2"), "IsUnicode": .string("0"), "RequestId": .string(message.key), "CampaignID": .string(message.campaign),
                ]).canonicalText
                do {
                    let (status, answer) = try await post(settings.smsURL, headers: [], contentType: "application/json", body: body)
                    guard status == 200 else { return .unavailable("the SMS gateway answered HTTP \(status)") }
                    return ESMSAnswer.answer(answer)
                } catch {
                    return .unavailable(String(describing: error))
                }
            })
    }
}

struct NotificationError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "notifications: \(reason)" }
}
