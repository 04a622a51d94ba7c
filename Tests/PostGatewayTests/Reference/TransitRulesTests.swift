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

    @Test func beforeTheChangeEachEndIsTheUnitOfItsDay() {
        let lastDay = LocalDate(iso: "2025-06-30")!
        let phucXuan = Self.reference.agency("000.16.12.H55")!  // xã Phúc Xuân of the former city
        // Phổ Yên's and Đại Từ's offices to the city's desks: two districts then, J + 2; Phúc Xuân's code 05488 now
        // names xã Đại Phúc, partly of Đại Từ, which must not pull the former commune into Đại Từ's zone.
        #expect(Self.reference.scope(from: Self.reference.office("256800")!, to: phucXuan, on: lastDay) == .sameProvince)
        #expect(Self.reference.scope(from: Self.reference.office("255300")!, to: phucXuan, on: lastDay) == .sameProvince)
        #expect(Self.reference.scope(from: Self.reference.office("250000")!, to: phucXuan, on: lastDay) == .sameZone)
    }

    @Test func theBigCityRowReadsTheDatedListWithAddressesOutsideTheMapByProvince() {
        let centre = Self.reference.agency("000.00.01.H55")!  // phường Phan Đình Phùng, inner Thái Nguyên
        let hanoi = TransitRules.Place(outsideTheMapIn: "01")
        let laiChau = TransitRules.Place(outsideTheMapIn: "12")
        let transit = Self.reference.transit
        func scope(on day: String) -> TransitScope {
            transit.scope(from: Self.reference.place(of: centre, today: LocalDate(iso: day)!), to: hanoi, on: LocalDate(iso: day)!)
        }
        // Thái Nguyên's urban area was class I until Resolution 111/2025 took effect on 1 January 2026.
        #expect(scope(on: "2025-12-31") == .betweenBigCities)
        #expect(scope(on: "2026-01-01") == .interProvince)
        #expect(
            transit.scope(from: Self.reference.place(of: centre, today: Self.monday), to: laiChau, on: LocalDate(iso: "2025-12-31")!)
                == .interProvince)
        // Before the change the city's former wards were its urban area too.
        let camGia = Self.reference.agency("000.01.12.H55")!
        let day = LocalDate(iso: "2025-06-30")!
        #expect(transit.scope(from: Self.reference.place(of: camGia, today: day), to: hanoi, on: day) == .betweenBigCities)
        #expect(Self.reference.transit.bigCities.filter { $0.unitIds.isEmpty }.allSatisfy { Self.reference.provinces[$0.provinceCode] != nil })
    }

    @Test func aSpecialAreaCountsWithTheFormerCommunesThatFormedIt() throws {
        let transit = Self.reference.transit
        let bangThanh = try #require(Self.reference.map.currentUnit("01864"))  // xã Bằng Thành, Pác Nặm
        #expect(transit.isSpecialArea(.init(unit: bangThanh)))
        // Nhạn Môn was one of the four communes that formed it: special before the change as well.
        let nhanMon = try #require(Self.reference.map.units.first { $0.name == "Nhạn Môn" })
        #expect(transit.isSpecialArea(.init(unit: nhanMon)))
        #expect(!transit.isSpecialArea(.init(unit: Self.reference.map.currentUnit("05443")!)))
        let desk = Self.reference.agencies(openOn: Self.monday).first { $0.unitCode == "01864" }!
        #expect(Self.reference.scope(from: Self.reference.office("250000")!, to: desk, on: Self.monday) == .specialArea)
    }

    static func unit(_ code: String, _ province: String = "19", district: String = "TP A") -> AdministrativeUnit {
        AdministrativeUnit(
            code: code, validFrom: nil, validTo: nil, name: code, kind: .ward, provinceCode: province, formerDistrict: district, successors: [])
    }

    static let map = AdministrativeMap(units: [unit("05443"), unit("05710"), unit("01864", district: "H B"), unit("00004", "01")])
    static let rules = TransitRules(
        map: map,
        bigCities: [
            .init(name: "Thái Nguyên", provinceCode: "19", unitIds: [unit("05443").id], validFrom: nil, validTo: LocalDate(iso: "2025-12-31")!),
            .init(name: "Hà Nội", provinceCode: "01", unitIds: [unit("00004", "01").id], validFrom: nil, validTo: nil),
            .init(name: "Đà Nẵng", provinceCode: "48", unitIds: [], validFrom: nil, validTo: nil),
        ], specialAreaUnitIds: [unit("01864", district: "H B").id])

    @Test func betweenProvincesTheBigCityRowNeedsBothEndsInAnUrbanAreaOfClassIOrSpecialOnTheDay() {
        let day = LocalDate(iso: "2025-12-31")!
        let city = TransitRules.Place(unit: Self.unit("05443"))
        let outskirts = TransitRules.Place(unit: Self.unit("05710"))
        let hanoi = TransitRules.Place(unit: Self.unit("00004", "01"))
        let daNang = TransitRules.Place(outsideTheMapIn: "48")
        let elsewhere = TransitRules.Place(outsideTheMapIn: "02")
        #expect(Self.rules.scope(from: city, to: hanoi, on: day) == .betweenBigCities)
        #expect(Self.rules.scope(from: city, to: daNang, on: day) == .betweenBigCities)
        #expect(Self.rules.scope(from: outskirts, to: hanoi, on: day) == .interProvince)
        #expect(Self.rules.scope(from: city, to: elsewhere, on: day) == .interProvince)
        #expect(Self.rules.scope(from: city, to: outskirts, on: day) == .sameZone)
        // Reclassified: from 2026 the city is no longer class I.
        #expect(Self.rules.scope(from: city, to: hanoi, on: day.adding(days: 1)) == .interProvince)
    }

    @Test func eitherEndInASpecialAreaTakesThePostsPublishedRow() async {
        let places = ["05443", "05710", "01864"].map { TransitRules.Place(unit: Self.unit($0, district: $0 == "01864" ? "H B" : "TP A")) }
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
}
