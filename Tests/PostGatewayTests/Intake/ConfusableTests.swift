import Foundation
import Hummingbird
import HummingbirdTesting
import PropertyBased
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct ConfusableTests {
    static let vietnamese = [
        "Nguyễn Thị Hồng Nhung", "Trần Đức Thắng", "Lê Thị Ánh Tuyết", "Phạm Quốc Việt", "Đặng Thùy Dương",
        "Số 12, tổ 5, phường Tân Thịnh", "Ngõ 3 đường Lương Ngọc Quyến, phường Phan Đình Phùng",
    ]

    @Test func vietnameseInNFCAndInNFDIsAccepted() async {
        await propertyCheck(input: Gen.element(of: Self.vietnamese).compactMap { $0 }, Gen.bool) { text, decomposed in
            let form = decomposed ? text.decomposedStringWithCanonicalMapping : text.precomposedStringWithCanonicalMapping
            #expect(Confusable.problem(in: form) == nil, "\(form.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func aFieldThatStartsWithAJoiningScalarOrHoldsABidiControlIsRefused() async {
        let joining = Gen.element(of: ["\u{301}", "\u{FF9E}", "\u{200D}", "\u{600}", "\u{605}", "\u{903}", "\u{20DD}"]).compactMap { $0 }
        let bidi = Gen.element(of: Array(0x202A...0x202E) + Array(0x2066...0x2069)).compactMap { $0 }.map { String(Unicode.Scalar($0)!) }
        await propertyCheck(input: joining, bidi, Gen.element(of: Self.vietnamese).compactMap { $0 }) { mark, control, text in
            #expect(Confusable.problem(in: mark + text) == .joiningCharacter)
            #expect(Confusable.problem(in: text + control + "x") == .bidiControl)
        }
        // A Prepend scalar last would join the character after the field.
        #expect(Confusable.problem(in: "Nguyễn\u{600}") == .joiningCharacter)
    }

    @Test func intakeNamesEachConfusingFieldInVietnameseOrEnglishAndWritesNothing() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let body = TestSupport.intake { body in
                IntakeValidationTests.applicant(&body, "fullName", "\u{301}Nguyễn Văn An")
                IntakeValidationTests.applicant(&body, "address", "Số 12 \u{202E}gnórt\u{202C}")
                body["documents"] = [["name": "\u{FF9E}Tờ khai", "copies": 1, "kind": "original"]]
            }
            for language in ["vi", "en"] {
                let response = try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(language: language),
                    body: TestSupport.json(body))
                #expect(response.status == .unprocessableContent)
                #expect(
                    try response.problem.codes == [
                        "applicant.fullName": "joiningCharacter", "applicant.address": "bidiControl", "documents[0].name": "joiningCharacter",
                    ])
                let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(response.body.readableBytesView))
                let message = try #require(problem.errors.first { $0.field == "applicant.address" }?.message)
                #expect(language == "vi" ? message.contains("hướng viết") : message.contains("bidirectional"))
            }
            #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 0)
        }
    }

    struct ProblemBody: Decodable {
        struct Error: Decodable {
            let field: String
            let code: String
            let message: String
        }
        let errors: [Error]
    }
}
