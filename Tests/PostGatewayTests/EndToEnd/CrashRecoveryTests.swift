import Foundation
import GRDB
import Testing

@testable import PostGateway

/// A real `postgateway serve` process, killed with SIGKILL while intakes are in flight.
@Suite(.temporaryFolder, .serialized) struct CrashRecoveryTests {
    static func executable() throws -> URL {
        var candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "postgateway"),
            TestSupport.packageRoot.appending(path: ".build/debug/postgateway"),
        ]
        if let override = ProcessInfo.processInfo.environment["PG_TEST_BINARY"] { candidates.insert(URL(fileURLWithPath: override), at: 0) }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "build the executable first (make test does): \(candidates.map(\.path))")
    }

    /// The first admin's password of every server a test starts, and a cheap bcrypt to keep logins quick.
    static let adminPassword = "mật-khẩu-thử-nghiệm-đủ-dài"
    static let liveEnvironment = ["POSTGATEWAY_ADMIN_PASSWORD": adminPassword, "POSTGATEWAY_PASSWORD_COST": "4"]

    /// Runs `postgateway ARGUMENTS` to the end; answers its exit status and standard output (with its standard
    /// error after it when `withErrors`).
    static func run(
        _ arguments: [String], withErrors: Bool = false, environment: [String: String] = [:]
    ) throws -> (status: Int32, output: String) {
        let process = ChildProcess()
        process.executableURL = try executable()
        process.currentDirectoryURL = TestSupport.packageRoot
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(liveEnvironment.merging(environment) { _, given in given }) { _, ours in
            ours
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = withErrors ? pipe : FileHandle.nullDevice
        try process.run()
        let data = try pipe.fileHandleForReading.readAllRetryingInterruptedReads()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// An API token made with the CLI on the ledger in `dataDirectory`, as an operator would.
    static func token(dataDirectory: URL, role: String = "admin", office: String? = nil) throws -> String {
        let (status, output) = try run(
            ["token", "create", "--role", role, "--data-dir", dataDirectory.path] + (office.map { ["--office", $0] } ?? []))
        try #require(status == 0)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A gateway process on `port`; by default with its sandbox one-stop beside it on a free port of its own.
    struct ServerExited: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "the gateway exited before it answered /health (status \(status))" }
    }

    static func start(
        dataDirectory: URL, port: Int, extraArguments: [String]? = nil, environment: [String: String] = [:],
        output: FileHandle? = nil
    ) async throws -> ChildProcess {
        let extraArguments = try extraArguments ?? ["--sandbox-port", String(freePort())]
        let process = ChildProcess()
        process.executableURL = try executable()
        process.currentDirectoryURL = TestSupport.packageRoot
        process.arguments =
            [
                "serve", "--port", String(port), "--data-dir", dataDirectory.path,
                "--reference-dir", TestSupport.referenceDirectory.path,
            ] + extraArguments
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = output ?? FileHandle.nullDevice
        // An empty value in `environment` removes the variable.
        process.environment = ProcessInfo.processInfo.environment.merging(liveEnvironment.merging(environment) { $1 }) { _, ours in ours }
            .filter { !$0.value.isEmpty }
        try process.run()
        let http = LiveHTTP(port: port)
        for _ in 0..<600 {
            if (try? await http.send("GET", "/health"))?.status == 200 { return process }
            // A server that stopped (a bad flag, a port taken) fails its test now, with its status, not in 30 s.
            if process.hasExited { throw ServerExited(status: process.terminationStatus) }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw POSIXError(.ETIMEDOUT)
    }

    @Test func everyAcknowledgedDossierSurvivesSIGKILLAndRetriesConvergeToExactlyOnce() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let port = try freePort()
        let server = try await Self.start(dataDirectory: dataDirectory, port: port)
        let http = LiveHTTP(port: port, connections: 16, token: try Self.token(dataDirectory: dataDirectory))
        let keys = (0..<60).map { "crash-test-\($0)" }

        // Fire every intake at once and kill the server as soon as twenty have been acknowledged.
        let acknowledged = await withTaskGroup(of: (String, String?).self) { group in
            for key in keys {
                group.addTask {
                    let answer = try? await http.intake(key: key)
                    return (key, answer?.status == 201 ? answer?.body["trackingNumber"] as? String : nil)
                }
            }
            var acknowledged: [String: String] = [:]
            var killed = false
            for await (key, number) in group {
                if let number { acknowledged[key] = number }
                if acknowledged.count >= 20 && !killed {
                    kill(server.processIdentifier, SIGKILL)
                    killed = true
                }
            }
            return acknowledged
        }
        server.waitUntilExit()
        #expect(server.terminationReason == .uncaughtSignal || acknowledged.count == keys.count)
        #expect(acknowledged.count >= 20)

        let restarted = try await Self.start(dataDirectory: dataDirectory, port: port)
        defer {
            restarted.terminate()
            restarted.waitUntilExit()
        }
        let after = LiveHTTP(port: port, token: http.token)
        for (_, number) in acknowledged {
            #expect(try await after.send("GET", "/api/v1/dossiers/\(number)").status == 200, "lost \(number)")
        }
        // The clerk's retries: every key again. Acknowledged ones answer the same number; the rest are written now.
        for key in keys {
            let (status, body) = try await after.intake(key: key)
            #expect(status == 201)
            if let number = acknowledged[key] { #expect(body["trackingNumber"] as? String == number) }
        }
        let ledger = try DatabaseQueue(path: dataDirectory.appending(path: "ledger.sqlite").path)
        // The counter's dossiers only: the sandbox's autopilot places result-only orders of its own beside them.
        let (dossiers, distinctNumbers, integrity) = try await ledger.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dossier WHERE service <> 'resultOnly'")!,
                try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT trackingNumber) FROM item WHERE kind = 'dossier'")!,
                try String.fetchOne(db, sql: "PRAGMA integrity_check")!
            )
        }
        #expect(dossiers == keys.count)
        #expect(distinctNumbers == keys.count)
        #expect(integrity == "ok")
    }

    @Test func anInvalidConfigurationStopsTheStartNamingTheKey() async throws {
        let process = ChildProcess()
        process.executableURL = try Self.executable()
        process.currentDirectoryURL = TestSupport.packageRoot
        process.arguments = ["serve", "--port", "99999", "--data-dir", try TestSupport.temporaryDirectory().path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: try errors.fileHandleForReading.readAllRetryingInterruptedReads(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(output.contains("server.port"))
    }
}

extension CrashRecoveryTests {
    @Test func aGatewayKilledWhileForwardingLosesAndDuplicatesNothing() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        // Nothing is taken while the intakes come in (a loaded machine may take longer over them than the forwarder over
        // the backlog); then slowly, eight at a time, so that the kill lands mid-forwarding.
        try await sandbox.setFaults(["errorRate": 1.0])
        let dataDirectory = try TestSupport.temporaryDirectory()
        let port = try freePort()
        let arguments = ["--onestop-url", "http://127.0.0.1:\(sandbox.port)", "--sandbox-port", "off"]
        let environment = ["POSTGATEWAY_FORWARDING_CONCURRENCY": "8", "POSTGATEWAY_FORWARDING_MAX_DELAY": "1"]
        let gateway = try await Self.start(dataDirectory: dataDirectory, port: port, extraArguments: arguments, environment: environment)
        let http = LiveHTTP(port: port, connections: 16, token: try Self.token(dataDirectory: dataDirectory))
        let numbers = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<80 {
                group.addTask {
                    let (status, body) = try await http.intake(key: "forwarding-crash-\(index)")
                    #expect(status == 201)
                    return body["trackingNumber"] as! String
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        // Kill it while the one-stop is slowly taking the backlog in.
        try await sandbox.setFaults(["latencyMs": 800])
        for _ in 0..<300 {
            if try await sandbox.ledger().count >= 5 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(gateway.processIdentifier, SIGKILL)
        gateway.waitUntilExit()
        let forwardedBeforeKill = try await sandbox.ledger().count
        #expect(forwardedBeforeKill < numbers.count, "the kill should land mid-forwarding")

        let restarted = try await Self.start(dataDirectory: dataDirectory, port: port, extraArguments: arguments, environment: environment)
        defer {
            restarted.terminate()
            restarted.waitUntilExit()
        }
        let ledger = try DatabaseQueue(path: dataDirectory.appending(path: "ledger.sqlite").path)
        var states: [String: Int] = [:]
        for _ in 0..<600 {
            states = try await ledger.read { db in
                Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outboxMessage GROUP BY state")
                        .map { ($0["state"] as String, $0["n"] as Int) })
            }
            if states == ["delivered": numbers.count] { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(states == ["delivered": numbers.count])
        let oneStop = try await sandbox.ledger()
        #expect(oneStop.count == numbers.count)
        #expect(Set(oneStop.keys) == Set(numbers))
    }
}
