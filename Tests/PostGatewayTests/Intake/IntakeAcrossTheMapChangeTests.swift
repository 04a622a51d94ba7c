import Foundation
import HummingbirdTesting
import Testing

@testable import PostGateway

/// Intake takes the desks and units in force on the day: on 30 June 2025 the former city's, from 1 July 2025 the
/// new map's, and an ended one is refused naming where it went, with nothing saved.
@Suite(.temporaryFolder) struct IntakeAcrossTheMapChangeTests {
    /// xã Cao Ngạn's desk and unit until 30 June 2025; both went into phường Linh Sơn.
    static let caoNganDesk = "000.02.12.H55"
    static let linhSonDesk = "000.65.20.H55"

    static func post(_ client: some TestClientProtocol, language: String? = nil, _ changes: (inout [String: Any]) -> Void)
        async throws -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(language: language),
            body: TestSupport.json(TestSupport.intake(changes)))
    }

    @Test func theOldDeskTakesDossiersOnItsLastDayAndIsRefusedTheNextNamingItsSuccessor() async throws {
        let clock = MovableClock(Date())
        let dependencies = try TestSupport.dependencies(clock: { clock.now })
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let oldForm: (inout [String: Any]) -> Void = {
                $0["agencyCode"] = Self.caoNganDesk
                $0["resultAddress"] = "Xóm Núi, xã Cao Ngạn, TP Thái Nguyên"
                $0["resultAddressUnitCode"] = "05695"
            }
            clock.set("2025-06-30")
            let accepted = try await Self.post(client, oldForm)
            #expect(accepted.status == .created, "\(String(buffer: accepted.body))")
            // J + 1 in one zone (both were the city of Thái Nguyên): Monday 30 June → Tuesday 1 July.
            #expect(try accepted.decoded(as: Answer.IntakeReceipt.self).dueDate == "2025-07-01")
            // The new desk does not take dossiers before the new authorities start.
            let early = try await Self.post(client) { $0["agencyCode"] = Self.linhSonDesk }
            #expect(try early.problem.codes == ["agencyCode": "agencyNotYetOpen"])

            clock.set("2025-07-01")
            let refused = try await Self.post(client, oldForm)
            #expect(refused.status == .unprocessableContent)
            let problem = try refused.problem
            #expect(problem.codes == ["agencyCode": "agencyClosed", "resultAddressUnitCode": "unitEnded"])
            let agencyMessage = try #require(problem.errors.first { $0.field == "agencyCode" }?.message)
            #expect(agencyMessage.contains("UBND xã Cao Ngạn") && agencyMessage.contains("01/07/2025"))
            #expect(agencyMessage.contains("đã hợp nhất vào Trung tâm Phục vụ hành chính công phường Linh Sơn (\(Self.linhSonDesk))"))
            let unitMessage = try #require(problem.errors.first { $0.field == "resultAddressUnitCode" }?.message)
            #expect(unitMessage.contains("xã Cao Ngạn") && unitMessage.contains("phường Linh Sơn (05710)"))
            let english = try await Self.post(client, language: "en", oldForm).problem
            #expect(english.errors.first { $0.field == "agencyCode" }?.message.contains("no longer takes dossiers from 01/07/2025") == true)
            #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 1)

            let moved = try await Self.post(client) {
                $0["agencyCode"] = Self.linhSonDesk
                $0["resultAddressUnitCode"] = "05710"
            }
            #expect(moved.status == .created, "\(String(buffer: moved.body))")
            #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 2)
        }
    }

    @Test func aProvincialProcedureAtACommuneDeskIsToldTheLevelInWords() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            // Cấp đổi sổ đỏ lies with the province's land registration office since 2025.
            let problem = try await Self.post(client) {
                $0["procedureCode"] = "1.012783"
                $0["fees"] = ["postage": 30000, "administrativeFee": 50000]
            }.problem
            #expect(problem.codes == ["agencyCode": "procedureNotAtAgency"])
            #expect(
                problem.errors[0].message
                    == "Thủ tục 1.012783 (cấp tỉnh) không thuộc thẩm quyền của Trung tâm Phục vụ hành chính công phường Tích Lương.")
            let atCentre = try await Self.post(client) {
                $0["procedureCode"] = "1.012783"
                $0["agencyCode"] = "000.00.01.H55"
                $0["fees"] = ["postage": 30000, "administrativeFee": 50000]
            }
            #expect(atCentre.status == .created, "\(String(buffer: atCentre.body))")
        }
    }

    @Test func theResultAddressNeedsItsCommuneUnitOrOutsideTheMapItsProvince() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            // An address in Hà Nội: the province is enough, and the result leg will be inter-province.
            let hanoi = try await Self.post(client) {
                $0["resultAddressUnitCode"] = nil
                $0["resultAddressProvinceCode"] = "01"
                $0["resultAddress"] = "Số 1 phố Tràng Tiền, phường Hoàn Kiếm, Hà Nội"
            }
            #expect(hanoi.status == .created, "\(String(buffer: hanoi.body))")
            let number = try hanoi.decoded(as: Answer.IntakeReceipt.self).trackingNumber
            let stored = try await OneStopEventsTests.dossier(dependencies.database, number)
            #expect(stored.resultProvinceCode == "01" && stored.resultUnitCode == nil)
            let both = try await Self.post(client) { $0["resultAddressProvinceCode"] = "01" }.problem
            #expect(both.codes == ["resultAddressProvinceCode": "unitOrProvince"])
            let inTheMap = try await Self.post(client) {
                $0["resultAddressUnitCode"] = nil
                $0["resultAddressProvinceCode"] = "19"
            }.problem
            #expect(inTheMap.codes == ["resultAddressProvinceCode": "provinceInTheMap"])
            #expect(inTheMap.errors[0].message == "Địa chỉ thuộc Tỉnh Thái Nguyên: hãy chọn xã, phường nhận kết quả.")
            let unknown = try await Self.post(client) {
                $0["resultAddressUnitCode"] = nil
                $0["resultAddressProvinceCode"] = "99"
            }.problem
            #expect(unknown.codes == ["resultAddressProvinceCode": "unknownProvince"])
            #expect(
                try await Self.post(client) { $0["resultAddressUnitCode"] = nil }.problem.codes == ["resultAddressUnitCode": "resultAddressRequired"])
            #expect(try await Self.post(client) { $0["resultAddressUnitCode"] = "99999" }.problem.codes == ["resultAddressUnitCode": "unknownUnit"])
            let sendOnly = try await Self.post(client) {
                $0["service"] = "sendOnly"
                $0["resultAddress"] = nil
            }
            #expect(try sendOnly.problem.codes == ["resultAddressUnitCode": "resultAddressNotExpected"])
        }
    }
}
