import Foundation
import Testing

@testable import PostGateway

/// The operator's side, through the real executable against a real server process: accounts and tokens made
/// on the command line, the first admin, and logs that never carry personal data.
@Suite(.temporaryFolder, .serialized) struct StaffCommandTests {
    @Test func aTokenFromTheCommandLineWorksUntilRevokedAndAWrongOrTamperedOneNeverDoes() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let port = try freePort()
        let server = try await CrashRecoveryTests.start(dataDirectory: dataDirectory, port: port, extraArguments: ["--sandbox-port", "off"])
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }

        let made = try CrashRecoveryTests.run([
            "token", "create", "--role", "clerk", "--office", "250000", "--label", "máy quét 1",
            "--data-dir", dataDirectory.path,
        ])
        #expect(made.status == 0)
        let lines = made.output.split(separator: "\n")
        let token = String(try #require(lines.first))
        #expect(lines.count == 1 && token.hasPrefix("pgw_") && token.count >= 4 + 43)  // 256 random bits, base64url
        let stored = try await AppDatabase.open(TestSupport.configuration(dataDirectory: dataDirectory)).read { db in
            try String.fetchAll(db, sql: "SELECT tokenHash FROM apiToken")
        }
        #expect(stored == [StaffSecrets.hash(token)])  // only the hash is kept

        let clerk = LiveHTTP(port: port, token: token)
        let (created, body) = try await clerk.intake(key: "cli-token-1")
        #expect(created == 201)
        let number = try #require(body["trackingNumber"] as? String)
        #expect(try await clerk.send("GET", "/api/v1/dossiers/\(number)").status == 200)
        #expect(try await clerk.send("GET", "/api/v1/reports/overdue").status == 403)  // a clerk's token is a clerk's

        var tampered = Array(token)
        tampered[10] = tampered[10] == "A" ? "B" : "A"
        for wrong in [String(tampered), token + "x", "pgw_", String(token.dropFirst(4)), "Bearer"] {
            #expect(try await LiveHTTP(port: port, token: wrong).send("GET", "/api/v1/dossiers/\(number)").status == 401, "\(wrong)")
        }
        #expect(try await LiveHTTP(port: port).send("GET", "/api/v1/dossiers/\(number)").status == 401)

        let listed = try CrashRecoveryTests.run(["token", "list", "--data-dir", dataDirectory.path])
        #expect(listed.output.contains("máy quét 1\tclerk\t250000\tactive") && !listed.output.contains(token))
        #expect(try CrashRecoveryTests.run(["token", "revoke", "1", "--data-dir", dataDirectory.path]).status == 0)
        // Revoked from another process, the token is refused by the running server on its very next request.
        #expect(try await clerk.send("GET", "/api/v1/dossiers/\(number)").status == 401)
        #expect(try CrashRecoveryTests.run(["token", "revoke", "99", "--data-dir", dataDirectory.path]).status != 0)
        // A token must name an office that exists, and an admin's none.
        #expect(
            try CrashRecoveryTests.run(["token", "create", "--role", "clerk", "--office", "999999", "--data-dir", dataDirectory.path]).status != 0)
        #expect(
            try CrashRecoveryTests.run(["token", "create", "--role", "admin", "--office", "250000", "--data-dir", dataDirectory.path]).status != 0)
    }

    @Test func accountsAreCreatedListedDisabledAndResetFromTheCommandLine() throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let directory = ["--data-dir", dataDirectory.path]
        // Where there is no ledger yet, a command that works on one says so and makes none; `migrate` makes it.
        for command in [
            ["user", "create", "--username", "lan.nt", "--role", "admin"], ["token", "create", "--role", "admin"], ["audit", "verify"],
            ["backup", "--to", dataDirectory.appending(path: "copy.sqlite").path], ["user", "list"],
        ] {
            let refused = try CrashRecoveryTests.run(command + directory, withErrors: true)
            #expect(refused.status != 0 && refused.output.contains("No ledger at"), "\(command): \(refused.output)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dataDirectory.path).isEmpty)
        #expect(try CrashRecoveryTests.run(["migrate"] + directory).status == 0)
        let created = try CrashRecoveryTests.run(
            [
                "user", "create", "--username", "Lan.NT", "--name", "Nguyễn Thị Lan", "--role", "supervisor",
                "--office", "251750",
            ] + directory)
        #expect(created.status == 0)
        let password = String(try #require(created.output.split(separator: " ").last)).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(password.count == 16)
        #expect(
            try CrashRecoveryTests.run(["user", "create", "--username", "lan.nt", "--role", "clerk", "--office", "251750"] + directory).status != 0)
        #expect(try CrashRecoveryTests.run(["user", "create", "--username", "binh", "--role", "clerk"] + directory).status != 0)  // no office

        #expect(try CrashRecoveryTests.run(["user", "list"] + directory).output.contains("lan.nt\tsupervisor\t251750\tactive\t0"))
        // Named as it was typed at creation: the account is lan.nt, as at the login page.
        #expect(try CrashRecoveryTests.run(["user", "disable", "Lan.NT"] + directory).status == 0)
        #expect(try CrashRecoveryTests.run(["user", "list"] + directory).output.contains("lan.nt\tsupervisor\t251750\tdisabled"))
        let reset = try CrashRecoveryTests.run(["user", "reset-password", "LAN.NT"] + directory)
        #expect(reset.status == 0 && reset.output.contains("new password for lan.nt: ") && !reset.output.contains(password))
        #expect(try CrashRecoveryTests.run(["user", "reset-password", "nobody"] + directory).status != 0)
        // Each of these is in the audit log, and the chain holds.
        let verified = try CrashRecoveryTests.run(["audit", "verify"] + directory)
        #expect(verified.status == 0 && verified.output.contains("intact: 3 rows"))
    }

    @Test func theFirstStartMakesAnAdminAndPrintsItsPasswordOnceAndTheLogsNeverCarryPersonalData() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let logURL = dataDirectory.appending(path: "server.log")
        #expect(FileManager.default.createFile(atPath: logURL.path, contents: nil))
        let log = try FileHandle(forWritingTo: logURL)
        // No configured admin password: one is generated and printed. The log level is the chattiest there is.
        let environment = ["POSTGATEWAY_ADMIN_PASSWORD": "", "POSTGATEWAY_LOG_LEVEL": "trace"]
        let port = try freePort()
        var server = try await CrashRecoveryTests.start(dataDirectory: dataDirectory, port: port, environment: environment, output: log)

        let admin = try CrashRecoveryTests.token(dataDirectory: dataDirectory)
        let http = LiveHTTP(port: port, token: admin)
        let (status, body) = try await http.intake(key: "log-check-1")
        #expect(status == 201)
        let number = body["trackingNumber"] as! String
        let pin = body["trackingPin"] as! String
        _ = try await http.send("GET", "/api/v1/dossiers/\(number)")
        _ = try await http.send("GET", "/api/v1/dossiers/\(number)/receipt")
        _ = try await http.send("GET", "/api/v1/labels/\(number)")
        _ = try await LiveHTTP(port: port).send("GET", "/api/v1/track/\(number)?pin=\(pin)")
        _ = try await LiveHTTP(port: port).send("GET", "/t/\(number)?pin=\(pin)")
        let bad = TestSupport.intake {
            $0["applicant"] = [
                "fullName": "Nguyễn Thị Hồng Nhung", "idNumber": "01919000123", "phone": "0912345678",
                "address": "Số 12, tổ 5, phường Tân Thịnh",
            ]
        }
        #expect(try await http.intake(key: "log-check-2", body: bad).status == 422)
        // Let the forwarder carry the dossier to the sandbox one-stop in this process, which logs too.
        _ = try await ResultJourneyTests.eventually(within: 10) {
            (try? await http.send("GET", "/api/v1/dossiers/\(number)"))?.body.range(of: Data("\"oneStopCode\":\"".utf8)) != nil
        }
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        // A stop is not a failure: every service (the nightly reconciliation asleep till 02:00 among them) ends cleanly.
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)

        // A second start finds the admin and prints no password.
        server = try await CrashRecoveryTests.start(dataDirectory: dataDirectory, port: port, environment: environment, output: log)
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        try log.close()

        let text = try String(contentsOf: logURL, encoding: .utf8)
        #expect(text.components(separatedBy: "first admin: admin / ").count == 2, "printed once")
        #expect(!text.contains("CancellationError"))
        for secret in ["Nguyễn", "Hồng Nhung", "019190001234", "01919000123", "0912345678", "912 345 678", "Tân Thịnh", "nhung@example.vn"] {
            #expect(!text.contains(secret), "the log carries \(secret)")
        }
    }
}
