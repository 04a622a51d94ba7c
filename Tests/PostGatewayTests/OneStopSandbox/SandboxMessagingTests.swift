import Foundation
import OneStopSandbox
import Testing

@testable import PostGateway

/// The sandbox's stand-ins for Zalo ZNS and eSMS, spoken to by the gateway's live client over sockets: access tokens
/// that expire, refresh tokens good once, the gateway's newest refresh token kept across restarts, and a retry under
/// the same key recorded once.
@Suite(.temporaryFolder, .serialized) struct SandboxMessagingTests {
    static func client(_ sandbox: SandboxProcess, tokens: ZaloTokens) -> NotificationClient {
        let base = "http://127.0.0.1:\(sandbox.port)"
        return .live(
            .init(
                zaloMessageURL: base + SandboxMessaging.zaloMessagePath, zaloTokenURL: base + SandboxMessaging.zaloTokenPath,
                zaloAppId: SandboxMessaging.zaloAppId, zaloSecretKey: SandboxMessaging.zaloSecretKey, zaloTokens: tokens,
                smsURL: base + SandboxMessaging.smsPath, smsApiKey: SandboxMessaging.smsApiKey, smsSecretKey: SandboxMessaging.smsSecretKey,
                smsBrandname: SandboxMessaging.smsBrandname))
    }

    static func message(_ key: String) -> NotificationClient.ZaloMessage {
        .init(phone: "84912345678", templateId: "410001", templateData: ["code": "PH000000001VN"], key: key)
    }

    @Test func anExpiredAccessTokenIsRefreshedOnceAndTheMessageGoesAtOnce() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let tokens = ZaloTokens(configuredRefreshToken: SandboxMessaging.zaloRefreshToken, storePath: nil)
        let client = Self.client(sandbox, tokens: tokens)
        let sent = await client.sendZalo(Self.message("k.accepted.1"))
        guard case .sent(let first?) = sent else {
            Issue.record("the first message was not sent: \(sent)")
            return
        }
        let token = await tokens.current()
        // Expired by the provider's word, not by a short lifetime racing a loaded machine's clock.
        try await sandbox.expireAccessTokens()
        #expect(await client.sendZalo(Self.message("k.handedOver.1")) == .sent(providerMessageId: "sbx-2"))
        #expect(await tokens.current() != token)
        // The same key again is the same message: the same id, and one row.
        #expect(await client.sendZalo(Self.message("k.accepted.1")) == .sent(providerMessageId: first))
        #expect(try await sandbox.messages().map(\.trackingId) == ["k.accepted.1", "k.handedOver.1"])
    }

    @Test func aRefreshTokenIsGoodOnceAndTheNewestIsKeptOwnerOnlyAcrossRestarts() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let folder = try TestSupport.temporaryDirectory()
        let store = folder.appending(path: "secrets/zalo-refresh.token").path
        let tokens = ZaloTokens(configuredRefreshToken: SandboxMessaging.zaloRefreshToken, storePath: store)
        #expect(await Self.client(sandbox, tokens: tokens).sendZalo(Self.message("r.1")) == .sent(providerMessageId: "sbx-1"))
        let kept = try String(contentsOfFile: store, encoding: .utf8)
        #expect(kept.hasPrefix("sbx-refresh-"))
        let permissions = try FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        // A restart: the configured token is long spent (here: never valid), the kept one is used, and rotated again.
        let restarted = ZaloTokens(configuredRefreshToken: "spent-long-ago", storePath: store)
        #expect(await Self.client(sandbox, tokens: restarted).sendZalo(Self.message("r.2")) == .sent(providerMessageId: "sbx-2"))
        #expect(try String(contentsOfFile: store, encoding: .utf8) != kept)
        // The one it replaced is spent: Zalo would refuse it, and so does the sandbox.
        let stale = ZaloTokens(configuredRefreshToken: kept, storePath: nil)
        guard case .unavailable(let reason) = await Self.client(sandbox, tokens: stale).sendZalo(Self.message("r.3")) else {
            Issue.record("a spent refresh token was taken")
            return
        }
        #expect(reason.contains("refused to refresh"))
    }

    @Test func anSMSSentTwiceUnderOneRequestIdIsOneMessage() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let client = Self.client(sandbox, tokens: ZaloTokens(configuredRefreshToken: SandboxMessaging.zaloRefreshToken, storePath: nil))
        let sms = NotificationClient.SMSMessage(
            phone: "84912345678", text: "Ho so PH000000001VN da duoc tiep nhan.", key: "s.1", campaign: "received")
        guard case .sent(let id?) = await client.sendSMS(sms) else {
            Issue.record("the SMS was not sent")
            return
        }
        #expect(id.hasPrefix("sbx-sms-"))
        #expect(await client.sendSMS(sms) == .sent(providerMessageId: nil))
        #expect(
            try await sandbox.messages() == [
                Answer.SandboxMessage(
                    phone: "84912345678", channel: "sms", template: "received", trackingId: "s.1", text: sms.text,
                    sentAt: try #require(try await sandbox.messages().first?.sentAt))
            ])
        let badPhone = NotificationClient.SMSMessage(phone: "84-91", text: "x", key: "s.2", campaign: "received")
        #expect(await client.sendSMS(badPhone) == .refused("SMS gateway code 108"))
    }
}
