import Foundation
import PropertyBased
import Testing

@testable import PostGateway

/// J + n without districts: Circular 17 Art 7's rows chosen by zones, big-city units and special areas.
@Suite(.temporaryFolder) struct TransitRulesTests {
    static let reference = TestSupport.reference
    static let monday = LocalDate(iso: "2026-11-23")!

    func scope(office: String, agency: String) -> TransitScope {
        Self.reference.scope(from: Self.reference.office(office)!, to: Self.reference.agency(agency)!, on: Self.monday)
    }

    @Test func withTheDefaultZonesTheFormerCityIsOneZoneAndTheRestOfTheProvinceAnother() {
        // Bưu cục Trung tâm (phường Phan Đình Phùng) to phường Linh Sơn's desk: both the former city, J + 1.
        #expect(scope(office: "250000", agency: "000.65.20.H55") == .sameZone)
        #expect(Self.reference.dueDate(from: Self.monday, scope: .sameZone) == LocalDate(iso: "2026-11-24")!)
        // To phường Sông Công's desk, and from Bắc Kạn's office to the city's: one province, two zones, J + 2.
        let songCong = Self.reference.agencies(openOn: Self.monday).first { $0.name.hasSuffix("phường Sông Công") }!
        #expect(scope(office: "250000", agency: songCong.code) == .sameProvince)
        #expect(scope(office: "260000", agency: "000.65.20.H55") == .sameProvince)
        #expect(Self.reference.dueDate(from: Self.monday, scope: .sameProvince) == LocalDate(iso: "2026-11-25")!)
    }

    @Test func aProvincesOwnZoneFileChangesTheRow() throws {
        let folder = try TestSupport.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: TestSupport.referenceDirectory.path) {
            try FileManager.default.copyItem(at: TestSupport.referenceDirectory.appending(path: name), to: folder.appending(path: name))
        }
        // The province draws its city centre narrower than the former city: Linh Sơn is outside it.
        try "zone,unitCodes\nTrung tâm,05443|05455|05467|05482|05500\n".write(
            to: folder.appending(path: "transit-zones.csv"), atomically: true, encoding: .utf8)
        let own = try ReferenceData.load(from: folder)
        let office = own.office("250000")!
        #expect(own.scope(from: office, to: own.agency("000.65.20.H55")!, on: Self.monday) == .sameProvince)
        #expect(own.scope(from: office, to: own.agency("000.42.20.H55")!, on: Self.monday) == .sameZone)
    }

    static let map = AdministrativeMap(units: [
        AdministrativeUnit(
            code: "05443", validFrom: nil, validTo: nil, name: "Phan Đình Phùng", kind: .ward, provinceCode: "19", formerDistrict: "TP A",
            successors: []),
        AdministrativeUnit(
            code: "05710", validFrom: nil, validTo: nil, name: "Linh Sơn", kind: .ward, provinceCode: "19", formerDistrict: "TP A", successors: []),
        AdministrativeUnit(
            code: "01864", validFrom: nil, validTo: nil, name: "Bằng Thành", kind: .commune, provinceCode: "19", formerDistrict: "H B",
            successors: []),
    ])
    static let rules = TransitRules(
        map: map,
        bigCities: [
            .init(name: "Thái Nguyên", unitCodes: ["05443"], validFrom: nil, validTo: LocalDate(iso: "2025-12-31")!),
            .init(name: "Hà Nội", unitCodes: ["00004"], validFrom: nil, validTo: nil),
        ], specialAreaUnits: ["01864"])

    @Test func betweenProvincesTheBigCityRowNeedsBothEndsInAnUrbanAreaOfClassIOrSpecialOnTheDay() {
        let day = LocalDate(iso: "2025-12-31")!
        let city = TransitRules.Place(unitCode: "05443", provinceCode: "19")
        let outskirts = TransitRules.Place(unitCode: "05710", provinceCode: "19")
        let hanoi = TransitRules.Place(unitCode: "00004", provinceCode: "01")
        let elsewhere = TransitRules.Place(unitCode: "11111", provinceCode: "02")
        #expect(Self.rules.scope(from: city, to: hanoi, on: day) == .betweenBigCities)
        #expect(Self.rules.scope(from: outskirts, to: hanoi, on: day) == .interProvince)
        #expect(Self.rules.scope(from: city, to: elsewhere, on: day) == .interProvince)
        #expect(Self.rules.scope(from: city, to: outskirts, on: day) == .sameZone)
        // Reclassified: from 2026 the city is no longer class I.
        #expect(Self.rules.scope(from: city, to: hanoi, on: day.adding(days: 1)) == .interProvince)
    }

    @Test func eitherEndInASpecialAreaTakesThePostsPublishedRow() async {
        let places = ["05443", "05710", "01864"].map { TransitRules.Place(unitCode: $0, provinceCode: "19") }
        await propertyCheck(input: Gen.int(in: 0...2), Gen.int(in: 0...2)) { from, to in
            let scope = Self.rules.scope(from: places[from], to: places[to], on: Self.monday)
            #expect((scope == .specialArea) == (from == 2 || to == 2))
            // The journey's row does not depend on its direction.
            #expect(scope == Self.rules.scope(from: places[to], to: places[from], on: Self.monday))
        }
        let deadlines = Self.reference.deadlines
        #expect(deadlines.workingDays(for: .specialArea) >= deadlines.workingDays(for: .sameProvince))
        #expect(TransitScope.allCases.map { deadlines.workingDays(for: $0) }.prefix(4) == [1, 2, 3, 4])
        #expect(TransitScope.allCases.map { deadlines.workingDays(for: $0, withAppointmentSlip: true) }.prefix(4) == [2, 4, 6, 8])
    }

    @Test func theShippedBigCitiesAndSpecialAreasNameUnitsOfTheMap() {
        let rules = Self.reference.transit
        let units = Set(Self.reference.map.units.map(\.code))
        // Thái Nguyên's urban area was class I until Resolution 111/2025 took effect on 1 January 2026.
        #expect(rules.isInBigCity("05443", on: LocalDate(iso: "2025-12-31")!) && !rules.isInBigCity("05443", on: Self.monday))
        #expect(rules.bigCities.count >= 6 && rules.bigCities.allSatisfy { $0.unitCodes.isSubset(of: units) })
        #expect(!rules.specialAreaUnits.isEmpty && rules.specialAreaUnits.isSubset(of: units))
    }
}
