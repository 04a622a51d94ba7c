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
        let server = try await CrashRecoveryTests.start(dataDirectory: dataDirectory, port: port)
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
                try await browser.click("#procedureCode option[value='2.000635']")
                try await browser.click("#agencyCode option[value='000.01.12.H55']")
                try await browser.type("Nguyễn Thị Hồng Nhung", into: "#fullName")
                try await browser.type("01919000123", into: "#idNumber")  // one digit short
                try await browser.type("0912345678", into: "#phone")
                try await browser.type("Số 12, tổ 5, phường Tân Thịnh", into: "#address")
                try await browser.type("Số 12, tổ 5, phường Tân Thịnh", into: "#resultAddress")
                // The catalogue's documents for the procedure are offered in the rows, for the clerk to check the dossier
                // against; only what the clerk enters is sent.
                #expect(try await browser.attribute("placeholder", of: "input[name='documents[0].name']") == "Tờ khai cấp bản sao trích lục hộ tịch")
                #expect(try await browser.attribute("placeholder", of: "input[name='documents[1].name']") == "Văn bản ủy quyền (nếu nộp thay)")
                #expect(try await browser.value("input[name='documents[0].name']").isEmpty)
                // The first row left blank, the second with no copies: the error is shown on the row the clerk filled in.
                try await browser.type("Tờ khai", into: "input[name='documents[1].name']")
                try await browser.clear("input[name='documents[1].copies']")
                try await browser.type("0", into: "input[name='documents[1].copies']")
                try await browser.click("#submit")
                let idError = try await browser.waitForText(".field-error[data-field='applicant.idNumber']") { !$0.isEmpty }
                #expect(idError.contains("12 chữ số"))
                #expect(!(try await browser.text(".field-error[data-field='documents[1].copies']")).isEmpty)
                #expect(try await browser.text(".field-error[data-field='documents[0].copies']").isEmpty)

                try await browser.type("4", into: "#idNumber")
                try await browser.clear("input[name='documents[1].copies']")
                try await browser.type("1", into: "input[name='documents[1].copies']")
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
