import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// The staff pages and the public page in real headless Chromium, driven over WebDriver, against a real
/// `postgateway serve` process (with its sandbox one-stop beside it).
@Suite(.temporaryFolder, .serialized) struct BrowserTests {
    @Test func aClerkTakesADossierInScansItAndTheCitizensPageShowsTheJourney() async throws {
        let port = try freePort()
        let dataDirectory = try TestSupport.temporaryDirectory()
        // Messages go at any hour in this test: the sandbox beside the gateway takes them.
        let server = try await CrashRecoveryTests.start(dataDirectory: dataDirectory, port: port, environment: ["POSTGATEWAY_QUIET_HOURS": "off"])
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        do {
            let site = "http://127.0.0.1:\(port)"
            let browser = try await WebDriver()
            do {
                // The counter form: pick lists from the reference data, errors beside their fields, then the number.
                try await browser.signIn(at: site, then: "/counter")
                // Only desks open today: the former city's are gone from the list.
                #expect(
                    try await browser.script("return document.querySelectorAll('#agencyCode option[value=\"000.01.12.H55\"]').length") as? Int == 0)
                func offeredDesks() async throws -> [String] {
                    try await browser.script(
                        "return Array.from(document.querySelectorAll('#agencyCode option')).filter(o => o.value && !o.disabled).map(o => o.value)")
                        as? [String] ?? []
                }
                // A provincial procedure is offered at the provincial centre and its branch only…
                try await browser.click("#procedureCode option[value='1.012783']")
                #expect(Set(try await offeredDesks()) == ["000.00.01.H55", "000.01.01.H55"])
                #expect(try await browser.text("#agency-hint") == "2 cơ quan tiếp nhận thủ tục này.")
                try await browser.click("#agencyCode option[value='000.00.01.H55']")
                // …and a commune one at the 92 commune and ward desks, the provincial desk chosen before unchosen.
                try await browser.click("#procedureCode option[value='2.000635']")
                let communeDesks = try await offeredDesks()
                #expect(communeDesks.count == 92 && !communeDesks.contains("000.00.01.H55"))
                #expect(try await browser.value("#agencyCode").isEmpty)
                try await browser.click("#agencyCode option[value='000.42.20.H55']")
                try await browser.type("Nguyễn Thị Hồng Nhung", into: "#fullName")
                try await browser.type("01919000123", into: "#idNumber")  // one digit short
                try await browser.type("0912345678", into: "#phone")
                try await browser.type("Số 12, tổ 5, phường Phan Đình Phùng", into: "#address")
                try await browser.type("Số 12, tổ 5", into: "#resultAddress")
                try await browser.click("#resultAddressUnitCode option[value='05443']")
                // The citizen agrees to be told by Zalo.
                try await browser.click("#notifications option[value='zalo']")
                // The procedure's published documents are rows to tick as handed in; only ticked rows and filled
                // "other" rows are sent.
                #expect(try await browser.text("#documents tr.catalogue:nth-child(1) label") == "Tờ khai cấp bản sao trích lục hộ tịch")
                #expect(try await browser.text("#documents tr.catalogue:nth-child(2) label") == "Văn bản ủy quyền (nếu nộp thay)")
                try await browser.click("input[name='documents[0].present']")
                // An "other" row with no copies: the error is shown on the row the clerk filled in.
                try await browser.type("Căn cước công dân", into: "input[name='documents[2].name']")
                try await browser.clear("input[name='documents[2].copies']")
                try await browser.type("0", into: "input[name='documents[2].copies']")
                try await browser.click("#submit")
                let idError = try await browser.waitForText(".field-error[data-field='applicant.idNumber']") { !$0.isEmpty }
                #expect(idError.contains("12 chữ số"))
                #expect(!(try await browser.text(".field-error[data-field='documents[2].copies']")).isEmpty)
                #expect(try await browser.text(".field-error[data-field='documents[0].copies']").isEmpty)

                try await browser.type("4", into: "#idNumber")
                try await browser.clear("input[name='documents[2].copies']")
                try await browser.type("1", into: "input[name='documents[2].copies']")
                // A fee typed over the catalogue's (8,000 đ becomes 80,000 đ): accepted, with a warning to read.
                try await browser.type("0", into: "input[name='fees.administrativeFee']")
                try await browser.click("#submit")
                let number = try await browser.waitForText("#tracking-number") { $0.count == 13 }
                #expect((try? TrackingNumber(parsing: number)) != nil)
                #expect(try await browser.text("#accepted-warnings").contains("Lệ phí thu hộ 80000 đồng khác mức trong danh mục (8000 đồng)"))
                let pin = try await browser.text("#tracking-pin")
                #expect(pin.count == 6)

                // The scan station: the input has the focus; a scanner types the number and Enter.
                try await browser.open("\(site)/scan")
                #expect(try await browser.activeElementId() == (try await browser.element("#scan-input")))
                try await browser.type(number + WebDriver.enterKey, into: "#scan-input")
                let feedback = try await browser.waitForText("#feedback") { $0.contains("ĐẠT") || $0.contains("LỖI") }
                #expect(feedback.contains("ĐẠT") && feedback.contains(ItemStatus.dispatched.words(.vi)))
                #expect(try await browser.text("#recent").contains(number))
                #expect(try await browser.activeElementId() == (try await browser.element("#scan-input")))
                // The same scan again is acknowledged, not an error.
                try await browser.type(number + WebDriver.enterKey, into: "#scan-input")
                _ = try await browser.waitForText("#feedback") { $0.contains("ĐÃ QUÉT TRƯỚC ĐÓ") }
                // Another event picked from the list: the input has the focus back for the scanner. Its imager reads the
                // label's QR this time, which holds the tracking page's address.
                try await browser.click("#scan-event option[value='arrived']")
                #expect(try await browser.activeElementId() == (try await browser.element("#scan-input")))
                try await browser.type("\(site)/t/\(number)" + WebDriver.enterKey, into: "#scan-input")
                let arrived = try await browser.waitForText("#feedback") { $0.contains("ĐẠT") || $0.contains("LỖI") }
                #expect(arrived.contains("ĐẠT") && arrived.contains(ItemStatus.arrived.words(.vi)), "\(arrived)")
                #expect(try await browser.text("#session-expired").isEmpty)
                // The scan's line links to the dossier's messages: the acceptance went by Zalo, the phone masked.
                try await browser.click("#recent li a")
                let messages = try await browser.waitForText("main") { $0.contains("Đã gửi") }
                #expect(messages.contains("Đã nhận hồ sơ tại bưu cục") && messages.contains("Zalo") && messages.contains("091****678"))
                #expect(!(try await browser.pageSource()).contains("0912345678"))
                try await browser.open("\(site)/scan")
                // The session ends mid-shift: the page says so, and where to sign in again.
                let ledger = try DatabaseQueue(path: dataDirectory.appending(path: "ledger.sqlite").path)
                try await ledger.write { db in try db.execute(sql: "UPDATE staffSession SET expiresAt = '2000-01-01 00:00:00.000'") }
                try ledger.close()
                try await browser.type(number + WebDriver.enterKey, into: "#scan-input")
                _ = try await browser.waitForText("#feedback") { $0.contains("phiên đăng nhập đã hết hạn") }
                #expect(try await browser.text("#session-expired").contains("Đăng nhập lại"))

                // The citizen's page, reached from the site's address by typing the code as printed, in small letters:
                // the journey, nothing personal; the PIN adds the masked name.
                try await browser.open("\(site)/")
                try await browser.type(number.lowercased() + WebDriver.enterKey, into: "#code")
                _ = try await browser.waitForText("main") { $0.contains("Mã tra cứu: \(number)") }
                let page = try await browser.pageSource()
                #expect(page.contains("Đang vận chuyển"))
                #expect(!page.contains("Nguyễn Thị Hồng Nhung") && !page.contains("019190001234") && !page.contains("0912345678"))
                try await browser.type(pin + WebDriver.enterKey, into: "#pin")
                _ = try await browser.waitForText("main") { $0.contains("N*** T*** H*** N***") }
            } catch {
                await browser.quit()
                throw error
            }
            await browser.quit()
        }
    }
}
