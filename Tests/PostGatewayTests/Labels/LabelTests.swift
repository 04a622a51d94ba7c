import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct LabelTests {
    static let names = [
        "Nguyễn Thị Hồng Nhung", "Trần Đức Thắng", "Lê Thị Ánh Tuyết", "Phạm Quốc Việt", "Hoàng Văn Lữ",
        "Đặng Thùy Dương", "Vũ Ngọc Ẩn", "Bùi Thị Quỳnh", "Đỗ Hữu Nghĩa", "Ngô Thị Thanh Hương",
        "Dương Văn Khải", "Lý Thị Yến", "Hồ Sỹ Tuấn", "Trịnh Công Sơn", "Mai Phương Thúy", "Tạ Đình Phong",
    ]

    static func intake(_ client: some TestClientProtocol, name: String, office: String = "250000") async throws -> String {
        let response = try await client.execute(
            uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
            body: TestSupport.json(
                TestSupport.intake { body in
                    IntakeValidationTests.applicant(&body, "fullName", name)
                    body["officeCode"] = office
                }))
        #expect(response.status == .created)
        return try response.decoded(as: Answer.IntakeReceipt.self).trackingNumber
    }

    @Test func everySVGLabelDecodesToItsTrackingURLAndItsNumber() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        let folder = try TestSupport.temporaryDirectory()
        try await app.test(.router) { client in
            let offices = TestSupport.reference.offices.map(\.code)
            for (index, name) in Self.names.enumerated() {
                let number = try await Self.intake(client, name: name, office: offices[index % offices.count])
                let response = try await client.execute(uri: "/api/v1/labels/\(number)?format=svg", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml; charset=utf-8")
                let svg = String(buffer: response.body)
                #expect(svg.contains(name), "the Vietnamese name survives in SVG")
                let svgFile = folder.appending(path: "\(number).svg")
                let pngFile = folder.appending(path: "\(number).png")
                try svg.write(to: svgFile, atomically: true, encoding: .utf8)
                let raster = try ExternalTool.run(
                    "rsvg-convert", ["--dpi-x", "300", "--dpi-y", "300", "-b", "white", "-o", pngFile.path, svgFile.path])
                #expect(raster.status == 0, "\(raster.stderr)")
                #expect(try ExternalTool.decodeSymbols(in: pngFile) == ["https://tracuu.example.vn/t/\(number)", number])
            }
        }
    }

    /// Turns the `^GFA` graphic of a ZPL label back into a PBM image a barcode reader can open, reading the
    /// ASCII hex as a printer does: two digits a byte, and `:` for a row the same as the one before.
    static func qrImage(fromZPL zpl: String, to file: URL) throws {
        let start = try #require(zpl.range(of: "^GFA,"))
        let fields = zpl[start.upperBound...].prefix { $0 != "^" }.split(separator: ",")
        let total = Int(fields[0])!
        let bytesPerRow = Int(fields[2])!
        var bytes: [UInt8] = []
        var pending = Array(fields[3].utf8)[...]
        while let first = pending.first {
            if first == UInt8(ascii: ":") {
                bytes += bytes.suffix(bytesPerRow)
                pending = pending.dropFirst()
            } else {
                let pair = String(decoding: pending.prefix(2), as: UTF8.self)
                bytes.append(try #require(UInt8(pair, radix: 16), "not hex: \(pair)"))
                pending = pending.dropFirst(2)
            }
        }
        #expect(bytes.count == total)
        // Border it with white so the reader sees a quiet zone at any scale.
        let header = "P4\n\(bytesPerRow * 8) \(total / bytesPerRow)\n"
        try (Data(header.utf8) + Data(bytes)).write(to: file)
    }

    @Test func theZPLLabelCarriesUTF8TheNativeBarcodeAndADecodableQRGraphic() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        let folder = try TestSupport.temporaryDirectory()
        try await app.test(.router) { client in
            for name in Self.names.prefix(6) {
                let number = try await Self.intake(client, name: name)
                let response = try await client.execute(uri: "/api/v1/labels/\(number)?format=zpl", method: .get)
                #expect(response.status == .ok)
                let zpl = String(buffer: response.body)
                #expect(zpl.hasPrefix("^XA") && zpl.hasSuffix("^XZ\n"))
                #expect(zpl.contains("^CI28"))
                // A ^FX comment ends at the next caret or tilde: one named inside a comment would run as a command.
                for line in zpl.split(separator: "\n") where line.hasPrefix("^FX") {
                    #expect(!line.dropFirst(3).contains { $0 == "^" || $0 == "~" }, "\(line)")
                }
                #expect(zpl.contains("^FD\(name)^FS"), "the Vietnamese name survives in ZPL")
                #expect(zpl.contains("^BCN,160,N,N,N^FH^FD\(number)^FS"))
                let image = folder.appending(path: "\(number).pbm")
                try Self.qrImage(fromZPL: zpl, to: image)
                #expect(try ExternalTool.decodeSymbols(in: image) == ["https://tracuu.example.vn/t/\(number)"])
            }
        }
    }

    @Test func zplControlCharactersInValuesTravelHexEscaped() {
        #expect(ZPLFieldData.escaped("A^B~C_D") == "A_5EB_7EC_5FD")
    }

    @Test func unknownBadAndMalformedNumbersAreAnsweredDistinctly() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/api/v1/labels/PH000000155VN", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/labels/PH000000156VN", method: .get).status == .unprocessableContent)
            #expect(try await client.execute(uri: "/api/v1/labels/PH00000015", method: .get).status == .badRequest)
            let number = try await Self.intake(client, name: "Nguyễn Văn An")
            let badFormat = try await client.execute(uri: "/api/v1/labels/\(number)?format=pdf", method: .get)
            #expect(badFormat.status == .unprocessableContent)
            #expect(try badFormat.problem.codes == ["format": "notOneOf"])
            #expect(try await client.execute(uri: "/api/v1/dossiers/PH000000155VN/receipt", method: .get).status == .notFound)
        }
    }

    @Test func theReceiptIsAPrintableA5PhieuWithThePinAndEveryDocument() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            let answer = try created.decoded(as: Answer.IntakeReceipt.self)
            let number = answer.trackingNumber
            let response = try await client.execute(uri: "/api/v1/dossiers/\(number)/receipt", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.cacheControl] == "private, no-store")
            let html = String(buffer: response.body)
            for expected in [
                "PHIẾU GỬI HỒ SƠ", "size: A5", number, answer.trackingPin, "Nguyễn Thị Hồng Nhung",
                "0912345678", "Trung tâm Phục vụ hành chính công phường Tích Lương", "Bản chính", "Bản sao", "30.000 đ", "8.000 đ",
                "38.000 đ", "24/11/2026", "09:30 ngày 23/11/2026", "Bưu cục Trung tâm Thái Nguyên", "<svg",
            ] {
                #expect(html.contains(expected), "receipt lacks \(expected)")
            }
        }
    }

    @Test func theManifestPrintsEveryItemAndTheSigningTime() throws {
        let templates = try LabelTemplates.load(from: TestSupport.packageRoot.appending(path: "labels"))
        let reference = TestSupport.reference
        let lines = (1...3).map { serial in
            ManifestData.Line(
                trackingNumber: TrackingNumber(prefix: "PH", serial: serial).description, procedureName: "Cấp bản sao trích lục",
                originals: 1, copies: 2, administrativeFee: 8000)
        }
        let manifest = ManifestData(
            number: "BB-250000-20261123-0001", agency: reference.agency("000.42.20.H55")!,
            office: reference.office("250000")!, createdAt: TestSupport.mondayMorning,
            signedAt: TestSupport.mondayMorning.addingTimeInterval(5 * 3600), receivedBy: "Trần Thị Bình", lines: lines)
        let html = templates.manifest.render(manifest.context)
        for line in lines { #expect(html.contains(line.trackingNumber)) }
        for expected in ["BIÊN BẢN GIAO NHẬN HỒ SƠ", "BB-250000-20261123-0001", "14:30 ngày 23/11/2026", "Trần Thị Bình", "24.000 đ", "3 hồ sơ"] {
            #expect(html.contains(expected), "manifest lacks \(expected)")
        }
    }

    @Test func aTemplateNamingAnUnknownFieldStopsTheStart() throws {
        let folder = try TestSupport.temporaryDirectory()
        for (name, _) in LabelTemplates.files {
            try FileManager.default.copyItem(at: TestSupport.packageRoot.appending(path: "labels/\(name)"), to: folder.appending(path: name))
        }
        let svg = folder.appending(path: "label.svg.mustache")
        try (try String(contentsOf: svg, encoding: .utf8)).replacingOccurrences(of: "{{dueDate}}", with: "{{dueDay}}")
            .write(to: svg, atomically: true, encoding: .utf8)
        let error = try #require(throws: LabelTemplateError.self) { try LabelTemplates.load(from: folder) }
        #expect(error.file.hasSuffix("label.svg.mustache"))
        #expect(error.reason.contains("dueDay"))
    }

    @Test func templateTagsAreFoundInEveryMustacheForm() {
        #expect(
            LabelTemplates.tagNames(in: "a {{x}} {{{y}}} {{& z}} {{#s}}{{t.u}}{{/s}} {{^n}}{{/n}} {{! comment }} {{> partial}}")
                == ["x", "y", "z", "s", "t", "n"])
    }

    @Test func theLabelCommandPrintsAnItemsLabelFromTheLedger() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        let number = try await app.test(.router) { client in try await Self.intake(client, name: "Lương Thế Vinh") }
        let output = try ExternalTool.run(
            try CrashRecoveryTests.executable().path,
            ["label", number, "--format", "zpl", "--data-dir", dependencies.configuration.dataDirectory],
            currentDirectory: TestSupport.packageRoot)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("^XA"))
        #expect(output.stdout.contains("^GFA,"))
        #expect(output.stdout.contains("^FDLương Thế Vinh^FS"))
        #expect(output.stdout.contains("^FD\(number)^FS"))
    }
}
