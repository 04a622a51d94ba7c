import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// A result-only order over real sockets, with the real sandbox one-stop process: the citizen who filed online
/// orders delivery on the portal, and the result reaches their door with the one-stop told each step by mã hồ sơ.
@Suite(.temporaryFolder, .serialized) struct ResultOnlyJourneyTests {
    @Test func anOnlineDossiersOrderIsPickedUpDeliveredAndTheOneStopLedgerEndsAtTenWithDaPhat() async throws {
        try await SandboxProcess.besideLiveGateway { client, sandbox, dependencies in
            let database = dependencies.database
            let eventually = ResultJourneyTests.eventually
            let maHoSo = "000.42.20.H55-261204-0007"
            func order() async throws -> (DossierRecord, ItemRecord)? { try await ResultOrderCallbackTests.orderDossier(database, code: maHoSo) }
            func scan(_ number: String, _ event: String, extra: [String: Any] = [:]) async throws {
                let response = try await ScanningTests.scan(client, number, event, office: "251750", extra: extra)
                #expect(response.status == .created, "\(event) of \(number)")
            }

            // The citizen orders delivery on the portal while the desk is still at work (status 4).
            #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", SandboxResultOrderTests.portalOrder(maHoSo)).0 == 201)
            #expect(try await eventually(30) { try await order() != nil })
            let number = try #require(try await order()?.1.trackingNumber)
            // The gateway gives the one-stop the item number (TIEP_NHAN_DON, call 7), so the portal can show it.
            #expect(
                try await eventually(30) {
                    let row = try await sandbox.orders()[maHoSo]
                    return row?["MaBuuGuiKetQua"] as? String == number && row?["TrangThaiKetQua"] as? String == "TIEP_NHAN_DON"
                })

            // The result is ready: the item is on the serving office's pickup list with the cash to collect.
            #expect(
                try await sandbox.lgsp("POST", "/_sandbox/ketqua/\(maHoSo)/trangthai", ["TrangThaiHoSo": 9, "NoiDung": "Đã có kết quả"]).0 == 200)
            #expect(try await eventually(30) { try await order()?.0.oneStopStatus == 9 })
            let pickups = try await client.execute(uri: "/api/v1/pickups?officeCode=251750", method: .get, headers: TestSupport.headers(key: nil))
                .decoded(as: Answer.PickupList.self).items
            #expect(pickups.map(\.trackingNumber) == [number] && pickups.first?.cashOnDelivery == 52_000)

            // The courier collects it at the desk on a pickup biên bản; the desk's officer signs.
            let opened = try await PickupManifestTests.open(client, [number])
            let manifest = try opened.decoded(as: Answer.PickupManifest.self)
            let signed = try await client.execute(
                uri: "/api/v1/pickup-manifests/\(manifest.id)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["handedOverBy": "Lê Thị Hoa"]))
            #expect(signed.status == .ok)
            #expect(
                try await eventually(30) { try await sandbox.orders()[maHoSo]?["TrangThaiKetQua"] as? String == "DA_NHAN_KET_QUA" })
            try await scan(number, "outForDelivery")
            try await scan(number, "delivered", extra: ["identityChecked": true])

