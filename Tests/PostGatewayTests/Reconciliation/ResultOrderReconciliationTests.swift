import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import PostGateway

/// A one-stop for a run over result-only orders: call 8 lists `orders`, which a test changes between runs; call 7
/// records the progress the forwarder sends, as the sandbox does, and refuses it (404) for an order it does not hold.
final class FakeOrderOneStop: Sendable {
    let orders: Mutex<[String: OneStopOrderRow]>
    /// The days each page of call 8 was asked for.
    let asked = Mutex<[(from: LocalDate, to: LocalDate)]>([])

    init(_ rows: [OneStopOrderRow]) { orders = Mutex(Dictionary(uniqueKeysWithValues: rows.map { ($0.maHoSo, $0) })) }

    var client: OneStopClient {
        var client = OneStopClient(
            send: { [self] kind, key, payload in record(kind, key, payload) }, listDossiers: { _, _, _, _ in ([], nil) },
            isReachable: { true })
        client.listOrders = { [self] from, to, _, _ in
            asked.withLock { $0.append((from, to)) }
            return (orders.withLock { Array($0.values) }.sorted { $0.maHoSo < $1.maHoSo }, nil)
        }
        return client
    }

    private func record(_ kind: OutboxMessageRecord.Kind, _ key: String, _ payload: String) -> OneStopClient.Answer {
        guard kind == .reportOrderProgress, case .object(let body)? = try? JSONValue(parsing: Data(payload.utf8)),
            case .string(let number)? = body["MaBuuGuiKetQua"], case .string(let state)? = body["TrangThai"]
        else { return .refused("HTTP 400: MaLoi 400") }
        let known = orders.withLock { orders in
            guard orders[key] != nil else { return false }
            orders[key]?.maBuuGuiKetQua = number
            orders[key]?.trangThaiKetQua = state
            return true
        }
        return known ? .accepted : .refused("HTTP 404: MaLoi 404")
    }
}

/// Result-only orders reconciled against a one-stop of the test's own, through the router and the ledger: an order
/// missing on either side, cash that differs, a TIEP_NHAN_DON the one-stop never got sent again and agreeing on the next
/// run, and the orders each side dates apart (placed before the run's days, taken after them) met all the same.
@Suite(.temporaryFolder) struct ResultOrderReconciliationTests {
    static let monday = LocalDate(TestSupport.mondayMorning)

    /// An order placed on the portal, as the one-stop's signed callback brings it (placed Friday the 20th, taken Monday).
    static func place(_ client: some TestClientProtocol, _ dependencies: AppDependencies, code: String) async throws -> (
        number: String, dossierId: Int64
    ) {
        let answer = try await OneStopEventsTests.send(
            client, ResultOrderCallbackTests.data(ResultOrderCallbackTests.order(code: code)), secret: dependencies.webhookSecret)
        #expect(answer.status == .ok)
        let (dossier, item) = try #require(try await ResultOrderCallbackTests.orderDossier(dependencies.database, code: code))
        return (item.trackingNumber, dossier.id!)
    }

    static func row(_ code: String, number: String?, state: String?, cash: Int64 = 52_000, placed: String) -> OneStopOrderRow {
        OneStopOrderRow(
            maHoSo: code, maBuuGuiKetQua: number, maCoQuan: "000.42.20.H55", trangThaiHoSo: 4, tienThuKhiPhat: cash, trangThaiKetQua: state,
            ngayDatHang: placed)
    }

    static func described(_ database: AppDatabase, _ run: ReconciliationRunRecord) async throws -> Set<String> {
        Set(
            try await database.reconciliationFindings(runId: run.id!).map {
                "\($0.finding.trackingNumber) \($0.finding.kind.rawValue) \($0.finding.repair.rawValue)"
            })
    }

