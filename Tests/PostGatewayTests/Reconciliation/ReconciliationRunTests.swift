import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Reconciliation against the real sandbox process, over real sockets: two ledgers that agree, then every class
/// of disagreement injected with the sandbox's tamper controls, found, classified, repaired where safe, and
/// agreeing on the next run.
@Suite(.temporaryFolder, .serialized) struct ReconciliationRunTests {
    @Test func everyDisagreementIsFoundClassifiedAndTheSafeRepairsConvergeOnTheNextRun() async throws {
        try await SandboxProcess.besideLiveGateway { client, sandbox, dependencies in
            let database = dependencies.database
            let reconciler = dependencies.reconciler()
            let today = LocalDate(dependencies.clock())
            func status(_ number: String) async throws -> Int? { try await OneStopEventsTests.dossier(database, number).oneStopStatus }
            func eventually(_ condition: () async throws -> Bool) async throws { #expect(try await ResultJourneyTests.eventually(condition)) }

            // Seven dossiers, registered at the one-stop.
            var numbers: [String] = []
            for _ in 0..<7 {
                let created = try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                    body: TestSupport.json(TestSupport.intake()))
                numbers.append(try created.decoded(as: Answer.IntakeReceipt.self).trackingNumber)
            }
            let (a, b, c, d, e, f, g) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers[6])
            for number in numbers { try await eventually { try await status(number) == 1 } }
            // B and D are handed over at the desk; C, D, F and G are received (a mã hồ sơ each); D's result is ready and picked up.
            for number in [b, d] { #expect(try await ScanningTests.scan(client, number, "arrived", office: "251750").status == .created) }
            let manifest = try await HandoverTests.open(client, [b, d]).decoded(as: Answer.Handover.self).id
            let signed = try await client.execute(
                uri: "/api/v1/handovers/\(manifest)/sign", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["receivedBy": "Trần Thị Bình"]))
            #expect(signed.status == .ok)
            for number in [c, d, f, g] { try await sandbox.move(number, to: 2, content: "Đã tiếp nhận") }
            try await sandbox.move(d, to: 9, content: "Đã có kết quả", result: ["SoLuongGiayTo": 1, "TienThuKhiPhat": 0])
            try await eventually { try await status(d) == 9 }
            let pickups = try await client.execute(uri: "/api/v1/pickups?officeCode=251750", method: .get).decoded(as: Answer.PickupList.self)
            let result = try #require(pickups.items.first?.trackingNumber)
            #expect(try await ScanningTests.scan(client, result, "pickedUp", office: "251750").status == .created)
            for number in [c, f, g] { try await eventually { try await status(number) == 2 } }
            try await eventually { try await sandbox.ledger()[d]?["TrangThaiKetQua"] as? String == "DA_NHAN_KET_QUA" }
            _ = try await TestSupport.drained(database)

            // The two ledgers agree.
            let clean = try await reconciler.run(.init(from: today, to: today))
            #expect(clean.state == .agreed && clean.error == nil)
            let cleanFindings = try await database.reconciliationFindings(runId: clean.id!)
            #expect(cleanFindings.isEmpty, "\(cleanFindings.map(\.finding))")

            // Every class of disagreement, injected at the one-stop.
            #expect(try await sandbox.lgsp("DELETE", "/_sandbox/hoso/\(a)").0 == 200)
            let stranger = TrackingNumber(prefix: "PH", serial: 99_999_001).description
            // The frozen payload keeps the ID number sealed; the forwarder opens it to send, and so does this test.
            let frozen = try await database.read { db in
                try String.fetchOne(db, sql: "SELECT payload FROM outboxMessage WHERE kind = 'registerDossier' ORDER BY id LIMIT 1")!
            }
            var registration =
                try JSONSerialization.jsonObject(
                    with: Data(try #require(OneStopRegistration.openingIdNumber(frozen, with: database.idNumbers)).utf8)) as! [String: Any]
            registration["MaBuuGui"] = stranger
            #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", registration).0 == 201)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/hoso/\(c)", ["TrangThaiHoSo": 4]).0 == 200)  // the gateway missed a status
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/hoso/\(f)", ["TrangThaiHoSo": 1]).0 == 200)  // the one-stop went backwards
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/hoso/\(e)", ["LePhi": 9000]).0 == 200)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/hoso/\(g)", ["MaHoSo": "000.42.20.H55-261123-9999"]).0 == 200)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/hoso/\(b)", ["ThoiDiemBanGiao": NSNull()]).0 == 200)  // a lost handover
            #expect(
                try await sandbox.lgsp(
                    "PATCH", "/_sandbox/hoso/\(d)",
                    [
                        "ThoiDiemBanGiao": "20200101080000",
                        "TrangThaiKetQua": NSNull(), "MaBuuGuiKetQua": NSNull(),
                    ]
                ).0 == 200)
            let expected: Set<String> = [
                "\(a) missingAtOneStop resend", "\(stranger) missingInGateway forAPerson", "\(c) statusDisagreement takeStatus",
                "\(f) statusDisagreement forAPerson", "\(e) feeDisagreement forAPerson", "\(g) dossierCodeDisagreement forAPerson",
                "\(b) handoverTimeDisagreement resend", "\(d) handoverTimeDisagreement forAPerson", "\(d) resultItemDisagreement resend",
            ]
            func described(_ run: ReconciliationRunRecord) async throws -> Set<String> {
                Set(
                    try await database.reconciliationFindings(runId: run.id!).map {
                        "\($0.finding.trackingNumber) \($0.finding.kind.rawValue) \($0.finding.repair.rawValue)"
                    })
            }

