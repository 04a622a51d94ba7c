import Foundation
import Testing

@testable import PostGateway

/// What the gateway keeps of a one-stop's answer: its code and the fields it refused, never the values they held.
@Suite struct OneStopAnswerTests {
    @Test func aRefusalKeepsTheCodeAndTheFieldNamesButNotTheTextThatRepeatsTheValues() {
        let body = Data(
            """
            {"MaLoi":"400","MoTa":"Số giấy tờ 019190001234 không hợp lệ",
             "Loi":[{"Truong":"SoGiayTo","MoTa":"019190001234 sai"},{"Truong":"SoDienThoai","MoTa":"0912345678 sai"}]}
            """.utf8)
        let answer = OneStopClient.answer(status: 400, body: body, kind: .registerDossier)
        #expect(answer == .refused("HTTP 400: MaLoi 400; fields refused: SoGiayTo, SoDienThoai"))
    }

    @Test func aBodyThatIsNotTheOneStopsJSONIsKeptAsItsSizeOnly() {
        let page = Data("<html>Bad gateway for Nguyễn Thị Hồng Nhung, 0912345678</html>".utf8)
        let answer = OneStopClient.answer(status: 502, body: page, kind: .reportHandover)
        #expect(answer == .unavailable("HTTP 502: a body that is not the one-stop's JSON (\(page.count) bytes)"))
    }

    @Test func aHandoverForAnUnknownDossierAsksForTheRegistrationFirst() {
        #expect(OneStopClient.answer(status: 404, body: Data("{\"MaLoi\":\"404\"}".utf8), kind: .reportHandover) == .needsRegistration)
        #expect(OneStopClient.answer(status: 201, body: Data(), kind: .registerDossier) == .accepted)
    }

    /// Refused credentials are the gateway's setup, not the message: it waits for an operator instead of dying.
    @Test(arguments: [401, 403])
    func refusedCredentialsAreRetriedNotDead(status: Int) {
        let answer = OneStopClient.answer(status: status, body: Data("{\"MaLoi\":\"\(status)\"}".utf8), kind: .registerDossier)
        #expect(
            answer
                == .unavailable("HTTP \(status): the one-stop refused the gateway's credentials (onestop token, client certificate); MaLoi \(status)")
        )
    }
}
