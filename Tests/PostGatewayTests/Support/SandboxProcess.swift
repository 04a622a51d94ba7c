import Foundation
import HummingbirdTesting
import Logging

@testable import PostGateway

/// The real sandbox one-stop, as its own process (`postgateway sandbox`), on a port and a data folder of its own.
struct SandboxProcess {
    let process: ChildProcess
    let port: Int
    let dataDirectory: URL
    let http: LiveHTTP

    static let token = "sandbox-token"
    /// The `/_sandbox` controls' own token (`POSTGATEWAY_SANDBOX_CONTROL_TOKEN`), which `http` sends.
    static let controlToken = "test-sandbox-control-token"

    static func start(port: Int? = nil, dataDirectory: URL? = nil, callbackURL: String? = nil, webhookSecret: String? = nil) async throws
        -> SandboxProcess
    {
        let port = try port ?? freePort()
        let dataDirectory = try dataDirectory ?? TestSupport.temporaryDirectory()
        let process = ChildProcess()
        process.executableURL = try CrashRecoveryTests.executable()
        process.currentDirectoryURL = TestSupport.packageRoot
        process.arguments =
            ["sandbox", "--port", String(port), "--data-dir", dataDirectory.path] + (callbackURL.map { ["--callback-url", $0] } ?? [])
        var environment = ["POSTGATEWAY_SANDBOX_CONTROL_TOKEN": controlToken]
        if let webhookSecret { environment["POSTGATEWAY_WEBHOOK_SECRET"] = webhookSecret }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let http = LiveHTTP(port: port, token: controlToken)
        for _ in 0..<600 {
            if (try? await http.send("GET", "/_sandbox/health"))?.status == 200 {
                return SandboxProcess(process: process, port: port, dataDirectory: dataDirectory, http: http)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw POSIXError(.ETIMEDOUT)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    var client: OneStopClient {
        get throws { try .live(.init(baseURL: URL(string: "http://127.0.0.1:\(port)")!, token: Self.token, connectTimeout: 2, totalTimeout: 5)) }
    }

    /// Moves a dossier as a desk clerk would; the sandbox then sends the signed callback.
    func move(_ number: String, to status: Int, content: String = "", result: [String: Any]? = nil) async throws {
        var body: [String: Any] = ["TrangThaiHoSo": status, "NoiDung": content]
        if let result { body["KetQua"] = result }
        let (code, _) = try await http.send(
            "POST", "/_sandbox/hoso/\(number)/trangthai", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: body))
        precondition(code == 200, "sandbox move answered \(code)")
    }

    /// The messages the sandbox's providers took, oldest first.
    func messages() async throws -> [Answer.SandboxMessage] {
        let (status, data) = try await http.send("GET", "/_sandbox/messages")
        precondition(status == 200, "sandbox messages answered \(status)")
        return try JSONDecoder().decode([Answer.SandboxMessage].self, from: data)
    }

    func setMessageFaults(_ faults: [String: Any]) async throws {
        let (status, _) = try await http.send(
            "PUT", "/_sandbox/messaging", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: faults))
        precondition(status == 200)
    }

    /// Ends the access tokens the sandbox's Zalo handed out, as Zalo may at any time.
    func expireAccessTokens() async throws {
        let (status, _) = try await http.send("POST", "/_sandbox/messaging/expire-access-tokens")
        precondition(status == 200, "sandbox expire-access-tokens answered \(status)")
    }

    func setFaults(_ faults: [String: Any]) async throws {
        let (status, _) = try await http.send(
            "PUT", "/_sandbox/faults", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: faults))
        precondition(status == 200)
    }

