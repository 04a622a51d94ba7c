import Foundation
import Synchronization
import Testing

@testable import OneStopSandbox
@testable import PostGateway

/// The comparison of a result-only order alone: each way the two ledgers can disagree about it, and the repair each
/// calls for.
@Suite struct OrderComparisonTests {
    static let code = "000.42.20.H55-261120-0007"
    static let number = TrackingNumber(prefix: "PK", serial: 44).description
    static let agreed = OrderFacts(
        agencyCode: "000.42.20.H55", status: .processing, resultNumber: number, cashOnDelivery: 52_000, resultState: "TIEP_NHAN_DON")

    static func gateway(
        _ change: (inout OrderFacts) -> Void = { _ in }, queued: Bool = false, refused: Bool = false, reports: Bool = true
    ) -> GatewayOrder {
        var facts = agreed
        change(&facts)
        return GatewayOrder(
            dossierCode: code, dossierId: 1, facts: facts, hasUndeliveredMessages: queued, refusedByOneStop: refused, hasProgressReports: reports)
    }

    static func compare(_ gateway: GatewayOrder, _ change: (inout OrderFacts) -> Void = { _ in }) -> [ReconciliationFinding] {
        var theirs = agreed
        change(&theirs)
        return OrderComparison.findings(gateway: gateway, oneStop: theirs)
    }

    static func described(_ findings: [ReconciliationFinding]) -> [String] {
        findings.map { "\($0.kind.rawValue) \($0.repair.rawValue)" }
    }

    @Test func identicalOrdersGiveNoFinding() {
        #expect(Self.compare(Self.gateway()).isEmpty)
    }

    /// Money the courier collects at the door: found đồng by đồng, and never settled by a run.
    @Test func cashToCollectThatDiffersByOneDongGoesToAPerson() {
        let found = Self.compare(Self.gateway()) { $0.cashOnDelivery = 52_001 }
        #expect(Self.described(found) == ["cashOnDeliveryDisagreement forAPerson"])
        #expect(found[0].gatewayValue == "52000" && found[0].oneStopValue == "52001" && found[0].trackingNumber == Self.number)
        #expect(found[0].action(.en).contains("cash to collect") && found[0].kind.title(.vi) == "Lệch tiền thu khi phát")
    }

    /// The one-stop never got the TIEP_NHAN_DON that gives it the item number: sent again, unless it is on its way, the
    /// one-stop refused it, or there is none (a counter's order, whose number went with call 6).
    @Test func anItemNumberTheOneStopLacksIsSentAgainButAnotherNumberGoesToAPerson() {
        let lost: (inout OrderFacts) -> Void = {
            $0.resultNumber = nil
            $0.resultState = nil
        }
        #expect(Self.described(Self.compare(Self.gateway(), lost)) == ["resultItemDisagreement resend"])
        #expect(Self.described(Self.compare(Self.gateway(queued: true), lost)) == ["resultItemDisagreement awaitForwarding"])
        let refused = Self.compare(Self.gateway(refused: true), lost)
        #expect(Self.described(refused) == ["resultItemDisagreement forAPerson"] && refused[0].refusedByOneStop)
        #expect(Self.described(Self.compare(Self.gateway(reports: false), lost)) == ["resultItemDisagreement forAPerson"])
        let other = Self.compare(Self.gateway()) { $0.resultNumber = TrackingNumber(prefix: "PK", serial: 58).description }
        #expect(Self.described(other) == ["resultItemDisagreement forAPerson"])
    }