            // A dry run finds and classifies everything and changes nothing.
            let outboxBefore = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outboxMessage")! }
            let dry = try await reconciler.run(.init(from: today, to: today, dryRun: true))
            #expect(dry.state == .findings && dry.state.exitCode == 1)
            #expect(try await described(dry) == expected)
            #expect(try await database.reconciliationFindings(runId: dry.id!).allSatisfy { !$0.finding.repaired })
            #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outboxMessage")! } == outboxBefore)
            #expect(try await status(c) == 2)
            let findings = try await database.reconciliationFindings(runId: dry.id!).map(\.finding)
            #expect(findings.first { $0.trackingNumber == f }?.ahead == .gateway && findings.first { $0.trackingNumber == c }?.ahead == .oneStop)
            let summary = try #require(dry.figures)
            let agency = try #require(summary.agencies.first { $0.agencyCode == "000.42.20.H55" })
            #expect(agency.gatewayDossiers == 7 && agency.oneStopDossiers == 7 && agency.oneStopFees - agency.gatewayFees == 1000)

            // The real run repairs what is safe; the outbox carries it to the one-stop.
            let repairing = try await reconciler.run(.init(from: today, to: today))
            #expect(repairing.state == .findings)
            #expect(try await described(repairing) == expected)
            let repaired = Set(
                try await database.reconciliationFindings(runId: repairing.id!).filter(\.finding.repaired).map(\.finding.trackingNumber))
            #expect(repaired == [a, b, c, d])
            #expect(try await status(c) == 4)
            _ = try await TestSupport.drained(database)
            let ledger = try await sandbox.ledger()
            #expect(ledger[a] != nil)
            #expect(ledger[d]?["TrangThaiKetQua"] as? String == "DA_NHAN_KET_QUA" && ledger[d]?["MaBuuGuiKetQua"] as? String == result)
            #expect(ledger[b]?["ThoiDiemBanGiao"] is String)

            // The next run finds only what needs a person, and running it again changes nothing more.
            let forAPerson: Set<String> = [
                "\(stranger) missingInGateway forAPerson", "\(f) statusDisagreement forAPerson", "\(e) feeDisagreement forAPerson",
                "\(g) dossierCodeDisagreement forAPerson", "\(d) handoverTimeDisagreement forAPerson",
            ]
            let next = try await reconciler.run(.init(from: today, to: today))
            #expect(try await described(next) == forAPerson)
            let outboxAfter = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outboxMessage")! }
            let again = try await reconciler.run(.init(from: today, to: today))
            #expect(try await described(again) == forAPerson && again.state == .findings)
            #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outboxMessage")! } == outboxAfter)

