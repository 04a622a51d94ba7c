import Foundation
import GRDB
import OneStopSandbox
import Testing

@testable import PostGateway

/// A gateway killed between an event and its message: the notice was written with the event, so the message still goes
/// after the restart, once.
@Suite(.temporaryFolder, .serialized) struct NotifierCrashTests {
    /// The live providers' settings, pointed at the sandbox's stand-ins: the configuration an operator writes, with
    /// other URLs and keys.
    static func providerEnvironment(_ sandbox: SandboxProcess) -> [String: String] {
        let base = "http://127.0.0.1:\(sandbox.port)"
        return [
            "POSTGATEWAY_NOTIFICATIONS_PROVIDER": "live", "POSTGATEWAY_QUIET_HOURS": "off",
            "POSTGATEWAY_ZALO_MESSAGE_URL": base + SandboxMessaging.zaloMessagePath,
            "POSTGATEWAY_ZALO_TOKEN_URL": base + SandboxMessaging.zaloTokenPath, "POSTGATEWAY_ZALO_APP_ID": SandboxMessaging.zaloAppId,
            "POSTGATEWAY_ZALO_SECRET_KEY": SandboxMessaging.zaloSecretKey, "POSTGATEWAY_ZALO_REFRESH_TOKEN": SandboxMessaging.zaloRefreshToken,
            "POSTGATEWAY_SMS_URL": base + SandboxMessaging.smsPath, "POSTGATEWAY_SMS_API_KEY": SandboxMessaging.smsApiKey,
            "POSTGATEWAY_SMS_SECRET_KEY": SandboxMessaging.smsSecretKey, "POSTGATEWAY_SMS_BRANDNAME": SandboxMessaging.smsBrandname,
            "POSTGATEWAY_FORWARDING_BASE_DELAY": "0.05", "POSTGATEWAY_FORWARDING_MAX_DELAY": "0.5",
        ]
    }

    @Test func aMessageWhoseEventWasSavedStillGoesOnceAfterASIGKILL() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        // The provider fails every call: the notice is written, tried, and waiting when the gateway dies.
        try await sandbox.setMessageFaults(["errorRate": 1.0])
        let dataDirectory = try TestSupport.temporaryDirectory()
        let port = try freePort()
        let arguments = ["--onestop-url", "http://127.0.0.1:\(sandbox.port)", "--sandbox-port", "off"]
        let environment = Self.providerEnvironment(sandbox)
        let gateway = try await CrashRecoveryTests.start(
            dataDirectory: dataDirectory, port: port, extraArguments: arguments, environment: environment)
        let http = LiveHTTP(port: port, token: try CrashRecoveryTests.token(dataDirectory: dataDirectory))
        let (status, body) = try await http.intake(key: "notice-crash-1", body: TestSupport.intake { $0["notifications"] = "zalo" })
        #expect(status == 201)
        let number = try #require(body["trackingNumber"] as? String)
        let ledger = try DatabaseQueue(path: dataDirectory.appending(path: "ledger.sqlite").path)
        #expect(
            try await ResultJourneyTests.eventually {
                try await ledger.read { db in try Int.fetchOne(db, sql: "SELECT attempts FROM notice") ?? 0 } >= 1
            })
        kill(gateway.processIdentifier, SIGKILL)
        gateway.waitUntilExit()
        #expect(try await sandbox.messages().isEmpty)

        // The provider is back, and so is the gateway: the message goes, and goes once, though the answer of its first
        // successful try is lost.
        try await sandbox.setMessageFaults(["dropResponseRate": 0.5])
        let restarted = try await CrashRecoveryTests.start(
            dataDirectory: dataDirectory, port: port, extraArguments: arguments, environment: environment)
        defer {
            restarted.terminate()
            restarted.waitUntilExit()
        }
        #expect(
            try await ResultJourneyTests.eventually {
                try await ledger.read { db in try String.fetchOne(db, sql: "SELECT state FROM notice") } == "sent"
            })
        let messages = try await sandbox.messages()
        #expect(messages.map(\.trackingId) == ["\(number).accepted.1"])
        #expect(messages.map(\.channel) == ["zalo"])
    }
}
