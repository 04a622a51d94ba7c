import Foundation
import Testing

@testable import PostGateway

/// The counter's third service in real headless Chromium against a real `postgateway serve` process and its sandbox
/// one-stop: the citizen's appointment slip becomes an order the one-stop registers, a receipt and a label.
@Suite(.temporaryFolder, .serialized) struct CounterOrderBrowserTests {
    @Test func aClerkOrdersAnOnlineDossiersResultHomeAndPrintsItsReceiptAndLabel() async throws {
        let port = try freePort()
        let sandboxPort = try freePort()
        let dataDirectory = try TestSupport.temporaryDirectory()
        let server = try await CrashRecoveryTests.start(
            dataDirectory: dataDirectory, port: port, extraArguments: ["--sandbox-port", String(sandboxPort)],
            environment: ["POSTGATEWAY_SANDBOX_CONTROL_TOKEN": SandboxProcess.controlToken])
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        // A dossier filed online at phường Tích Lương's desk, 30,000 đ of its fees still owed: what the slip names.
        let sandbox = LiveHTTP(port: sandboxPort, token: SandboxProcess.controlToken)
        let filed = try await sandbox.send(
            "POST", "/_sandbox/hosokhac", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: ["MaTTHC": "1.001193", "MaCoQuan": "000.42.20.H55", "KenhNop": 2, "LePhiConNo": 30_000]))
        #expect(filed.status == 201)
        let maHoSo = try #require((try JSONSerialization.jsonObject(with: filed.body) as? [String: Any])?["MaHoSo"] as? String)

        let site = "http://127.0.0.1:\(port)"
        let browser = try await WebDriver()
        do {
            try await browser.signIn(at: site, then: "/counter")
            try await browser.click("input[name=service][value=resultOnly]")
            #expect(try await browser.script("return document.getElementById('result-order').hidden") as? Bool == false)
            #expect(try await browser.script("return document.getElementById('submit').hidden") as? Bool == true)
            // A code the one-stop does not know: told beside the field, nothing saved.
            try await browser.type("000.42.20.H55-261204-9999", into: "#dossierCode")
            try await browser.type("Nguyễn Văn An", into: "#receiverName")
            try await browser.type("0912345678", into: "#receiverPhone")
            try await browser.type("Số 12, tổ 5", into: "#deliveryAddress")
            try await browser.click("#deliveryUnitCode option[value='05443']")
            try await browser.click("#order-submit")
            let unknown = try await browser.waitForText(".field-error[data-field='dossierCode']") { !$0.isEmpty }
            #expect(unknown.contains("không có hồ sơ mã 000.42.20.H55-261204-9999"))

            // The slip's QR read by the scanner: a link around the code.
            try await browser.clear("#dossierCode")
            try await browser.type("https://dichvucong.example.vn/tra-cuu?ma=\(maHoSo)", into: "#dossierCode")
            // The one-stop down: the clerk is told at once; sent again once it is back, the order goes through.
            func faults(_ rate: Double) async throws -> Int {
                try await sandbox.send(
                    "PUT", "/_sandbox/faults", headers: ["Content-Type": "application/json"],
                    body: try JSONSerialization.data(withJSONObject: ["errorRate": rate])
                ).status
            }
            #expect(try await faults(1) == 200)
            try await browser.click("#order-submit")
            let down = try await browser.waitForText("#order-error") { $0.contains("không trả lời") }
            #expect(down.contains("không bị tạo hai lần"))
            #expect(try await faults(0) == 200)
            try await browser.click("#order-submit")
            let number = try await browser.waitForText("#order-number") { $0.count == 13 }
            #expect(try await browser.text("#order-code") == maHoSo)
            #expect(try await browser.text("#order-fees") == "30.000")
            let pin = try await browser.text("#order-pin")
            #expect(pin.count == 6)

            // The receipt and the label, as the clerk prints them; the label's codes read back by a real reader.
            let staff = LiveHTTP(port: port, token: try CrashRecoveryTests.token(dataDirectory: dataDirectory))
            let receipt = String(decoding: try await staff.send("GET", "/api/v1/dossiers/\(number)/receipt").body, as: UTF8.self)
            #expect(receipt.contains(number) && receipt.contains(pin) && receipt.contains(maHoSo))
            let svg = try await staff.send("GET", "/api/v1/labels/\(number)?format=svg")
            #expect(svg.status == 200)
            let folder = try TestSupport.temporaryDirectory()
            let svgFile = folder.appending(path: "label.svg")
            let pngFile = folder.appending(path: "label.png")
            try svg.body.write(to: svgFile)
            let raster = try ExternalTool.run("rsvg-convert", ["--dpi-x", "300", "--dpi-y", "300", "-b", "white", "-o", pngFile.path, svgFile.path])
            #expect(raster.status == 0, "\(raster.stderr)")
            let symbols = try ExternalTool.decodeSymbols(in: pngFile)
            #expect(symbols.count == 2 && symbols.contains(number) && symbols.contains { $0.hasSuffix("/t/\(number)") })

            // The one-stop has the order, with the item number the receipt carries.
            let ledger = try await sandbox.send("GET", "/_sandbox/hoso")
            let rows = (try JSONSerialization.jsonObject(with: ledger.body) as! [String: Any])["DuLieu"] as! [[String: Any]]
            let order = try #require(rows.first { $0["MaHoSo"] as? String == maHoSo })
            #expect(order["MaBuuGuiKetQua"] as? String == number && order["TrangThaiKetQua"] as? String == "TIEP_NHAN_DON")
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
    }
}
