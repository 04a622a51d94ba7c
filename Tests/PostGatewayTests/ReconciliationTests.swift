import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PostGateway

/// The comparison alone: each way two ledgers can disagree about a dossier, and the repair each calls for.
@Suite struct LedgerComparisonTests {
    static let number = TrackingNumber(prefix: "PH", serial: 155)
    static let agreed = LedgerFacts(agencyCode: "000.01.12.H55", fee: 8_000, status: .received, dossierCode: "000.01.12.H55-261123-0001",
                                    handoverAt: "20261123143000", resultNumber: nil, resultState: nil)

    static func gateway(_ change: (inout LedgerFacts) -> Void = { _ in }, queued: Bool = false, byPost: Bool = true) -> GatewayDossier {
        var facts = agreed
        change(&facts)
        return GatewayDossier(trackingNumber: number, dossierId: 1, facts: facts, hasUndeliveredMessages: queued, resultByPost: byPost)
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
        let withResult = Self.gateway { $0.resultNumber = "PK000000044VN"; $0.resultState = "DA_PHAT" }
        #expect(Self.compare(withResult).map(\.repair) == [.resend])
        #expect(Self.compare(withResult) { $0.resultNumber = "PK000000044VN"; $0.resultState = "DANG_PHAT" }.map(\.repair) == [.resend])
        #expect(Self.compare(withResult) { $0.resultNumber = "PK000000058VN"; $0.resultState = "DA_PHAT" }.map(\.repair) == [.forAPerson])
        #expect(Self.compare(Self.gateway()) { $0.resultNumber = "PK000000044VN" }.map(\.repair) == [.forAPerson])
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

    @Test func packedTrackingNumbersComeBackTheSame() {
        for number in [Self.number, TrackingNumber(prefix: "PK", serial: 99_999_999), TrackingNumber(prefix: "AZ", serial: 0)] {
            #expect(TrackingNumber(packed: number.packed) == number)
        }
    }
}

/// The one-stop's ledger read page by page: anything a correct page cannot hold fails the run instead of
/// passing as "no findings".
@Suite struct OneStopLedgerReaderTests {
    static func row(_ number: String, status: JSONValue = .integer(2)) -> [String: JSONValue] {
        ["MaBuuGui": .string(number), "MaCoQuan": .string("000.01.12.H55"), "TrangThaiHoSo": status, "LePhi": .integer(8000), "MaHoSo": .null]
    }

    static func reader(_ pages: [String?: ([[String: JSONValue]], String?)]) -> OneStopLedgerReader {
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
        let ledger = try await reader.read(from: Self.day, to: Self.day)
        #expect(ledger.count == 2 && ledger[TrackingNumber(prefix: "PH", serial: 1).packed]?.status == .received)
    }

    @Test func badPagesFailTheRun() async throws {
        let cases: [[String?: ([[String: JSONValue]], String?)]] = [
            [nil: ([Self.row("PH000000155VN"), Self.row("PH000000155VN")], nil)],  // listed twice
            [nil: ([Self.row("PH000000156VN")], nil)],  // wrong check digit
            [nil: ([Self.row("PH000000155VN", status: .integer(11))], nil)],  // no such status
            [nil: ([Self.row("PH000000155VN", status: .string("2"))], nil)],  // not a number
            [nil: ([Self.row("PH000000155VN")], "a"), "a": ([], "a")],  // a cursor that comes back
            [nil: ([Self.row("PH000000155VN")], "a")],  // the one-stop fails half-way
        ]
        for pages in cases {
            await #expect(throws: ReconciliationFailure.self) { _ = try await Self.reader(pages).read(from: Self.day, to: Self.day) }
        }
    }
}
