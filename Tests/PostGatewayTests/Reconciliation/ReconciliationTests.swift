import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import PostGateway

/// The comparison alone: each way two ledgers can disagree about a dossier, and the repair each calls for.
@Suite struct LedgerComparisonTests {
    static let number = TrackingNumber(prefix: "PH", serial: 155)
    static let agreed = LedgerFacts(
        agencyCode: "000.42.20.H55", fee: 8_000, status: .received, dossierCode: "000.42.20.H55-261123-0001",
        handoverAt: "20261123143000", resultNumber: nil, resultState: nil)

    static func gateway(
        _ change: (inout LedgerFacts) -> Void = { _ in }, queued: Bool = false, byPost: Bool = true,
        refused: Bool = false
    ) -> GatewayDossier {
        var facts = agreed
        change(&facts)
        return GatewayDossier(
            trackingNumber: number, dossierId: 1, facts: facts, hasUndeliveredMessages: queued, resultByPost: byPost,
            refusedByOneStop: refused)
    }

    static func compare(_ gateway: GatewayDossier, _ change: (inout LedgerFacts) -> Void = { _ in }) -> [ReconciliationFinding] {
        var theirs = agreed
        change(&theirs)
        return LedgerComparison.findings(gateway: gateway, oneStop: theirs)
    }

    @Test func identicalFactsGiveNoFinding() {
        #expect(Self.compare(Self.gateway()).isEmpty)
    }

    @Test func aStatusTheOneStopIsAheadOnIsTakenAndOneTheGatewayIsAheadOnGoesToAPerson() {
        let ahead = Self.compare(Self.gateway()) { $0.status = .processing }
        #expect(ahead.map(\.kind) == [.statusDisagreement] && ahead[0].ahead == .oneStop && ahead[0].repair == .takeStatus)
        let sameStage = Self.compare(Self.gateway { $0.status = .supplementRequested }) { $0.status = .processing }
        #expect(sameStage.first?.repair == .takeStatus)
        let behind = Self.compare(Self.gateway { $0.status = .processing })
        #expect(behind.first?.ahead == .gateway && behind.first?.repair == .forAPerson)
        let neverAcknowledged = Self.compare(Self.gateway { $0.status = nil })
        #expect(neverAcknowledged.first?.repair == .takeStatus && neverAcknowledged.first?.gatewayValue == nil)
    }

    @Test func aMissedResultReadyForPostNeedsTheCallbackWithItsCash() {
        let byPost = Self.compare(Self.gateway()) { $0.status = .resultReady }
        #expect(byPost.first?.repair == .forAPerson && byPost.first?.ahead == .oneStop)
        let atTheDesk = Self.compare(Self.gateway(byPost: false)) { $0.status = .resultReady }
        #expect(atTheDesk.first?.repair == .takeStatus)
    }

    @Test func aDossierCodeTheGatewayLacksIsTakenButTwoDifferentCodesGoToAPerson() {
        #expect(Self.compare(Self.gateway { $0.dossierCode = nil }).map(\.repair) == [.takeStatus])
        #expect(Self.compare(Self.gateway()) { $0.dossierCode = "other" }.map(\.repair) == [.forAPerson])
        #expect(Self.compare(Self.gateway()) { $0.dossierCode = nil }.map(\.repair) == [.forAPerson])
    }

    @Test func feesThatDifferAlwaysGoToAPerson() {
        let found = Self.compare(Self.gateway()) { $0.fee = 9_000 }
        #expect(found.map(\.kind) == [.feeDisagreement] && found[0].gatewayValue == "8000" && found[0].oneStopValue == "9000")
        #expect(found[0].repair == .forAPerson)
    }

    @Test func aHandoverTheOneStopLacksIsSentAgainUnlessAMessageIsOnItsWay() {
        #expect(Self.compare(Self.gateway()) { $0.handoverAt = nil }.map(\.repair) == [.resend])
        #expect(Self.compare(Self.gateway(queued: true)) { $0.handoverAt = nil }.map(\.repair) == [.awaitForwarding])
        #expect(Self.compare(Self.gateway()) { $0.handoverAt = "20261123150000" }.map(\.repair) == [.forAPerson])
        #expect(Self.compare(Self.gateway { $0.handoverAt = nil }).map(\.repair) == [.forAPerson])
    }

