import Foundation
import PropertyBased
import Testing

@testable import PostGateway

/// `ResultOrder.parse` over generated orders: whatever is broken is named, field by field, and nothing else; whatever is
/// whole is read as sent.
@Suite struct ResultOrderParsingTests {
    static let day = LocalDate(iso: "2026-11-23")!

    static func form(_ body: [String: Any]) throws -> [String: JSONValue] {
        guard case .object(let form) = try JSONValue(parsing: try JSONSerialization.data(withJSONObject: body)) else {
            throw CocoaError(.coderInvalidValue)
        }
        return form
    }

    /// One way to break each field, and the code it is refused with.
    static let breakers: [(field: String, code: String, apply: @Sendable (inout [String: Any]) -> Void)] = [
        ("MaHoSo", "tooLong", { $0["MaHoSo"] = String(repeating: "9", count: 51) }),
        ("MaCoQuan", "unknownAgency", { $0["MaCoQuan"] = "000.99.99.H55" }),
        ("MaDonViHanhChinh", "unitEnded", { $0["MaDonViHanhChinh"] = "01834" }),
        ("KetQua.TienThuKhiPhat", "invalidMoney", { $0["KetQua"] = ["SoLuongGiayTo": 1, "TienThuKhiPhat": -1] }),
        ("SoDienThoai", "invalidPhone", { $0["SoDienThoai"] = "12345" }),
        ("ThoiDiem", "invalidCompactTime", { $0["ThoiDiem"] = "20261131250000" }),
        ("KenhNop", "outOfRange", { $0["KenhNop"] = 3 }),
    ]

    @Test func everyBrokenFieldIsNamedAndNoOther() async {
        await propertyCheck(input: Gen.bool.array(of: Self.breakers.count)) { broken in
            var body = ResultOrderCallbackTests.order()
            for (index, breaker) in Self.breakers.enumerated() where broken[index] { breaker.apply(&body) }
            let expected = Dictionary(
                uniqueKeysWithValues: Self.breakers.enumerated().filter { broken[$0.offset] }.map { ($0.element.field, $0.element.code) })
            do {
                let order = try ResultOrder.parse(try Self.form(body), reference: TestSupport.reference, on: Self.day)
                #expect(expected.isEmpty, "parsed \(order.dossierCode) though \(expected.keys.sorted()) were broken")
            } catch let problem as Problem {
                let codes = Dictionary(problem.issues.map { ($0.field, $0.code.rawValue) }, uniquingKeysWith: { first, _ in first })
                #expect(codes == expected)
            } catch {
                Issue.record(error)
            }
        }
    }

    @Test func aWholeOrderIsReadAsSentForAnyCommuneDeskAndAmount() async {
        let desks = TestSupport.reference.agencies(openOn: Self.day).filter { $0.level.procedureLevel == .commune }
        let units = TestSupport.reference.map.units(inForceOn: Self.day)
        await propertyCheck(
            input: Gen.element(of: desks).compactMap { $0 }, Gen.element(of: units).compactMap { $0 }, Gen.int(in: 0...50_000_000),
            Gen.int(in: 0...20)
        ) { desk, unit, cash, documents in
            var body = ResultOrderCallbackTests.order(unit: unit.code, cash: cash, agency: desk.code)
            body["KetQua"] = ["SoLuongGiayTo": documents, "TienThuKhiPhat": cash]
            do {
                let order = try ResultOrder.parse(try Self.form(body), reference: TestSupport.reference, on: Self.day)
                #expect(order.agencyCode == desk.code && order.receiver.unitCode == unit.code && order.receiver.phone == "0912345678")
                #expect(order.result == OneStopEvent.Result(documentCount: documents, cashOnDelivery: Int64(cash)))
                #expect(order.channel == .portal && order.status == .processing)
            } catch {
                Issue.record(error)
            }
        }
    }
}