    @Test func aLostTakenReportIsSentAgainAndAgreesOnTheNextRunWhileWhatNeedsAPersonRemains() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            // P's TIEP_NHAN_DON died in an outage; Q's cash differs at the one-stop; R the one-stop lost; S the gateway
            // never got; T reached the gateway only on Tuesday; U was placed before the days the run looks at.
            let (pCode, qCode, rCode, sCode, tCode, uCode) = (
                "000.42.20.H55-261120-0007", "000.42.20.H55-261120-0008", "000.42.20.H55-261120-0009", "000.42.20.H55-261123-0010",
                "000.42.20.H55-261123-0011", "000.42.20.H55-261119-0012"
            )
            let p = try await Self.place(client, dependencies, code: pCode)
            let q = try await Self.place(client, dependencies, code: qCode)
            let r = try await Self.place(client, dependencies, code: rCode)
            let t = try await Self.place(client, dependencies, code: tCode)
            try await database.write { db in
                try db.execute(sql: "UPDATE outboxMessage SET state = 'delivered', attempts = 1")
                try db.execute(
                    sql: "UPDATE outboxMessage SET state = 'dead', attempts = 30, lastError = 'gave up after 72 h: HTTP 503' WHERE dossierId = ?",
                    arguments: [p.dossierId])
                try db.execute(
                    sql: "UPDATE dossier SET acceptedAt = ? WHERE id = ?",
                    arguments: [LedgerTime.string(TestSupport.mondayMorning.addingTimeInterval(86_400)), t.dossierId])
            }
            let stranger = TrackingNumber(prefix: "PK", serial: 99_999_001).description
            let fake = FakeOrderOneStop([
                Self.row(pCode, number: nil, state: nil, placed: "20261120160000"),
                Self.row(qCode, number: q.number, state: "TIEP_NHAN_DON", cash: 60_000, placed: "20261120160000"),
                Self.row(sCode, number: stranger, state: "TIEP_NHAN_DON", cash: 30_000, placed: "20261123080000"),
                Self.row(tCode, number: t.number, state: "TIEP_NHAN_DON", placed: "20261123090000"),
                Self.row(uCode, number: nil, state: nil, placed: "20261119100000"),
            ])
            let reconciler = Reconciler(
                database: database, reader: OneStopLedgerReader(client: fake.client), reportsDirectory: dependencies.configuration.reportsDirectory,
                lockPath: dependencies.configuration.reconciliationLockPath, agencyNames: [:], clock: dependencies.clock,
                logger: dependencies.logger)