    @Test func returnProgressTheOneStopLacksIsSentAgainButAnotherResultNumberGoesToAPerson() {
        let withResult = Self.gateway {
            $0.resultNumber = "PK000000044VN"
            $0.resultState = "DA_PHAT"
        }
        #expect(Self.compare(withResult).map(\.repair) == [.resend])
        #expect(
            Self.compare(withResult) {
                $0.resultNumber = "PK000000044VN"
                $0.resultState = "DANG_PHAT"
            }.map(\.repair) == [.resend])
        #expect(
            Self.compare(withResult) {
                $0.resultNumber = "PK000000058VN"
                $0.resultState = "DA_PHAT"
            }.map(\.repair) == [.forAPerson])
        #expect(Self.compare(Self.gateway()) { $0.resultNumber = "PK000000044VN" }.map(\.repair) == [.forAPerson])
    }

    /// The one-stop refused a message of the dossier: sending again would meet the same refusal (and be reported mended
    /// every night), so what resending would mend goes to a person, told why; what goes to a person anyway keeps its words.
    @Test func whatTheOneStopRefusedIsLeftToAPersonNotSentAgain() {
        let missing = LedgerComparison.missingAtOneStop(Self.gateway(queued: true, refused: true))
        #expect(missing.repair == .forAPerson && missing.refusedByOneStop)
        #expect(missing.action(.en).contains("refused"))
        let handover = Self.compare(Self.gateway(refused: true)) { $0.handoverAt = nil }
        #expect(handover.map(\.repair) == [.forAPerson] && handover.map(\.refusedByOneStop) == [true])
        let fee = Self.compare(Self.gateway(refused: true)) { $0.fee = 9_000 }
        #expect(fee.map(\.refusedByOneStop) == [false])
        #expect(fee[0].action(.en).contains("fees"))
    }

    @Test func dossiersOnOnlyOneSideAreFound() {
        #expect(LedgerComparison.missingAtOneStop(Self.gateway()).repair == .resend)
        #expect(LedgerComparison.missingAtOneStop(Self.gateway(queued: true)).repair == .awaitForwarding)
        #expect(LedgerComparison.missingInGateway("PH000000155VN", Self.agreed).repair == .forAPerson)
    }

    @Test func theNightlyRunIsAtItsLocalTimeTodayOrElseTomorrow() {
        let day = LocalDate(iso: "2026-11-23")!
        let oneAM = day.startInstant.addingTimeInterval(3600)
        #expect(ReconciliationService.nextRun(after: oneAM, atMinutes: 120) == day.startInstant.addingTimeInterval(7200))
        let twoAM = day.startInstant.addingTimeInterval(7200)
        #expect(ReconciliationService.nextRun(after: twoAM, atMinutes: 120) == day.adding(days: 1).startInstant.addingTimeInterval(7200))
        #expect(LocalTime.compact(ReconciliationService.nextRun(after: oneAM, atMinutes: 120)) == "20261123020000")
    }

    /// The sleep ended a tenth of a second before the wall clock reached 02:00 (or the clock was stepped back an
    /// hour after it): the next run is tomorrow's, not the night just queued once more.
    @Test func aNightIsQueuedOnceWhenTheSleepEndsBeforeTheWallClockGetsThere() {
        let day = LocalDate(iso: "2026-11-23")!
        let twoAM = day.startInstant.addingTimeInterval(7200)
        let tomorrow = day.adding(days: 1).startInstant.addingTimeInterval(7200)
        #expect(ReconciliationService.nextRun(after: twoAM.addingTimeInterval(-0.1), previous: twoAM, atMinutes: 120) == tomorrow)
        #expect(ReconciliationService.nextRun(after: twoAM.addingTimeInterval(-3600), previous: twoAM, atMinutes: 120) == tomorrow)
        #expect(ReconciliationService.nextRun(after: twoAM.addingTimeInterval(-0.1), previous: nil, atMinutes: 120) == twoAM)
        #expect(
            ReconciliationService.nextRun(after: tomorrow.addingTimeInterval(60), previous: twoAM, atMinutes: 120)
                == tomorrow.addingTimeInterval(86_400))
    }

    @Test func packedTrackingNumbersComeBackTheSame() {
        for number in [Self.number, TrackingNumber(prefix: "PK", serial: 99_999_999), TrackingNumber(prefix: "AZ", serial: 0)] {
            #expect(TrackingNumber(packed: number.packed) == number)
        }
    }
}

/// The one-stop's ledger read page by page: anything a correct page cannot hold fails the run instead of
/// passing as "no findings".
@Suite struct OneStopLedgerReaderTests {
    static func row(_ number: String, status: Int64? = 2, fee: Int64? = 8000) -> OneStopLedgerRow {
        OneStopLedgerRow(maBuuGui: number, maCoQuan: "000.42.20.H55", trangThaiHoSo: status, lePhi: fee)
    }

    static func reader(_ pages: [String?: ([OneStopLedgerRow], String?)]) -> OneStopLedgerReader {
        var client = OneStopClient.unreachable
        client.listDossiers = { _, _, cursor, _ in
            guard let page = pages[cursor] else { throw OneStopError(reason: "no page \(cursor ?? "first")") }
            return page
        }
        return OneStopLedgerReader(client: client)
    }

    static let day = LocalDate(iso: "2026-11-23")!

    @Test func everyPageIsReadUntilTheCursorEnds() async throws {
        let reader = Self.reader([nil: ([Self.row("PH000000155VN")], "a"), "a": ([Self.row("PH000000014VN")], nil)])
        let pages = Mutex<[[(TrackingNumber, LedgerFacts)]]>([])
        let count = try await reader.read(from: Self.day, to: Self.day) { rows in pages.withLock { $0.append(rows) } }
        let read = pages.withLock { $0 }
        #expect(count == 2 && read.map(\.count) == [1, 1])
        #expect(read[1].first?.0 == TrackingNumber(prefix: "PH", serial: 1) && read[1].first?.1.status == .received)
    }

