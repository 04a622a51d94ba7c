import Foundation
import Testing

@testable import PostGateway

/// The attacks of issue 31, against a real `postgateway serve` over sockets, with the pages and the label opened in real
/// headless Chromium: text taken in at the counter can never become markup, script or a printer command.
@Suite(.temporaryFolder, .serialized) struct InjectionTests {
    /// Each would set `window.__pwned` if its markup ran; each hides its `<` or `>` in one Swift Character with a
    /// scalar that joins it (U+0600 before, U+0301 or U+FF9E after).
    static let name = "A\u{600}<img src=x onerror=window.__pwned=1//\u{600}>"
    static let address = "Số 1 <svg onload=window.__pwned=2>\u{301} tổ 5"
    static let document = "Tờ khai<script>window.__pwned=3</script>\u{FF9E}"
    static let zplName = "A\u{600}^FS\u{600}^FO40,40\u{600}^BCN,100\u{600}^FDPH999999999VN\u{600}^FS"

    @Test(arguments: [false, true])
    func hostileTextStaysTextInTheReceiptTheLabelsAndTheDashboard(decomposedVariant: Bool) async throws {
        let port = try freePort()
        let dataDirectory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let server = try await CrashRecoveryTests.start(dataDirectory: dataDirectory, port: port)
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let http = LiveHTTP(port: port, token: try CrashRecoveryTests.token(dataDirectory: dataDirectory))
        let name = decomposedVariant ? Self.name.replacingOccurrences(of: "\u{600}", with: "\u{301}") : Self.name
        let taken = try await http.intake(
            key: UUID().uuidString,
            body: TestSupport.intake { body in
                IntakeValidationTests.applicant(&body, "fullName", name)
                IntakeValidationTests.applicant(&body, "address", Self.address)
                body["documents"] = [["name": Self.document, "copies": 1, "kind": "original"]]
            })
        #expect(taken.status == 201, "\(taken.body)")
        let number = try #require(taken.body["trackingNumber"] as? String)
        let zplTaken = try await http.intake(
            key: UUID().uuidString,
            body: TestSupport.intake { body in
                IntakeValidationTests.applicant(&body, "fullName", Self.zplName)
            })
        let zplNumber = try #require(zplTaken.body["trackingNumber"] as? String)

        // The answers themselves: no element made of the citizen's text, and every one with its policy.
        let receipt = try await http.send("GET", "/api/v1/dossiers/\(number)/receipt")
        let receiptText = String(decoding: receipt.body, as: UTF8.self)
        #expect(
            receipt.status == 200 && !receiptText.contains("<img") && !receiptText.contains("<script>window") && !receiptText.contains("<svg onload"))
        let svg = String(decoding: try await http.send("GET", "/api/v1/labels/\(number)?format=svg").body, as: UTF8.self)
        #expect(XMLReading.read(svg) != nil, "the label is still well-formed XML")
        #expect(!svg.contains("<img") && !svg.contains("<svg onload"))
        let zpl = String(decoding: try await http.send("GET", "/api/v1/labels/\(zplNumber)?format=zpl").body, as: UTF8.self)
        #expect(zpl.components(separatedBy: "^BC").count == 2, "one barcode, the label's own")
        #expect(ZPLFieldDataTests.fields(zpl).contains(Self.zplName), "the name prints as one field, as typed")

        let site = "http://127.0.0.1:\(port)"
        let browser = try await WebDriver()
        do {
            try await browser.signIn(at: site, then: "/counter")
            for path in ["/api/v1/dossiers/\(number)/receipt", "/api/v1/labels/\(number)?format=svg"] {
                try await browser.open(site + path)
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await browser.script("return String(window.__pwned)") as? String == "undefined", "\(path)")
            }
            try await browser.open(site + "/api/v1/dossiers/\(number)/receipt")
            #expect(try await browser.script("return document.querySelectorAll('img, script:not([src]), body svg[onload]').length") as? Int == 0)
            #expect(try await browser.text("body").contains(name), "the name is shown as the clerk typed it")

            // A link in an e-mail: the dashboard writes what it was given back into its form.
            let from = decomposedVariant ? "\"\u{FF9E}/autofocus/onfocus=window.__pwned=4//" : "\u{600}\"/autofocus/onfocus=window.__pwned=4//"
            let query = from.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await browser.open(site + "/dashboard?from=" + query)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await browser.script("return String(window.__pwned)") as? String == "undefined")
            #expect(try await browser.script("return document.querySelector('[onfocus]') === null") as? Bool == true)
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
    }
}