            // The first run finds each, repairs what is safe, and reads the one-stop's list from three days before Monday.
            let first = try await reconciler.run(.init(from: Self.monday, to: Self.monday))
            #expect(first.state == .findings && first.error == nil)
            #expect(
                try await Self.described(database, first) == [
                    "\(p.number) resultItemDisagreement resend", "\(q.number) cashOnDeliveryDisagreement forAPerson",
                    "\(r.number) missingAtOneStop resend", "\(sCode) orderMissingInGateway forAPerson",
                ])
            #expect(fake.asked.withLock { $0.first?.from } == LocalDate(iso: "2026-11-20"))
            let repaired = try await database.reconciliationFindings(runId: first.id!).filter(\.finding.repaired).map(\.finding.trackingNumber)
            #expect(Set(repaired) == [p.number, r.number])
            // Đồng by đồng: P, Q, R and T at 52,000 each in the gateway; P, Q (60,000), S (30,000) and T at the one-stop.
            let figures = try #require(first.orderFigures)
            #expect(figures.gatewayOrders == 4 && figures.oneStopOrders == 4 && figures.matched == 3)
            let agency = try #require(figures.agencies.first)
            #expect(agency.gatewayCashOnDelivery == 208_000 && agency.oneStopCashOnDelivery == 194_000 && !agency.agree)
            let messages = try await database.read { db in
                try OutboxMessageRecord.filter([p.dossierId, r.dossierId].contains(Column("dossierId"))).order(Column("id")).fetchAll(db)
            }
            #expect(messages.map(\.state) == [.pending, .delivered, .pending])

            // The outbox carries the TIEP_NHAN_DON to the one-stop, which now shows P's number; R's it refuses, as it lost R.
            let forwarder = Forwarder(
                database: database, client: fake.client, settings: .init(), metrics: GatewayMetrics(), clock: dependencies.clock,
                logger: dependencies.logger)
            for _ in 0..<5 {
                if try await forwarder.forwardOneBatch() == 0 { break }
            }
            let shown = fake.orders.withLock { $0[pCode] }
            #expect(shown?.maBuuGuiKetQua == p.number && shown?.trangThaiKetQua == "TIEP_NHAN_DON")

            // The next run agrees on P; what needs a person remains, and running again sends nothing more.
            let remaining: Set<String> = [
                "\(q.number) cashOnDeliveryDisagreement forAPerson", "\(r.number) missingAtOneStop forAPerson",
                "\(sCode) orderMissingInGateway forAPerson",
            ]
            let second = try await reconciler.run(.init(from: Self.monday, to: Self.monday))
            #expect(try await Self.described(database, second) == remaining && second.state == .findings)
            let outbox = try await database.read { db in try OutboxMessageRecord.fetchCount(db) }
            let third = try await reconciler.run(.init(from: Self.monday, to: Self.monday))
            #expect(try await Self.described(database, third) == remaining)
            #expect(try await database.read { db in try OutboxMessageRecord.fetchCount(db) } == outbox)

            // The report: the orders' counts and cash per agency, each finding in words, and the API's JSON as documented.
            let folder = dependencies.configuration.reportsDirectory
            let html = try String(contentsOfFile: "\(folder)/reconciliation-\(third.id!).html", encoding: .utf8)
            #expect(html.contains("Tiền thu khi phát theo cơ quan") && html.contains("Lệch tiền thu khi phát") && html.contains(sCode))
            #expect(html.contains("Đơn trả kết quả thiếu ở cổng bưu chính") && !html.contains("Nguyễn"))
            let csv = try String(contentsOfFile: "\(folder)/reconciliation-\(third.id!).csv", encoding: .utf8)
            #expect(csv.contains("\(q.number),cashOnDeliveryDisagreement,000.42.20.H55,52000,60000"))
            let answer = try await client.execute(uri: "/api/v1/reconciliations/\(third.id!)", method: .get)
            #expect(answer.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView))
            let schema = try #require(
                OpenAPIContractTests.documentedResponse("/api/v1/reconciliations/{id}", "get", 200)?["application/json"]?["schema"] as? [String: Any])
            let problems = OpenAPIContractTests.violations(json, schema)
            #expect(problems.isEmpty, "\(problems)")
            let summary = try #require((json as? [String: Any])?["summary"] as? [String: Any])
            #expect((summary["orders"] as? [String: Any])?["matched"] as? Int == 3)
            #expect((summary["byKind"] as? [String: Int])?["cashOnDeliveryDisagreement"] == 1)
        }
    }

    /// A run's summary keeps the orders' figures beside the dossiers' in one object, and an older summary without them
    /// still reads.
    @Test func theOrdersFiguresAreKeptInTheSummaryBesideTheDossiers() throws {
        var summary = ReconciliationSummary(gatewayDossiers: 2, oneStopDossiers: 2, matched: 2)
        summary.seconds = 0.25
        var orders = ReconciliationOrderFigures(gatewayOrders: 1, oneStopOrders: 1, matched: 1)
        orders.agencies = [
            .init(agencyCode: "000.42.20.H55", gatewayOrders: 1, gatewayCashOnDelivery: 52_000, oneStopOrders: 1, oneStopCashOnDelivery: 52_000)
        ]
        let text = try AppDatabase.summaryText(summary, orders: orders)
        var run = ReconciliationRunRecord(
            fromDay: "2026-11-23", toDay: "2026-11-23", dryRun: false, origin: .command, state: .agreed, requestedAt: TestSupport.mondayMorning)
        run.summary = text
        #expect(run.figures == summary && run.orderFigures == orders && run.orderFigures?.agencies.first?.agree == true)
        run.summary = try AppDatabase.summaryText(summary, orders: nil)
        #expect(run.figures == summary && run.orderFigures == nil)
    }
}

