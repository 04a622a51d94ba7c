import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Every rule of the intake form: each bad input is a clear 4xx naming the field, and nothing is written.
@Suite(.temporaryFolder) struct IntakeValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let field: String
        let code: String
        let change: @Sendable (inout [String: Any]) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "missing service", field: "service", code: "required") { $0["service"] = nil },
        Case(name: "unknown service", field: "service", code: "notOneOf") { $0["service"] = "resultOnly" },
        Case(name: "service of the wrong type", field: "service", code: "wrongType") { $0["service"] = 3 },
        Case(name: "appointment slip flag as text", field: "appointmentSlipByPost", code: "wrongType") { $0["appointmentSlipByPost"] = "có" },
        Case(name: "unknown procedure", field: "procedureCode", code: "unknownProcedure") { $0["procedureCode"] = "9.999999" },
        Case(name: "procedure needing presence", field: "procedureCode", code: "procedureNotPostal") { $0["procedureCode"] = "1.000894" },
        Case(name: "provincial procedure at a ward desk", field: "agencyCode", code: "procedureNotAtAgency") { $0["procedureCode"] = "1.012783" },
        Case(name: "unknown agency", field: "agencyCode", code: "unknownAgency") { $0["agencyCode"] = "000.99.12.H55" },
        Case(name: "unknown office", field: "officeCode", code: "unknownOffice") { $0["officeCode"] = "999999" },
        Case(name: "missing applicant", field: "applicant", code: "required") { $0["applicant"] = nil },
        Case(name: "applicant not an object", field: "applicant", code: "wrongType") { $0["applicant"] = "Nguyễn Văn An" },
        Case(name: "blank name", field: "applicant.fullName", code: "empty") { Self.applicant(&$0, "fullName", "   ") },
        Case(name: "11-digit ID", field: "applicant.idNumber", code: "invalidIdNumber") { Self.applicant(&$0, "idNumber", "01919000123") },
        Case(name: "13-digit ID", field: "applicant.idNumber", code: "invalidIdNumber") { Self.applicant(&$0, "idNumber", "0191900012345") },
        Case(name: "ID with a letter", field: "applicant.idNumber", code: "invalidIdNumber") { Self.applicant(&$0, "idNumber", "01919000123A") },
        Case(name: "ID as a number", field: "applicant.idNumber", code: "wrongType") { Self.applicant(&$0, "idNumber", 19_190_001_234) },
        Case(name: "landline phone", field: "applicant.phone", code: "invalidPhone") { Self.applicant(&$0, "phone", "02083855555") },
        Case(name: "short phone", field: "applicant.phone", code: "invalidPhone") { Self.applicant(&$0, "phone", "091234567") },
        Case(name: "bad email", field: "applicant.email", code: "invalidEmail") { Self.applicant(&$0, "email", "nhung@") },
        Case(name: "unknown applicant field", field: "applicant.birthday", code: "unknownField") { Self.applicant(&$0, "birthday", "1990-01-01") },
        Case(name: "missing result address", field: "resultAddress", code: "resultAddressRequired") { $0["resultAddress"] = nil },
        Case(name: "result address on send-only", field: "resultAddress", code: "resultAddressNotExpected") { $0["service"] = "sendOnly" },
        Case(name: "no documents", field: "documents", code: "empty") { $0["documents"] = [Any]() },
        Case(name: "document kind unknown", field: "documents[1].kind", code: "notOneOf") {
            $0["documents"] = [
                ["name": "Tờ khai", "copies": 1, "kind": "original"], ["name": "CCCD", "copies": 1, "kind": "scan"],
            ]
        },
        Case(name: "zero copies", field: "documents[0].copies", code: "outOfRange") {
            $0["documents"] = [["name": "Tờ khai", "copies": 0, "kind": "original"]]
        },
        Case(name: "too many documents", field: "documents", code: "tooMany") {
            $0["documents"] = Array(repeating: ["name": "Tờ khai", "copies": 1, "kind": "copy"], count: 51)
        },
        Case(name: "negative postage", field: "fees.postage", code: "invalidMoney") { $0["fees"] = ["postage": -1, "administrativeFee": 8000] },
        Case(name: "fractional fee", field: "fees.administrativeFee", code: "invalidMoney") {
            $0["fees"] = ["postage": 30000, "administrativeFee": 8000.5]
        },
        Case(name: "fee as text", field: "fees.administrativeFee", code: "invalidMoney") {
            $0["fees"] = ["postage": 30000, "administrativeFee": "8000"]
        },
        Case(name: "missing fees", field: "fees", code: "required") { $0["fees"] = nil },
        Case(name: "overlong note", field: "note", code: "tooLong") { $0["note"] = String(repeating: "x", count: 501) },
        Case(name: "NUL in the name", field: "applicant.fullName", code: "controlCharacter") { Self.applicant(&$0, "fullName", "Nguyễn\u{0}Văn A") },
        Case(name: "escape in a document's name", field: "documents[0].name", code: "controlCharacter") {
            $0["documents"] = [["name": "Tờ khai\u{1B}[31m", "copies": 1, "kind": "original"]]
        },
        Case(name: "unknown top-level field", field: "priority", code: "unknownField") { $0["priority"] = "express" },
    ]

    static func applicant(_ body: inout [String: Any], _ key: String, _ value: Any) {
        var applicant = body["applicant"] as! [String: Any]
        applicant[key] = value
        body["applicant"] = applicant
    }

    @Test(arguments: cases)
    func eachBadFieldIsNamedAndNothingIsWritten(_ badCase: Case) async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake(badCase.change)))
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let codes = try response.problem.codes
            #expect(codes[badCase.field] == badCase.code, "\(codes)")
        }
        #expect(try await TestSupport.counts(dependencies.database).values.allSatisfy { $0 == 0 })
    }

    @Test func aNoteOverSeveralLinesWithATabIsAccepted() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let body = TestSupport.intake { $0["note"] = "Giao trong giờ hành chính.\r\nGọi trước\t15 phút." }
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: TestSupport.json(body))
            #expect(response.status == .created)
        }
    }

    @Test func textsAreTrimmedOfWhiteSpaceAndMeasuredInCharactersNotBytes() {
        var check = FieldChecker()
        #expect(check.string(.string("  Nguyễn Văn A\u{00A0}\n"), at: "a", maxLength: 100) == "Nguyễn Văn A")
        #expect(check.string(.string("Nhung"), at: "b", maxLength: 5) == "Nhung")
        #expect(check.string(.string("Hồng"), at: "c", maxLength: 4) == "Hồng")
        #expect(check.string(.string("Nhung "), at: "c", maxLength: 5) == "Nhung")
        #expect(check.string(.string("\tNhung"), at: "c", maxLength: 5) == "Nhung")
        let hundred = String(repeating: "ễ", count: 100)
        #expect(check.string(.string(hundred), at: "d", maxLength: 100) == hundred)
        #expect(check.issues.isEmpty)
        #expect(check.string(.string(hundred + "ễ"), at: "e", maxLength: 100) == nil)
        #expect(check.string(.string("Nhung!"), at: "f", maxLength: 5) == nil)
        #expect(check.string(.string(" \t "), at: "g", maxLength: 5) == nil)
        #expect(check.issues.map { "\($0.field) \($0.code)" } == ["e tooLong", "f tooLong", "g empty"])
    }

    @Test func everyBadFieldIsReportedAtOnce() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let body = TestSupport.intake {
                Self.applicant(&$0, "idNumber", "123")
                Self.applicant(&$0, "phone", "abc")
                $0["officeCode"] = "000000"
                $0["fees"] = ["postage": -5, "administrativeFee": 1.5]
            }
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(key: nil), body: TestSupport.json(body))
            #expect(response.status == .unprocessableContent)
            #expect(
                Set(try response.problem.fields) == [
                    "Idempotency-Key", "applicant.idNumber", "applicant.phone", "officeCode", "fees.postage", "fees.administrativeFee",
                ])
        }
    }

    @Test func messagesAreVietnameseUnlessEnglishIsAskedFor() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let body = TestSupport.json(TestSupport.intake { Self.applicant(&$0, "idNumber", "123") })
            let vietnamese = try await client.execute(uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: body)
            let english = try await client.execute(
                uri: "/api/v1/dossiers", method: .post,
                headers: TestSupport.headers(language: "en-US,en;q=0.9,vi;q=0.5"), body: body)
            let viProblem = try vietnamese.problem
            let enProblem = try english.problem
            #expect(viProblem.title == "Dữ liệu không hợp lệ")
            #expect(viProblem.errors.first?.message.contains("12 chữ số") == true)
            #expect(enProblem.title == "Invalid data")
            #expect(enProblem.errors.first?.message.contains("12 digits") == true)
            #expect(english.headers[.contentLanguage] == "en")
        }
    }

    @Test func aMissingOrMalformedIdempotencyKeyIsRefused() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            for (key, code) in [(nil, "idempotencyKeyMissing"), ("short", "idempotencyKeyInvalid"), ("có dấu tiếng Việt", "idempotencyKeyInvalid")] {
                let response = try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(key: key),
                    body: TestSupport.json(TestSupport.intake()))
                #expect(response.status == .unprocessableContent)
                #expect(try response.problem.codes["Idempotency-Key"] == code)
            }
        }
        #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 0)
    }

    @Test func malformedJSONOversizedBodiesAndOtherMediaTypesAreRefused() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let malformed = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: ByteBuffer(string: "{\"service\": \"sendOnly\","))
            #expect(malformed.status == .badRequest)
            #expect(try malformed.problem.type == "urn:postgateway:problem:malformed-request")

            let notAnObject = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: ByteBuffer(string: "[1, 2]"))
            #expect(notAnObject.status == .unprocessableContent)

            let huge = TestSupport.intake { $0["note"] = String(repeating: "x", count: 70_000) }
            let oversized = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: TestSupport.json(huge))
            #expect(oversized.status == .contentTooLarge)
            #expect(oversized.headers[.contentType]?.hasPrefix("application/problem+json") == true)

            var form = TestSupport.headers()
            form[.contentType] = "application/x-www-form-urlencoded"
            let wrongType = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: form, body: ByteBuffer(string: "service=sendOnly"))
            #expect(wrongType.status == .unsupportedMediaType)
        }
        #expect(try await TestSupport.counts(dependencies.database).values.allSatisfy { $0 == 0 })
    }
}