    /// Only the gateway reports an order's progress: a one-stop behind it is sent the latest report again.
    @Test func progressTheOneStopIsBehindOnIsSentAgainAndProgressItIsAheadOnGoesToAPerson() {
        let outForDelivery = Self.gateway { $0.resultState = "DANG_PHAT" }
        let behind = Self.compare(outForDelivery)
        #expect(Self.described(behind) == ["resultProgressDisagreement resend"] && behind[0].ahead == .gateway)
        #expect(Self.described(Self.compare(outForDelivery) { $0.resultState = nil }) == ["resultProgressDisagreement resend"])
        // A failed attempt, then the next round out: the two halves of a round follow each other both ways.
        #expect(Self.described(Self.compare(outForDelivery) { $0.resultState = "PHAT_KHONG_THANH_CONG" }) == ["resultProgressDisagreement resend"])
        #expect(Self.described(Self.compare(outForDelivery) { $0.resultState = "DA_PHAT" }) == ["resultProgressDisagreement forAPerson"])
        #expect(
            Self.described(Self.compare(Self.gateway { $0.resultState = "DA_HOAN_TRA" }) { $0.resultState = "DA_PHAT" })
                == ["resultProgressDisagreement forAPerson"])
        #expect(Self.described(Self.compare(outForDelivery) { $0.resultState = "LOST" }) == ["resultProgressDisagreement forAPerson"])
        #expect(
            Self.described(Self.compare(Self.gateway({ $0.resultState = "DA_PHAT" }, queued: true))) == ["resultProgressDisagreement awaitForwarding"]
        )
    }

    @Test func aStatusTheOneStopIsAheadOnIsTakenButAResultReadyNeedsItsCallback() {
        let ahead = Self.compare(Self.gateway()) { $0.status = .supplementRequested }
        #expect(Self.described(ahead) == ["statusDisagreement takeStatus"] && ahead[0].ahead == .oneStop)
        let ready = Self.compare(Self.gateway()) { $0.status = .resultReady }
        #expect(Self.described(ready) == ["statusDisagreement forAPerson"] && ready[0].ahead == .oneStop)
        let returned = Self.compare(Self.gateway { $0.status = .resultReady }) { $0.status = .resultReturned }
        #expect(Self.described(returned) == ["statusDisagreement takeStatus"])
        let behind = Self.compare(Self.gateway { $0.status = .resultReady })
        #expect(Self.described(behind) == ["statusDisagreement forAPerson"] && behind[0].ahead == .gateway)
    }

    @Test func ordersOnOnlyOneSideAreFoundKeyedByTheirNumberOrTheirCode() {
        let missing = OrderComparison.missingAtOneStop(Self.gateway())
        #expect(missing.kind == .missingAtOneStop && missing.repair == .resend && missing.trackingNumber == Self.number)
        #expect(OrderComparison.missingAtOneStop(Self.gateway(queued: true)).repair == .awaitForwarding)
        #expect(OrderComparison.missingAtOneStop(Self.gateway(refused: true)).refusedByOneStop)
        #expect(OrderComparison.missingAtOneStop(Self.gateway(reports: false)).repair == .forAPerson)

        let stranger = OrderComparison.missingInGateway(Self.code, Self.agreed)
        #expect(stranger.kind == .orderMissingInGateway && stranger.repair == .forAPerson && stranger.trackingNumber == Self.code)
        #expect(stranger.gatewayValue == nil && stranger.oneStopValue == "4 \(Self.number)")
        #expect(stranger.action(.en).contains("ask the desk to send the order again") && stranger.action(.vi).contains("giấy hẹn"))
        #expect(stranger.kind.title(.en) == "Result order missing in the gateway")
    }

    /// Every kind has its words in both languages, and a person's action for when no run can mend it.
    @Test func everyKindHasATitleAndAnActionInBothLanguages() {
        for kind in ReconciliationFinding.Kind.allCases {
            for language in Language.allCases {
                let finding = ReconciliationFinding(
                    trackingNumber: Self.number, kind: kind, agencyCode: nil, gatewayValue: nil, oneStopValue: nil, repair: .forAPerson)
                #expect(!kind.title(language).isEmpty && !finding.action(language).isEmpty, "\(kind) \(language)")
            }
        }
    }
}

/// Call 8 read page by page: anything a correct page cannot hold fails the run instead of passing as "no findings".
@Suite struct OneStopOrderReaderTests {
    static func row(_ code: String, status: Int64? = 4, cash: Int64? = 52_000, placed: String? = "20261123090000") -> OneStopOrderRow {
        OneStopOrderRow(
            maHoSo: code, maBuuGuiKetQua: nil, maCoQuan: "000.42.20.H55", trangThaiHoSo: status, tienThuKhiPhat: cash, trangThaiKetQua: nil,
            ngayDatHang: placed)
    }

    static func reader(_ pages: [String?: ([OneStopOrderRow], String?)]) -> OneStopOrderReader {
        var client = OneStopClient.unreachable
        client.listOrders = { _, _, cursor, _ in
            guard let page = pages[cursor] else { throw OneStopError(reason: "no page \(cursor ?? "first")") }
            return page
        }
        return OneStopOrderReader(client: client)
    }

    static let day = LocalDate(iso: "2026-11-23")!

    @Test func everyPageIsReadUntilTheCursorEnds() async throws {
        let reader = Self.reader([nil: ([Self.row("A-1")], "a"), "a": ([Self.row("A-2", placed: nil)], nil)])
        let pages = Mutex<[[OneStopOrder]]>([])
        let count = try await reader.read(from: Self.day, to: Self.day) { orders in pages.withLock { $0.append(orders) } }
        let read = pages.withLock { $0 }
        #expect(count == 2 && read.map(\.count) == [1, 1])
        #expect(read[0].first?.placedOn == Self.day && read[0].first?.facts.status == .processing && read[0].first?.facts.cashOnDelivery == 52_000)
        #expect(read[1].first?.dossierCode == "A-2" && read[1].first?.placedOn == nil)
    }