            // The one-stop's ledger ends at 10 with DA_PHAT, keyed by mã hồ sơ, and its callback brings the gateway there.
            #expect(
                try await eventually(30) {
                    let row = try await sandbox.orders()[maHoSo]
                    return row?["TrangThaiHoSo"] as? Int == 10 && row?["TrangThaiKetQua"] as? String == "DA_PHAT"
                })
            #expect(try await eventually(30) { try await order()?.0.oneStopStatus == 10 })
            let statistics = try await TestSupport.drained(database)
            #expect(statistics.dead == 0 && statistics.pending == 0)
            let kinds = try await database.read { db in try String.fetchAll(db, sql: "SELECT kind FROM outboxMessage ORDER BY id") }
            #expect(Set(kinds) == ["reportOrderProgress"] && kinds.count == 4)

            // The citizen follows it by the mã hồ sơ on the appointment slip, or by the item number.
            for code in [maHoSo, number] {
                let page = String(buffer: try await client.execute(uri: "/t/\(code)", method: .get).body)
                #expect(page.contains("Đã phát kết quả thành công"), "\(code)")
            }
        }
    }

    @Test func theSandboxAutopilotPlacesOrdersTheGatewayTakesAndFinishesThemForPickup() async throws {
        try await SandboxProcess.besideLiveGateway { client, sandbox, dependencies in
            let database = dependencies.database
            let settings: [String: Any] = ["enabled": true, "orderEverySeconds": 1, "receiveAfterSeconds": 1, "resultAfterSeconds": 1]
            #expect(try await sandbox.lgsp("PUT", "/_sandbox/autopilot", settings).0 == 200)
            // Every order the autopilot places names a desk and a commune of the map, so the gateway takes each.
            let ready = try await ResultJourneyTests.eventually(within: 30) {
                try await database.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier WHERE service = 'resultOnly' AND oneStopStatus = 9")! >= 2
                }
            }
            #expect(ready)
            let outcomes = try await database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT outcome FROM oneStopCallback") }
            #expect(Set(outcomes).isSubset(of: ["applied", "superseded"]))
            let pickups = try await database.pendingPickups(officeCode: nil)
            #expect(pickups.filter { $0.dossierTrackingNumber == nil }.count >= 2)
        }
    }

    @Test func aSIGKILLBeforeTheOrdersTiepNhanDonIsSentLosesNeitherAndTheNumberGoesAfterTheRestart() async throws {
        let port = try freePort()
        let sandboxPort = try freePort()
        let dataDirectory = try TestSupport.temporaryDirectory()
        func start() async throws -> ChildProcess {
            try await CrashRecoveryTests.start(
                dataDirectory: dataDirectory, port: port, extraArguments: ["--sandbox-port", String(sandboxPort)],
                environment: ["POSTGATEWAY_SANDBOX_CONTROL_TOKEN": SandboxProcess.controlToken])
        }
        let sandbox = LiveHTTP(port: sandboxPort, token: SandboxProcess.controlToken)
        func control(_ method: String, _ path: String, _ body: [String: Any]) async throws -> Int {
            try await sandbox.send(
                method, path, headers: ["Content-Type": "application/json"], body: try JSONSerialization.data(withJSONObject: body)
            )
            .status
        }
        let maHoSo = "000.42.20.H55-261204-0077"
        func ledger<T: Sendable>(_ read: @Sendable (Database) throws -> T) async throws -> T {
            var readOnly = Configuration()
            readOnly.readonly = true
            return try await DatabaseQueue(path: dataDirectory.appending(path: "ledger.sqlite").path, configuration: readOnly).read(read)
        }

        var server = try await start()
        // The one-stop takes the order's callback but refuses every call of the gateway: TIEP_NHAN_DON waits in the outbox.
        #expect(try await control("PUT", "/_sandbox/faults", ["errorRate": 1.0]) == 200)
        #expect(try await control("POST", "/_sandbox/ketqua", SandboxResultOrderTests.portalOrder(maHoSo)) == 201)
        let waiting = try await ResultJourneyTests.eventually(within: 30) {
            try await ledger { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM outboxMessage m JOIN dossier d ON d.id = m.dossierId
                        WHERE d.oneStopCode = ? AND m.kind = 'reportOrderProgress' AND m.state = 'pending' AND m.attempts >= 1
                        """, arguments: [maHoSo])! == 1
            }
        }
        #expect(waiting)
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()

        // Started again, with the one-stop well: the number reaches it, once, and the order is one order.
        server = try await start()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let number = try await ledger { db in
            try String.fetchOne(
                db, sql: "SELECT i.trackingNumber FROM item i JOIN dossier d ON d.id = i.dossierId WHERE d.oneStopCode = ?", arguments: [maHoSo])
        }
        let told = try await ResultJourneyTests.eventually(within: 30) {
            let (_, data) = try await sandbox.send("GET", "/_sandbox/hoso")
            let rows = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["DuLieu"] as! [[String: Any]]
            let row = rows.first { $0["MaHoSo"] as? String == maHoSo }
            return row?["MaBuuGuiKetQua"] as? String == number && row?["TrangThaiKetQua"] as? String == "TIEP_NHAN_DON"
        }
        #expect(told && number != nil)
        let (orders, items) = try await ledger { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier WHERE oneStopCode = ?", arguments: [maHoSo])!,
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM item i JOIN dossier d ON d.id = i.dossierId WHERE d.oneStopCode = ?", arguments: [maHoSo])!
            )
        }
        #expect(orders == 1 && items == 1)
    }
}