            // The report of a run: JSON, CSV and an HTML page in the reports folder, and through the API.
            let folder = dependencies.configuration.reportsDirectory
            let json = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/reconciliation-\(again.id!).json"))
                .decoded(as: Answer.ReconciliationRunFindings.self)
            #expect(json.findings.count == 5 && json.run.state == "findings")
            let csv = try String(contentsOfFile: "\(folder)/reconciliation-\(again.id!).csv", encoding: .utf8)
            #expect(csv.hasPrefix(ReconciliationReport.csvHeader) && csv.contains("\(e),feeDisagreement,000.42.20.H55,8000,9000"))
            let html = try String(contentsOfFile: "\(folder)/reconciliation-\(again.id!).html", encoding: .utf8)
            #expect(html.contains("Lệch lệ phí thu hộ") && html.contains(stranger) && !html.contains("Nguyễn"))
            let shown = try await client.execute(uri: "/api/v1/reconciliations/\(again.id!)?limit=2", method: .get)
                .decoded(as: Answer.ReconciliationRunFindings.self)
            #expect(shown.findings.count == 2 && shown.nextFindingsCursor == "2")
            let listed = try await client.execute(uri: "/api/v1/reconciliations", method: .get).decoded(as: Answer.ReconciliationRunList.self)
            #expect(listed.items.map(\.id).prefix(2) == [Int(again.id!), Int(next.id!)])

            // A supervisor starts a run through the API; the server's service carries it out.
            let started = try await client.execute(
                uri: "/api/v1/reconciliations", method: .post, headers: TestSupport.headers(key: nil),
                body: TestSupport.json(["date": today.description, "dryRun": true]))
            #expect(started.status == .accepted)
            let id = try started.decoded(as: Answer.ReconciliationRun.self).id
            try await eventually { try await database.reconciliationRun(id: Int64(id))?.state == .findings }
        }
    }

    @Test func anUnreachableOneStopFailsTheRunLoudlyWithExitCodeTwo() async throws {
        let directory = try TestSupport.temporaryDirectory()
        _ = try AppDatabase.open(TestSupport.configuration(dataDirectory: directory))
        let process = ChildProcess()
        process.executableURL = try CrashRecoveryTests.executable()
        process.currentDirectoryURL = TestSupport.packageRoot
        process.arguments = [
            "reconcile", "--date", "2026-11-20", "--data-dir", directory.path, "--onestop-url", "http://127.0.0.1:\(try freePort())",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: try output.fileHandleForReading.readAllRetryingInterruptedReads(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(printed.contains("failed") && printed.contains("could not be read"))
        let database = try AppDatabase.open(TestSupport.configuration(dataDirectory: directory))
        let run = try #require(try await database.reconciliationRuns(before: nil, limit: 1).first)
        #expect(run.state == .failed && run.error?.contains("one-stop") == true)
        let page = try String(contentsOfFile: directory.appending(path: "reports/reconciliation-\(run.id!).html").path, encoding: .utf8)
        #expect(page.contains("Không hoàn thành được"))
    }

    /// Started where there is no ledger (cron in another folder, a mistyped --data-dir): exit 2, "could not complete",
    /// not 1, "findings remain"; and no new empty ledger left behind.
    @Test func aRunWithoutALedgerCouldNotCompleteAndMakesNone() throws {
        let directory = try TestSupport.temporaryDirectory()
        let run = try CrashRecoveryTests.run(["reconcile", "--date", "2026-11-20", "--data-dir", directory.path], withErrors: true)
        #expect(run.status == 2 && run.output.contains("No ledger at"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.appending(path: "ledger.sqlite").path))
    }

    @Test func aSecondRunWhileOneHoldsTheLockFailsInsteadOfOverlapping() async throws {
        let dependencies = try TestSupport.dependencies()
        let reconciler = dependencies.reconciler()
        let lock = try #require(try RunLock.acquire(path: reconciler.lockPath))
        let day = LocalDate(iso: "2026-11-20")!
        let refused = try await reconciler.run(.init(from: day, to: day))
        #expect(refused.state == .failed && refused.error?.contains("in progress") == true)
        withExtendedLifetime(lock) {}
    }

    @Test func badRunRequestsNameEveryBadField() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            for (body, fields) in [
                (["from": "2026-11-20", "to": "2026-11-01"], ["to"]), (["date": "21/11/2026", "dryRun": "yes"], ["date", "dryRun"]),
                (["date": "2026-12-31"], ["date"]), (["from": "2026-11-01"], ["to"]), (["date": "2026-11-01", "to": "2026-11-02"], ["to"]),
            ]
                as [([String: Any], [String])]
            {
                let response = try await client.execute(
                    uri: "/api/v1/reconciliations", method: .post, headers: TestSupport.headers(key: nil),
                    body: TestSupport.json(body))
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(Set(try response.problem.fields) == Set(fields), "\(body)")
            }
            #expect(try await client.execute(uri: "/api/v1/reconciliations/99", method: .get).status == .notFound)
            #expect(try await dependencies.database.reconciliationRuns(before: nil, limit: 10).isEmpty)
        }
    }
}