    @Test func badPagesFailTheRun() async throws {
        let cases: [[String?: ([OneStopOrderRow], String?)]] = [
            [nil: ([Self.row("A-1"), Self.row("A-1")], nil)],  // listed twice
            [nil: ([Self.row("A-1")], "a"), "a": ([Self.row("A-1")], nil)],  // listed twice, on two pages
            [nil: ([Self.row("")], nil)],  // no code
            [nil: ([Self.row(String(repeating: "9", count: 51))], nil)],  // a code longer than any mã hồ sơ
            [nil: ([Self.row("A-1", status: 11)], nil)],  // no such status
            [nil: ([Self.row("A-1", status: nil)], nil)],  // no status
            [nil: ([Self.row("A-1", cash: nil)], nil)],  // no cash to collect
            [nil: ([Self.row("A-1", cash: -1)], nil)],  // cash below zero
            [nil: ([Self.row("A-1", placed: "20261131090000")], nil)],  // a day that does not exist
            [nil: ([Self.row("A-1")], "a"), "a": ([], "a")],  // a cursor that comes back
            [nil: ([Self.row("A-1")], "a")],  // the one-stop fails half-way
        ]
        for pages in cases {
            await #expect(throws: ReconciliationFailure.self) { try await Self.reader(pages).read(from: Self.day, to: Self.day) { _ in } }
        }
        // A one-stop that does not serve call 8 at all fails the run too.
        await #expect(throws: ReconciliationFailure.self) {
            try await OneStopOrderReader(client: .unreachable).read(from: Self.day, to: Self.day) { _ in }
        }
    }

    /// The sandbox's own bytes for call 8 (`SandboxDatabase.orderJSON`), read back field for field.
    @Test func theSandboxsPageIsReadIntoRowsSkippingFieldsNotCompared() throws {
        let cursor = SandboxDatabase.ListPosition(ngayGui: "20261120160000", id: 7)
        let bytes = SandboxDatabase.orderJSON(
            SandboxDatabase.OrderPage(
                rows: [
                    .init(
                        MaHoSo: "000.42.20.H55-261120-0007", MaBuuGuiKetQua: "PK000000044VN", MaTTHC: "1.001193", MaCoQuan: "000.42.20.H55",
                        TrangThaiHoSo: 9, NgayHenTra: "20261127", NgayDatHang: "20261120160000", TienThuKhiPhat: 52_000,
                        TrangThaiKetQua: "DA_NHAN_KET_QUA"),
                    .init(
                        MaHoSo: "000.42.20.H55-261120-0008", MaBuuGuiKetQua: nil, MaTTHC: "1.001193", MaCoQuan: "000.42.20.H55",
                        TrangThaiHoSo: 4, NgayHenTra: nil, NgayDatHang: "20261120170000", TienThuKhiPhat: 0, TrangThaiKetQua: nil),
                ], next: cursor))
        let page = try OneStopOrderPage(parsing: bytes)
        #expect(page.next == cursor.cursor)
        #expect(
            page.rows == [
                OneStopOrderRow(
                    maHoSo: "000.42.20.H55-261120-0007", maBuuGuiKetQua: "PK000000044VN", maCoQuan: "000.42.20.H55", trangThaiHoSo: 9,
                    tienThuKhiPhat: 52_000, trangThaiKetQua: "DA_NHAN_KET_QUA", ngayDatHang: "20261120160000"),
                OneStopOrderRow(
                    maHoSo: "000.42.20.H55-261120-0008", maCoQuan: "000.42.20.H55", trangThaiHoSo: 4, tienThuKhiPhat: 0,
                    ngayDatHang: "20261120170000"),
            ])
        let order = try OneStopOrderReader.parse(page.rows[0])
        #expect(order.placedOn == LocalDate(iso: "2026-11-20") && order.facts.resultNumber == "PK000000044VN" && order.facts.status == .resultReady)
        #expect(try OneStopOrderPage(parsing: Data(#"{"TiepTheo":null,"DuLieu":[]}"#.utf8)).rows.isEmpty)
    }

    @Test(arguments: [
        #"{"TiepTheo":null,"DuLieu":[{"MaCoQuan":"000.42.20.H55","TrangThaiHoSo":4,"TienThuKhiPhat":0}]}"#,  // no MaHoSo
        #"{"TiepTheo":null,"DuLieu":[{"MaHoSo":null}]}"#,  // a MaHoSo that is null
        #"{"TiepTheo":null,"DuLieu":[{"MaHoSo":7}]}"#,  // a number where text belongs
        #"{"TiepTheo":null,"DuLieu":[{"MaHoSo":"A-1","TienThuKhiPhat":1.5}]}"#,  // money that is not whole
        #"{"TiepTheo":null,"DuLieu":[{"MaHoSo":"A-1","TrangThaiHoSo":"4"}]}"#,  // a status that is text
        #"{"TiepTheo":7,"DuLieu":[]}"#,  // a cursor that is not text
        #"{"TiepTheo":null}"#,  // no rows at all
        #"{"TiepTheo":null,"DuLieu":[]} x"#,  // something after the page
        #"[]"#,
    ])
    func pagesThatAreNotTheContractsAreRefused(_ text: String) {
        #expect(throws: (any Error).self) { try OneStopOrderPage(parsing: Data(text.utf8)) }
    }
}
