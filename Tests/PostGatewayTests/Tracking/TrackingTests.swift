import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import PropertyBased
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct TrackingTests {
    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    static let givenNames = ["Thị Hồng Nhung", "Văn Minh", "Đức Anh", "Thu Trang", "Quang Huy", "Ngọc Lan", "Xuân Trường"]

    /// Many dossiers with generated personal data; without the PIN, neither the JSON nor the page shows any of it.
    @Test func withoutThePinNoNameIdNumberPhoneOrAddressIsEverShown() async throws {
        let app = try buildApplication(try TestSupport.dependencies(tweak: { $0.trackingPerClientPerMinute = 10_000 }))
        try await app.test(.router) { client in
            for index in 0..<40 {
                let name = "\(Self.familyNames[index % 10]) \(Self.givenNames[index % 7]) \(index)"
                let idNumber = String(format: "0011%08d", 90_000_000 + index * 7919)
                let phone = "09\(String(format: "%08d", 12_345_678 + index * 101))"
                let address = "Số \(index + 3), ngõ \(index * 2 + 1), phường Tân Thịnh"
                let number = try await DossierReadTests.create(client) { body in
                    body["applicant"] = ["fullName": name, "idNumber": idNumber, "phone": phone, "address": address]
                    body["resultAddress"] = "Thôn \(index), xã Quyết Thắng"
                }
                for path in ["/api/v1/track/\(number)", "/t/\(number)"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    for secret in [name, idNumber, phone, String(phone.dropFirst()), address, "Thôn \(index), xã Quyết Thắng"] {
                        #expect(!text.contains(secret), "\(path) shows \(secret)")
                    }
                    #expect(!text.contains("applicantName") && !text.contains("Người gửi"))
                }
            }
        }
    }

    @Test func theRightPinAddsProcedureAgencyAndAMaskedNameOnly() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            let receipt = try created.decoded(as: Answer.IntakeReceipt.self)
            let number = receipt.trackingNumber
            let pin = receipt.trackingPin
            let response = try await client.execute(uri: "/api/v1/track/\(number)?pin=\(pin)", method: .get)
            #expect(response.status == .ok)
            let details = try #require(try response.decoded(as: Answer.Tracking.self).details)
            #expect(details.applicantName == "N*** T*** H*** N***")
            #expect(details.procedureName == "Cấp bản sao Trích lục hộ tịch")
            #expect(details.agencyName == "Trung tâm Phục vụ hành chính công phường Tích Lương")
            let text = String(buffer: response.body)
            #expect(!text.contains("Nguyễn Thị") && !text.contains("019190001234") && !text.contains("912345678") && !text.contains("Tân Thịnh"))
            let page = try await client.execute(uri: "/t/\(number)?pin=\(pin)", method: .get)
            let html = String(buffer: page.body)
            #expect(html.contains("N*** T*** H*** N***"))
            #expect(page.headers[.cacheControl] == "no-store")
            // What is not known yet is not shown, not even as an empty row: no one-stop status, appointment or note.
            for absent in ["Tình trạng giải quyết", "Ngày hẹn trả kết quả", "Thông báo của cơ quan", "class=\"guidance\"", "<dd></dd>"] {
                #expect(!html.contains(absent), "\(absent)")
            }
        }
    }

    /// Every key of an answer but `instance`, the path asked: a typed answer would skip a key it does not name, and
    /// such a key could tell an unknown code from a wrong PIN.
    static func withoutInstance(_ response: TestResponse) throws -> [String: JSONValue] {
        let answer = try JSONValue(parsing: Data(response.body.readableBytesView))
        guard case .object(var object) = answer else {
            Issue.record("not a JSON object: \(String(buffer: response.body))")
            return [:]
        }
        object["instance"] = nil
        return object
    }

    @Test func anUnknownCodeAndAWrongPinLookTheSame() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let receipt = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: TestSupport.json(TestSupport.intake())
            ).decoded(as: Answer.IntakeReceipt.self)
            let number = receipt.trackingNumber
            let pin = receipt.trackingPin
            let wrongPin = String(pin.map { $0 == "9" ? "0" : Character(String(Int(String($0))! + 1)) })
            let unknown = try await client.execute(uri: "/api/v1/track/\(TestSupport.unknownNumber)?pin=\(pin)", method: .get)
            let wrong = try await client.execute(uri: "/api/v1/track/\(number)?pin=\(wrongPin)", method: .get)
            let malformedPin = try await client.execute(uri: "/api/v1/track/\(number)?pin=abc", method: .get)
            let reference = try Self.withoutInstance(unknown)
            for response in [unknown, wrong, malformedPin] {
                #expect(response.status == .notFound)
                #expect(try Self.withoutInstance(response) == reference)
            }
        }
    }

    @Test func theOneStopsDossierCodeFindsTheDossierToo() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            try await dependencies.database.write { db in
                try db.execute(sql: "UPDATE dossier SET oneStopCode = '000.42.20.H55-261123-0001', oneStopStatus = 2")
            }
            let response = try await client.execute(uri: "/api/v1/track/000.42.20.H55-261123-0001", method: .get)
            #expect(response.status == .ok)
            let view = try response.decoded(as: Answer.Tracking.self)
            #expect(view.items.first?.trackingNumber == number)
            #expect(view.oneStopStatusText == "Cơ quan đã tiếp nhận hồ sơ")
        }
    }

    /// A mã hồ sơ not of the standard shape (DESIGN §2 accepts any up to 50 characters) is found as the one-stop gave
    /// it, and a tracking number typed in small letters is found too.
    @Test func anyDossierCodeTheOneStopGaveAndASmallLetterNumberFindTheDossier() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            let code = "hs_2026-ThaiNguyen.000.42.20.H55-261123-000000001"  // 49 characters, small letters, an underscore
            try await dependencies.database.write { db in
                try db.execute(sql: "UPDATE dossier SET oneStopCode = ?, oneStopStatus = 2", arguments: [code])
            }
            for asked in [code, number.lowercased()] {
                let response = try await client.execute(uri: "/api/v1/track/\(asked)", method: .get)
                #expect(response.status == .ok, "\(asked)")
                #expect(try response.decoded(as: Answer.Tracking.self).items.first?.trackingNumber == number)
            }
            #expect(try await client.execute(uri: "/api/v1/track/\(code.uppercased())", method: .get).status == .notFound)
            // A code the one-stop wrote in capitals, typed in small letters as a phone's keyboard gives them.
            let printed = "000.42.20.H55-261123-0001"
            try await dependencies.database.write { db in try db.execute(sql: "UPDATE dossier SET oneStopCode = ?", arguments: [printed]) }
            let typed = try await client.execute(uri: "/t/\(printed.lowercased())", method: .get)
            #expect(typed.status == .ok && String(buffer: typed.body).contains(number))
        }
    }

    /// A citizen with only the receipt (or the mã hồ sơ) types the code, as they read it, on the lookup page.
    @Test func theLookupPageTakesACodeAsTypedToItsPage() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.status == .seeOther && home.headers[.location] == "/t")
            let form = try await client.execute(uri: "/t", method: .get)
            #expect(form.status == .ok && form.headers[.contentType] == "text/html; charset=utf-8")
            // No other site may frame the page, nor a browser read it as anything else.
            #expect(
                form.headers[.contentSecurityPolicy] == ContentSecurityPolicy.page && form.headers[.xFrameOptions] == "DENY"
                    && form.headers[.xContentTypeOptions] == "nosniff")
            let empty = String(buffer: form.body)
            #expect(empty.contains(#"<form class="card lookup" method="get" action="/t">"#))
            #expect(!empty.contains("role=\"alert\""))

            // A browser's form sends spaces as +.
            for (typed, location) in [
                ("%20ph%20000%20000%20014%20vn%20", "/t/PH000000014VN"), ("PH+000+000+014+VN&pin=123+456", "/t/PH000000014VN?pin=123456"),
                ("000.42.20.H55-261123-0001", "/t/000.42.20.H55-261123-0001"),
            ] {
                let response = try await client.execute(uri: "/t?code=\(typed)", method: .get)
                #expect(response.status == .seeOther && response.headers[.location] == location, "\(typed)")
            }
            // Not a code: the form again, saying what a code looks like, and nothing of what was typed.
            let junk = try await client.execute(uri: "/t?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E", method: .get)
            #expect(junk.status == .unprocessableContent)
            let page = String(buffer: junk.body)
            #expect(page.contains("Mã tra cứu gồm chữ và số") && !page.contains("<script>") && !page.contains("alert(1)"))

            // A number with a wrong check digit: the page says so, and which digit is right.
            let typo = try await client.execute(uri: "/t/PH000000156VN", method: .get)
            #expect(typo.status == .unprocessableContent)
            #expect(String(buffer: typo.body).contains("sai số kiểm tra (số kiểm tra đúng là 5)"))
        }
    }

    /// One client trying 1,000 codes gets a few answers, then only 429 with Retry-After.
    @Test func oneClientEnumeratingCodesIsCutOff() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            var answered = 0
            var limited = 0
            for serial in 1...1000 {
                let response = try await client.execute(uri: "/api/v1/track/\(TrackingNumber(prefix: "PH", serial: serial))", method: .get)
                if response.status == .tooManyRequests {
                    limited += 1
                    #expect(Int(response.headers[.retryAfter] ?? "") != nil)
                } else {
                    answered += 1
                }
            }
            #expect(answered <= 60)
            #expect(limited >= 940)
        }
    }

    @Test func oneCodeAskedTooOftenIsCutOffWhateverTheClient() async throws {
        let app = try buildApplication(try TestSupport.dependencies(tweak: { $0.trackingPerClientPerMinute = 10_000 }))
        try await app.test(.router) { client in
            let number = try await DossierReadTests.create(client)
            var statuses: [HTTPResponse.Status] = []
            for pin in 0..<25 {
                statuses.append(try await client.execute(uri: "/t/\(number)?pin=\(String(format: "%06d", pin))", method: .get).status)
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == .notFound || $0 == .ok })
            #expect(statuses.suffix(5).allSatisfy { $0 == .tooManyRequests })
        }
    }

    @Test func masksKeepOnlyTheFirstLetterOfEachWord() async {
        let spaces = Gen.element(of: [" ", "  ", "\t", "\n", " \r\n "]).compactMap { $0 }
        await propertyCheck(input: Gen.letterOrNumber.string(of: 1...12).array(of: 1...5), spaces.array(of: 6)) { words, gaps in
            // Any white space between, before and after the words.
            let name = gaps[0] + zip(words, gaps.dropFirst()).map { word, gap in word + gap }.joined()
            let masked = TrackedDossier.mask(name)
            let parts = masked.split(separator: " ")
            #expect(parts.count == words.count)
            for (part, word) in zip(parts, words) { #expect(part == "\(word.first!)***") }
        }
    }

    @Test func masksSplitAtEveryKindOfWhiteSpaceAndKeepAWholeFirstLetter() async {
        // Vietnamese letters precomposed and decomposed (a base letter and its marks), with the spaces a pasted name brings.
        let letters = Gen.element(of: ["a", "Đ", "ễ", "e\u{302}\u{303}", "U\u{31B}", "Ư", "7"]).compactMap { $0 }
        let spaces = Gen.element(of: [" ", "\u{A0}", "\u{3000}", "\u{2009}", "\t", " \u{202F} ", " \u{301}"]).compactMap { $0 }
        await propertyCheck(input: letters.array(of: 1...6).map { $0.joined() }.array(of: 1...4), spaces.array(of: 5)) { words, gaps in
            let name = gaps[0] + zip(words, gaps.dropFirst()).map { word, gap in word + gap }.joined()
            let expected = name.split(whereSeparator: \.isWhitespace).map { "\($0.first!)***" }.joined(separator: " ")
            #expect(TrackedDossier.mask(name) == expected)
        }
    }
}
