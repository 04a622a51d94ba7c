import Foundation
import Testing

@testable import PostGateway

/// The sandbox never poses as the province's one-stop: it runs only when asked, on loopback, its controls take a token
/// of their own, and while dossiers go to it every staff page, `/health` and the start-up say so.
@Suite(.temporaryFolder, .serialized) struct SandboxModeTests {
    struct Health: Decodable {
        let status: String
        let oneStop: String
    }

    /// Whether a socket listens on `port` at 127.0.0.1 only, as the kernel lists it (`/proc/net/tcp`: local address in
    /// hex, state 0A for LISTEN).
    static func listeningAddresses(port: Int) throws -> [String] {
        let table = try procTable("/proc/net/tcp") + procTable("/proc/net/tcp6")
        let portHex = String(format: "%04X", port)
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: " ")
            guard columns.count > 3, columns[3] == "0A" else { return nil }
            let local = columns[1].split(separator: ":")
            return local.count == 2 && local[1] == portHex ? String(local[0]) : nil
        }
    }

    /// A whole /proc table. The kernel hands it out about a page per read (27 sockets of /proc/net/tcp), so it is read
    /// until a read brings nothing: read once, a machine busy with parallel tests' connections lists only its first
    /// sockets, and the sandbox's was missing from it.
    static func procTable(_ path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var table = Data()
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty { table.append(chunk) }
        return String(decoding: table, as: UTF8.self)
    }

    @Test func aSandboxAskedForSaysSoEverywhereAndItsControlsTakeTheirOwnToken() async throws {
        let port = try freePort()
        let sandboxPort = try freePort()
        let dataDirectory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let outputFile = dataDirectory.appending(path: "serve.out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        let server = try await CrashRecoveryTests.start(
            dataDirectory: dataDirectory, port: port,
            extraArguments: ["--sandbox-port", String(sandboxPort), "--host", "0.0.0.0"], output: output)
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let gateway = LiveHTTP(port: port)
        let health = try JSONDecoder().decode(Health.self, from: try await gateway.send("GET", "/health").body)
        #expect(health.oneStop == "sandbox")
        let login = String(decoding: try await gateway.send("GET", "/login").body, as: UTF8.self)
        #expect(login.contains("class=\"sandbox-banner\"") && login.contains("MÔI TRƯỜNG THỬ"))

        // The controls: not with no token, not with the contract's token, only with their own, kept in the data folder.
        let tokenPath = dataDirectory.appending(path: "secrets/\(AppDependencies.sandboxControlTokenFile)")
        let controlToken = try String(contentsOf: tokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let sandbox = LiveHTTP(port: sandboxPort)
        #expect(try await sandbox.send("GET", "/_sandbox/hoso").status == 401)
        #expect(try await sandbox.send("GET", "/_sandbox/hoso", headers: ["Authorization": "Bearer \(SandboxProcess.token)"]).status == 401)
        #expect(try await sandbox.send("GET", "/_sandbox/hoso", headers: ["Authorization": "Bearer \(controlToken)"]).status == 200)
        // On loopback only, even with the gateway itself on every address.
        let addresses = try Self.listeningAddresses(port: sandboxPort)
        #expect(addresses == ["0100007F"], "\(addresses)")

        try output.synchronize()
        let printed = try String(contentsOf: outputFile, encoding: .utf8)
        #expect(printed.contains("Sandbox controls") && printed.contains(tokenPath.path) && !printed.contains(controlToken))
        #expect(printed.split(separator: "\n").filter { $0.contains("SANDBOX one-stop") }.count == 1, "one start-up line says so")
    }

    @Test func withoutASandboxOrAOneStopNothingPosesAsOne() async throws {
        let port = try freePort()
        let dataDirectory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        // A configuration of its own, without the demo's sandbox: the default runs none.
        let config = dataDirectory.appending(path: "gateway.yaml")
        try "server:\n  port: \(port)\n".write(to: config, atomically: true, encoding: .utf8)
        let outputFile = dataDirectory.appending(path: "serve.out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        let server = try await CrashRecoveryTests.start(
            dataDirectory: dataDirectory, port: port, extraArguments: ["--config", config.path],
            output: output)
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let gateway = LiveHTTP(port: port, token: try CrashRecoveryTests.token(dataDirectory: dataDirectory))
        let health = try JSONDecoder().decode(Health.self, from: try await gateway.send("GET", "/health").body)
        #expect(health.oneStop == "notConfigured")
        #expect(try await gateway.send("GET", "/ready").status == 200, "ready: the ledger takes dossiers in")
        #expect(!String(decoding: try await gateway.send("GET", "/login").body, as: UTF8.self).contains("sandbox-banner"))
        #expect(try await gateway.intake(key: UUID().uuidString).status == 201, "dossiers are taken in, and wait in the outbox")
        try output.synchronize()
        let printed = try String(contentsOf: outputFile, encoding: .utf8)
        #expect(!printed.contains("OneStopSandbox listening") && printed.contains("no one-stop configured"), "\(printed)")
    }
}