    @Test func badPagesFailTheRun() async throws {
        let cases: [[String?: ([OneStopLedgerRow], String?)]] = [
            [nil: ([Self.row("PH000000155VN"), Self.row("PH000000155VN")], nil)],  // listed twice
            [nil: ([Self.row("PH000000156VN")], nil)],  // wrong check digit
            [nil: ([Self.row("PH000000155VN", status: 11)], nil)],  // no such status
            [nil: ([Self.row("PH000000155VN", status: nil)], nil)],  // no status
            [nil: ([Self.row("PH000000155VN", fee: -1)], nil)],  // a fee below zero
            // Two fees that would overflow the agency's total, and with it the server.
            [nil: ([Self.row("PH000000155VN", fee: .max), Self.row("PH000000014VN", fee: .max)], nil)],
            [nil: ([Self.row("PH000000155VN")], "a"), "a": ([], "a")],  // a cursor that comes back
            [nil: ([Self.row("PH000000155VN")], "a")],  // the one-stop fails half-way
        ]
        for pages in cases {
            await #expect(throws: ReconciliationFailure.self) { try await Self.reader(pages).read(from: Self.day, to: Self.day) { _ in } }
        }
    }

    @Test func aContractPageIsReadIntoRowsSkippingFieldsNotCompared() throws {
        let page = try OneStopLedgerPage(
            parsing: Data(
                """
                { "MaLoi":"0", "MoTa":"Thành công", "TiepTheo":"MjAyNjExMjEwOTMwMDAvMTU1",
                  "DuLieu":[{ "MaBuuGui":"PH000000155VN", "MaHoSo":"000.00.01.H55-261121-0001", "MaTTHC":"1.001234",
                              "MaCoQuan":"000.00.01.H55", "TrangThaiHoSo":9, "LePhi":30000, "NgayGui":"20261121093000",
                              "ThoiDiemBanGiao":"20261121143000", "NgayHenTra":"20261128", "MaBuuGuiKetQua":"PK000000044VN",
                              "TrangThaiKetQua":"DA_PHAT", "Khac":{"a":[1,2]} },
                            { "MaBuuGui":"PH000000014VN", "MaHoSo":null, "MaCoQuan":"Cơ quan \\u0041", "TrangThaiHoSo":1, "LePhi":0 }] }
                """.utf8))
        #expect(page.next == "MjAyNjExMjEwOTMwMDAvMTU1")
        #expect(
            page.rows == [
                OneStopLedgerRow(
                    maBuuGui: "PH000000155VN", maCoQuan: "000.00.01.H55", trangThaiHoSo: 9, lePhi: 30000, maHoSo: "000.00.01.H55-261121-0001",
                    ngayHenTra: "20261128", thoiDiemBanGiao: "20261121143000", maBuuGuiKetQua: "PK000000044VN", trangThaiKetQua: "DA_PHAT"),
                OneStopLedgerRow(maBuuGui: "PH000000014VN", maCoQuan: "Cơ quan A", trangThaiHoSo: 1, lePhi: 0),
            ])
        #expect(try OneStopLedgerPage(parsing: Data(#"{"TiepTheo":null,"DuLieu":[]}"#.utf8)).rows.isEmpty)
        // Keys are matched by their bytes; a key written with escapes is still the same key, and look-alikes are not.
        let escaped = try OneStopLedgerPage(
            parsing: Data(
                #"""
                {"TiepTheo":null,"DuLieu":[{"Ma\u0042uuGui":"PH000000014VN","MaBuuGuiX":"no","MaCoQuaN":"no","TrangThaiHoSo":1,"LePhi":0}]}
                """#.utf8))
        #expect(escaped.rows == [OneStopLedgerRow(maBuuGui: "PH000000014VN", trangThaiHoSo: 1, lePhi: 0)])
    }

    @Test(arguments: [
        #"{"TiepTheo":null,"DuLieu":[{"MaBuuGui":"PH000000155VN","TrangThaiHoSo":"2"}]}"#,  // a status that is text
        #"{"TiepTheo":null,"DuLieu":[{"MaBuuGui":155}]}"#,  // a number where text belongs
        #"{"TiepTheo":null,"DuLieu":[{"LePhi":1.5}]}"#,  // money that is not whole
        #"{"TiepTheo":7,"DuLieu":[]}"#,  // a cursor that is not text
        #"{"TiepTheo":null}"#,  // no rows at all
        #"{"TiepTheo":null,"DuLieu":[]} x"#,  // something after the page
        #"{"TiepTheo":null,"DuLieu":[{"MaBuuGui":"PH000000155VN"}"#,  // cut short
        #"[]"#,
    ])
    func pagesThatAreNotTheContractsAreRefused(_ text: String) {
        #expect(throws: (any Error).self) { try OneStopLedgerPage(parsing: Data(text.utf8)) }
    }
}