    /// The sandbox's postal dossiers, by item number.
    func ledger() async throws -> [String: [String: Any]] {
        let rows = try await ledgerRows()
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["MaBuuGui"] as? String).map { ($0, row) } })
    }

    /// The sandbox's result orders (no item number of a dossier), by mã hồ sơ.
    func orders() async throws -> [String: [String: Any]] {
        let rows = try await ledgerRows().filter { $0["MaBuuGui"] is NSNull }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["MaHoSo"] as! String, $0) })
    }

    private func ledgerRows() async throws -> [[String: Any]] {
        let (_, data) = try await http.send("GET", "/_sandbox/hoso")
        return (try JSONSerialization.jsonObject(with: data) as! [String: Any])["DuLieu"] as! [[String: Any]]
    }

    /// A call to the contract (with its token) or, for a `/_sandbox` path, to the controls (with theirs).
    func lgsp(_ method: String, _ path: String, _ body: [String: Any]? = nil, token: String? = SandboxProcess.token) async throws -> (
        Int, [String: Any]
    ) {
        var headers = ["Content-Type": "application/json"]
        let token = path.hasPrefix("/_sandbox") && token == Self.token ? Self.controlToken : token
        headers["Authorization"] = token.map { "Bearer \($0)" } ?? ""
        let (status, data) = try await http.send(
            method, path, headers: headers, body: try body.map { try JSONSerialization.data(withJSONObject: $0) })
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }
}

extension TestSupport {
    /// Waits until the outbox holds nothing pending or in flight (or the time runs out), and answers the statistics.
    static func drained(_ database: AppDatabase, within seconds: Double = 60) async throws -> OutboxStatistics {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let statistics = try await database.outboxStatistics()
            if statistics.pending == 0 && statistics.inFlight == 0 || Date() > deadline { return statistics }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Dependencies whose forwarder drains into `client`, retrying fast; with `notifyingAt`, whose notifier sends to the
    /// message providers' stand-ins of the sandbox on that port, at any hour (no quiet hours), retrying fast too.
    static func forwardingDependencies(client: OneStopClient, notifyingAt sandboxPort: Int? = nil) throws -> AppDependencies {
        let base = try dependencies(
            clock: { Date() },
            tweak: { configuration in
                configuration.forwardingBaseDelay = 0.02
                configuration.forwardingMaxDelay = 0.3
                if let sandboxPort {
                    configuration.sandboxPort = sandboxPort
                    configuration.notificationProvider = .sandbox
                    configuration.quietHours = nil
                }
            })
        var dependencies = AppDependencies(
            configuration: base.configuration, database: base.database, reference: base.reference, templates: base.templates,
            pins: base.pins, metrics: base.metrics, clock: base.clock, logger: base.logger, oneStop: client,
            webhookSecret: base.webhookSecret, hasher: base.hasher, staffWithoutCredentials: base.staffWithoutCredentials)
        dependencies.runsForwarder = true
        if sandboxPort != nil {
            dependencies.notifications = AppDependencies.notificationClient(base.configuration)
            dependencies.noticeTemplates = try TestSupport.noticeTemplates(publicBaseURL: base.configuration.publicBaseURL)
            dependencies.runsNotifier = true
        }
        return dependencies
    }

    /// The shipped `config/notices.yaml`.
    static func noticeTemplates(publicBaseURL: String = "https://tracuu.example.vn") throws -> NoticeTemplates {
        try NoticeTemplates.load(from: packageRoot.appending(path: "config/notices.yaml").path, publicBaseURL: publicBaseURL)
    }
}

extension SandboxProcess {
    /// The gateway serving over real sockets and forwarding to a sandbox process started beside it, whose signed
    /// callbacks come back to the gateway: the setting of every end-to-end test. The sandbox stops when `body` ends.
    /// `notifying`: the notifier runs too, sending to the sandbox's message providers.
    static func besideLiveGateway(
        notifying: Bool = false, logger: Logger? = nil,
        _ body: @Sendable (_ client: any TestClientProtocol, _ sandbox: SandboxProcess, _ dependencies: AppDependencies) async throws -> Void
    ) async throws {
        let sandboxPort = try freePort()
        let oneStop = try OneStopClient.live(
            .init(baseURL: URL(string: "http://127.0.0.1:\(sandboxPort)")!, token: token, connectTimeout: 2, totalTimeout: 5))
        var configured = try TestSupport.forwardingDependencies(client: oneStop, notifyingAt: notifying ? sandboxPort : nil)
        if let logger { configured.logger = logger }
        let dependencies = configured
        let app = try buildApplication(dependencies)
        try await app.test(.live) { client in
            let sandbox = try await start(
                port: sandboxPort, callbackURL: "http://127.0.0.1:\(client.port!)/api/v1/onestop/events",
                webhookSecret: dependencies.webhookSecret)
            defer { sandbox.stop() }
            try await body(client, sandbox, dependencies)
        }
    }
}