/// Result-only orders reconciled against the real sandbox process, over real sockets: two ledgers that agree, then
/// every class of disagreement injected with the sandbox's tamper controls, found, classified, repaired where safe, and
/// agreeing on the next run.
@Suite(.temporaryFolder, .serialized) struct ResultOrderReconciliationRunTests {
    @Test func everyOrderDisagreementIsFoundClassifiedAndTheSafeRepairsConvergeOnTheNextRun() async throws {
        try await SandboxProcess.besideLiveGateway { client, sandbox, dependencies in
            let database = dependencies.database
            let reconciler = dependencies.reconciler()
            let now = dependencies.clock()
            let today = LocalDate(now)
            func eventually(_ condition: () async throws -> Bool) async throws { #expect(try await ResultJourneyTests.eventually(condition)) }
            func order(_ code: String) async throws -> (DossierRecord, ItemRecord)? {
                try await ResultOrderCallbackTests.orderDossier(database, code: code)
            }
            func described(_ run: ReconciliationRunRecord) async throws -> Set<String> {
                Set(
                    try await database.reconciliationFindings(runId: run.id!).map {
                        "\($0.finding.trackingNumber) \($0.finding.kind.rawValue) \($0.finding.repair.rawValue)"
                    })
            }
            func outboxCount() async throws -> Int { try await database.read { db in try OutboxMessageRecord.fetchCount(db) } }

            // Six orders placed on the portal, one of them (G) a minute before midnight and taken by the gateway today: the
            // gateway takes each and gives the one-stop its item number.
            let (a, c, d, e, f, g) = (
                "000.42.20.H55-261204-0101", "000.42.20.H55-261204-0103", "000.42.20.H55-261204-0104", "000.42.20.H55-261204-0105",
                "000.42.20.H55-261204-0106", "000.42.20.H55-261204-0107"
            )
            var numbers: [String: String] = [:]
            for code in [a, c, d, e, f, g] {
                var body = SandboxResultOrderTests.portalOrder(code)
                body["ThoiDiem"] = LocalTime.compact(code == g ? today.startInstant.addingTimeInterval(-60) : now)
                #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua", body).0 == 201)
            }
            for code in [a, c, d, e, f, g] {
                try await eventually { try await order(code) != nil }
                numbers[code] = try #require(try await order(code)).1.trackingNumber
                try await eventually { try await sandbox.orders()[code]?["TrangThaiKetQua"] as? String == "TIEP_NHAN_DON" }
            }
            let (na, nc, nd, ne, nf) = (numbers[a]!, numbers[c]!, numbers[d]!, numbers[e]!, numbers[f]!)
            // F's result is ready and picked up at the office serving the desk.
            #expect(try await sandbox.lgsp("POST", "/_sandbox/ketqua/\(f)/trangthai", ["TrangThaiHoSo": 9, "NoiDung": "Đã có kết quả"]).0 == 200)
            try await eventually { try await order(f)?.0.oneStopStatus == 9 }
            #expect(try await ScanningTests.scan(client, nf, "pickedUp", office: "251750").status == .created)
            try await eventually { try await sandbox.orders()[f]?["TrangThaiKetQua"] as? String == "DA_NHAN_KET_QUA" }
            _ = try await TestSupport.drained(database)

            // The two ledgers agree, G too, though the one-stop lists it under yesterday.
            let clean = try await reconciler.run(.init(from: today, to: today))
            #expect(clean.state == .agreed && clean.error == nil)
            let cleanFindings = try await database.reconciliationFindings(runId: clean.id!)
            #expect(cleanFindings.isEmpty, "\(cleanFindings.map(\.finding))")
            let agreed = try #require(clean.orderFigures)
            #expect(agreed.gatewayOrders == 6 && agreed.oneStopOrders == 6 && agreed.matched == 6)

            // Every class of disagreement, injected at the one-stop: A lost, B an order taken at a counter the gateway
            // never heard of (call 6), C's cash changed, D's TIEP_NHAN_DON lost, E moved on by its desk without a
            // callback, F's pickup lost.
            #expect(try await sandbox.lgsp("DELETE", "/_sandbox/ketqua/\(a)").0 == 200)
            let filed = try await sandbox.lgsp("POST", "/_sandbox/hosokhac", ["MaTTHC": "2.000635", "MaCoQuan": "000.42.20.H55", "LePhiConNo": 8000])
            let b = try #require(filed.1["MaHoSo"] as? String)
            let counterOrder: [String: Any] = [
                "MaHoSo": b, "MaBuuGuiKetQua": TrackingNumber(prefix: "PK", serial: 99_999_001).description, "NguoiNhan": "Nguyễn Văn An",
                "SoDienThoai": "0912345678", "DiaChiNhanKetQua": "Số 12, tổ 5", "MaDonViHanhChinh": "05443", "NgayDangKy": LocalTime.compact(now),
            ]
            #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/ketqua", counterOrder).0 == 201)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/ketqua/\(c)", ["TienThuKhiPhat": 60_000]).0 == 200)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/ketqua/\(d)", ["MaBuuGuiKetQua": NSNull(), "TrangThaiKetQua": NSNull()]).0 == 200)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/ketqua/\(e)", ["TrangThaiHoSo": 5]).0 == 200)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/ketqua/\(f)", ["TrangThaiKetQua": "TIEP_NHAN_DON"]).0 == 200)
            #expect(try await sandbox.lgsp("PATCH", "/_sandbox/ketqua/\(f)", ["NguoiNhan": "x"]).0 == 400)
            #expect(try await sandbox.lgsp("DELETE", "/_sandbox/ketqua/\(a)").0 == 404)
            let expected: Set<String> = [
                "\(na) missingAtOneStop resend", "\(b) orderMissingInGateway forAPerson", "\(nc) cashOnDeliveryDisagreement forAPerson",
                "\(nd) resultItemDisagreement resend", "\(ne) statusDisagreement takeStatus", "\(nf) resultProgressDisagreement resend",
            ]

            // A dry run finds and classifies everything and changes nothing.
            let outboxBefore = try await outboxCount()
            let dry = try await reconciler.run(.init(from: today, to: today, dryRun: true))
            #expect(dry.state == .findings)
            #expect(try await described(dry) == expected)
            #expect(try await database.reconciliationFindings(runId: dry.id!).allSatisfy { !$0.finding.repaired })
            #expect(try await outboxCount() == outboxBefore)
            #expect(try await order(e)?.0.oneStopStatus == 4)
            let figures = try #require(dry.orderFigures)
            #expect(figures.gatewayOrders == 6 && figures.oneStopOrders == 6 && figures.matched == 5)
            let agency = try #require(figures.agencies.first { $0.agencyCode == "000.42.20.H55" })
            #expect(agency.gatewayCashOnDelivery == 6 * 52_000 && agency.oneStopCashOnDelivery == 60_000 + 4 * 52_000 + 8_000)

            // The real run repairs what is safe; the outbox carries it to the one-stop.
            let repairing = try await reconciler.run(.init(from: today, to: today))
            #expect(repairing.state == .findings)
            #expect(try await described(repairing) == expected)
            let repaired = Set(
                try await database.reconciliationFindings(runId: repairing.id!).filter(\.finding.repaired).map(\.finding.trackingNumber))
            #expect(repaired == [na, nd, ne, nf])
            #expect(try await order(e)?.0.oneStopStatus == 5)
            _ = try await TestSupport.drained(database)
            let ledger = try await sandbox.orders()
            #expect(ledger[d]?["MaBuuGuiKetQua"] as? String == nd && ledger[d]?["TrangThaiKetQua"] as? String == "TIEP_NHAN_DON")
            #expect(ledger[f]?["TrangThaiKetQua"] as? String == "DA_NHAN_KET_QUA")
            #expect(ledger[a] == nil)

            // The next run finds only what needs a person (the one-stop refused A's TIEP_NHAN_DON: it has no such
            // order), and running it again changes nothing more.
            let forAPerson: Set<String> = [
                "\(na) missingAtOneStop forAPerson", "\(b) orderMissingInGateway forAPerson", "\(nc) cashOnDeliveryDisagreement forAPerson",
            ]
            let next = try await reconciler.run(.init(from: today, to: today))
            #expect(try await described(next) == forAPerson && next.state == .findings)
            let outboxAfter = try await outboxCount()
            let again = try await reconciler.run(.init(from: today, to: today))
            #expect(try await described(again) == forAPerson && again.state == .findings)
            #expect(try await outboxCount() == outboxAfter)

            // The report and the API tell a supervisor what to do.
            let findings = try await database.reconciliationFindings(runId: again.id!).map(\.finding)
            #expect(findings.first { $0.trackingNumber == b }?.action(.en).contains("counter") == true)
            let folder = dependencies.configuration.reportsDirectory
            let html = try String(contentsOfFile: "\(folder)/reconciliation-\(again.id!).html", encoding: .utf8)
            #expect(html.contains("Tiền thu khi phát theo cơ quan") && html.contains(b) && !html.contains("Nguyễn"))
            let answer = try await client.execute(uri: "/api/v1/reconciliations/\(again.id!)", method: .get)
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView))
            let schema = try #require(
                OpenAPIContractTests.documentedResponse("/api/v1/reconciliations/{id}", "get", 200)?["application/json"]?["schema"] as? [String: Any])
            let problems = OpenAPIContractTests.violations(json, schema)
            #expect(answer.status == .ok && problems.isEmpty, "\(problems)")
        }
    }
}
