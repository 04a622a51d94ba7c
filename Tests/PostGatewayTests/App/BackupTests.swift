import Foundation
import GRDB
import Testing

@testable import PostGateway

/// `postgateway backup --to FILE` beside a live `postgateway serve`: a whole, checked copy, never over a file.
extension CrashRecoveryTests {
    @Test func aBackupOfALiveLedgerHoldsEveryAcknowledgedDossierAndNeverOverwritesAFile() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let port = try freePort()
        let server = try await Self.start(dataDirectory: dataDirectory, port: port, extraArguments: ["--sandbox-port", "off"])
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let http = LiveHTTP(port: port, connections: 8, token: try Self.token(dataDirectory: dataDirectory))
        var numbers: [String] = []
        for index in 0..<12 {
            let (status, body) = try await http.intake(key: "backup-test-\(index)")
            #expect(status == 201)
            numbers.append(try #require(body["trackingNumber"] as? String))
        }

        // The server still runs and holds the ledger, its last commits in the WAL.
        let copyPath = try TestSupport.temporaryDirectory().appending(path: "ledger-copy.sqlite").path
        let (status, output) = try Self.run(["backup", "--to", copyPath, "--data-dir", dataDirectory.path])
        #expect(status == 0, "\(output)")
        let folder = (copyPath as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["ledger-copy.sqlite"])  // one file, whole
        #expect(output.contains("12 dossiers"))
        // The copy holds what the ledger holds: its owner's only, as the ledger and its WAL are.
        for path in [copyPath, dataDirectory.appending(path: "ledger.sqlite").path, dataDirectory.appending(path: "ledger.sqlite-wal").path] {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600, "\(path)")
        }
        let copy = try DatabaseQueue(
            path: copyPath,
            configuration: {
                var c = Configuration()
                c.readonly = true
                return c
            }())
        let (copied, integrity) = try await copy.read { db in
            (
                try String.fetchAll(db, sql: "SELECT trackingNumber FROM item WHERE kind = 'dossier' ORDER BY id"),
                try String.fetchOne(db, sql: "PRAGMA integrity_check")
            )
        }
        #expect(copied == numbers)
        #expect(integrity == "ok")
        try copy.close()

        // A second backup to the same name is refused and leaves the first copy and nothing else behind.
        let before = try Data(contentsOf: URL(fileURLWithPath: copyPath))
        let (again, message) = try Self.run(["backup", "--to", copyPath, "--data-dir", dataDirectory.path], withErrors: true)
        #expect(again != 0)
        #expect(message.contains("exists already"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: copyPath)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("partial") }.isEmpty)
    }
}
