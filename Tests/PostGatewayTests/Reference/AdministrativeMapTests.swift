import Foundation
import PropertyBased
import Testing

@testable import PostGateway

/// `units.csv` and `transit-zones.csv`: what loading refuses, and the zones that stand in for districts.
@Suite(.temporaryFolder) struct AdministrativeMapTests {
    static let header = "code,validFrom,validTo,name,kind,provinceCode,formerDistrict,successors,successorProvince,source"

    /// A folder with only these files, and what loading it gives.
    func load(_ files: [String: String]) throws -> Result<AdministrativeMap, ReferenceDataError> {
        let folder = try TestSupport.temporaryDirectory()
        for (name, contents) in files { try contents.write(to: folder.appending(path: name), atomically: true, encoding: .utf8) }
        do {
            return .success(try AdministrativeMap.load(from: folder))
        } catch let error as ReferenceDataError {
            return .failure(error)
        }
    }

    func refusal(_ rows: [String], header: String = header) throws -> ReferenceDataError? {
        guard case .failure(let error) = try load(["units.csv": ([header] + rows).joined(separator: "\n") + "\n"]) else { return nil }
        return error
    }

    static let successor = "00002,2025-07-01,,Mới,phường,19,,,,NQ 1683"

    @Test(arguments: [
        (["00001,2025-07-01,2025-06-30,Cũ,xã,19,huyện A,00002,,x", successor], 2, "before it starts"),
        (["00001,,2025-06-30,Cũ,xã,19,huyện A,00002,,x", successor, "00002,2025-06-01,,Trùng,xã,19,,,,x"], 4, "used twice on the same day"),
        (["00001,,2025-06-30,Cũ,xã,19,huyện A,00009,,x", successor], 2, "successor 00009 is not in units.csv"),
        (["00001,,2025-06-30,Cũ,xã,19,huyện A,00002,,x", "00002,2025-07-05,,Mới,phường,19,,,,x"], 2, "gap"),
        (["00001,2020-01-01,2025-06-30,Cũ,xã,19,huyện A,00002,,x", "00002,2025-06-01,,Mới,phường,19,,,,x"], 2, "overlap"),
        (
            ["00001,,2025-06-30,Cũ,xã,19,huyện A,00002,,x", "00002,,2025-06-15,Khác,xã,19,huyện A,00003,,x", "00003,2025-06-16,,B,xã,19,,,,x"], 2,
            "does not exist on 2025-07-01"
        ),
        (["00001,,2025-06-30,Cũ,xã,06,huyện A,00002,,x", successor], 2, "say so in successorProvince"),
        (["00001,,2025-06-30,Cũ,xã,19,huyện A,00002,06,x", successor], 2, "successorProvince says 06"),
        (["00001,,2025-06-30,Cũ,xã,19,huyện A,,,x"], 2, "names no successor"),
        (["00001,,,Cũ,thôn,19,huyện A,,,x"], 2, "kind"),
        (["00001,,2025-13-01,Cũ,xã,19,huyện A,00002,,x", successor], 2, "validTo"),
    ])
    func aBadUnitRowStopsTheStartNamingFileLineAndWhy(rows: [String], line: Int, mentions: String) throws {
        let error = try #require(try refusal(rows))
        #expect(error.file == "units.csv")
        #expect(error.line == line)
        #expect(error.reason.contains(mentions), "\(error)")
    }

    enum Break: CaseIterable { case none, gap, overlap, twice }

    /// Any map of former units each succeeded by one of some new units loads; shifting the first new unit's start
    /// later (a gap) or earlier (an overlap), or giving a former code a second unit on a day, is refused at its line.
    @Test func aRandomSuccessionLoadsAndEachBreakOfItIsRefusedAtItsLine() async throws {
        let folder = try TestSupport.temporaryDirectory()
        let change = LocalDate(iso: "2025-07-01")!
        await propertyCheck(input: Gen.int(in: 1...8), Gen.int(in: 1...4), Gen.element(of: Break.allCases).compactMap { $0 }, Gen.int(in: 1...40)) {
            formers, news, fault, shift in
            let newStart = fault == .gap ? change.adding(days: shift) : fault == .overlap ? change.adding(days: -shift) : change
            var rows = (0..<formers).map { index in
                "1\(LocalTime.pad(index, 4)),\(fault == .overlap ? "2020-01-01" : ""),2025-06-30,Cũ \(index),xã,19,huyện \(index % 3),2\(LocalTime.pad(index % news, 4)),,x"
            }
            rows += (0..<news).map { index in
                "2\(LocalTime.pad(index, 4)),\(index == 0 ? newStart.description : change.description),,Mới \(index),phường,19,,,,x"
            }
            if fault == .twice { rows.append("10000,\(change.adding(days: -shift)),,Trùng,xã,19,,,,x") }
            let file = folder.appending(path: "units.csv")
            try? ([Self.header] + rows).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            do {
                let map = try AdministrativeMap.load(from: folder)
                #expect(fault == .none)
                let former = map.unit("10000", on: change.adding(days: -1))!
                #expect(map.successors(of: former).map(\.code) == ["20000"])
                #expect(map.sameZone(former, map.successors(of: former)[0]))
            } catch let error as ReferenceDataError {
                switch fault {
                case .none: Issue.record("refused a sound map: \(error)")
                case .gap: #expect(error.line == 2 && error.reason.contains("gap"), "\(error)")
                case .overlap: #expect(error.line == 2 && error.reason.contains("overlap"), "\(error)")
                case .twice: #expect(error.line == rows.count + 1 && error.reason.contains("twice"), "\(error)")
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func anUnknownColumnIsNamed() throws {
        let error = try #require(try refusal([Self.successor + ",24000"], header: Self.header + ",postcode"))
        #expect(error.line == 1 && error.reason.contains("unknown column postcode"), "\(error)")
    }

    @Test func aSuccessorInAnotherProvinceLoadsWhenTheRowSaysSo() throws {
        let map = try load(["units.csv": [Self.header, "00001,,2025-06-30,Cũ,xã,06,huyện A,00002,19,x", Self.successor].joined(separator: "\n")])
            .get()
        let former = try #require(map.unit("00001", on: LocalDate(iso: "2025-06-30")!))
        #expect(map.unit("00001", on: LocalDate(iso: "2025-07-01")!) == nil)
        #expect(map.successors(of: former).map(\.fullName) == ["phường Mới"])
    }

    @Test func theShippedMapHasEveryFormerUnitUntilTheChangeAndTheNinetyTwoSince() {
        let map = TestSupport.reference.map
        let before = map.units(inForceOn: LocalDate(iso: "2025-06-30")!)
        let after = map.units(inForceOn: LocalDate(iso: "2025-07-01")!)
        #expect(before.count == 280)
        #expect(before.filter { $0.provinceCode == "06" }.count == 108)
        #expect(after.count == 92 && after.allSatisfy { $0.provinceCode == "19" })
        #expect(after.filter { $0.kind == .ward }.count == 15)
        // A code names a different unit on either side of the change.
        #expect(map.unit("05443", on: LocalDate(iso: "2025-06-30")!)?.fullName == "phường Trưng Vương")
        #expect(map.unit("05443", on: LocalDate(iso: "2025-07-01")!)?.fullName == "phường Phan Đình Phùng")
        // Split units list the part that kept most of them first.
        let gia = map.unit("05461", on: LocalDate(iso: "2025-06-30")!)!
        #expect(map.successors(of: gia).map(\.code) == ["05467", "05443"])
        #expect(map.current(gia, on: LocalDate(iso: "2026-01-01")!).fullName == "phường Gia Sàng")
    }

    @Test func theDefaultZonesKeepTheFormerDistrictsThroughTheSuccessors() {
        let map = TestSupport.reference.map
        let after = LocalDate(iso: "2025-07-01")!
        let before = LocalDate(iso: "2025-06-30")!
        // Phan Đình Phùng and Linh Sơn were both the city of Thái Nguyên.
        #expect(map.sameZone("05443", "05710", on: after))
        // Sông Công (former city of Sông Công) is another zone…
        let songCong = map.units(inForceOn: after).first { $0.name == "Sông Công" }!
        #expect(!map.sameZone("05443", songCong.code, on: after))
        // …but Tân Cương, made of two communes of the city and one of Sông Công, shares a zone with both.
        #expect(map.sameZone("05503", "05443", on: after) && map.sameZone("05503", songCong.code, on: after))
        // Before the change a reused code names its former unit, which keeps its own district only: 05503 was xã Tân
        // Cương of the city, not of Sông Công; 05488 was xã Phúc Xuân of the city, not of Đại Từ.
        #expect(map.unit("05503", on: before)?.formerDistrict == "thành phố Thái Nguyên")
        #expect(!map.sameZone("05503", songCong.code, on: before) && map.sameZone("05503", "05443", on: before))
        let daiTu = map.units(inForceOn: before).first { $0.formerDistrict == "huyện Đại Từ" }!
        let daiPhuc = map.unit("05488", on: after)!
        #expect(!map.sameZone("05488", daiTu.code, on: before) && map.sameZone(daiPhuc, map.successors(of: daiTu)[0]))
    }

    @Test func aProvincesOwnZoneFileReplacesTheDefault() throws {
        let folder = try TestSupport.temporaryDirectory()
        try FileManager.default.copyItem(
            at: TestSupport.referenceDirectory.appending(path: "units.csv"), to: folder.appending(path: "units.csv"))
        try "zone,unitCodes\nNội thị,05443|05455\nPhía nam,05710\n".write(
            to: folder.appending(path: "transit-zones.csv"), atomically: true, encoding: .utf8)
        let map = try AdministrativeMap.load(from: folder)
        let after = LocalDate(iso: "2025-07-01")!
        #expect(map.sameZone("05443", "05455", on: after))
        #expect(!map.sameZone("05443", "05710", on: after))
        // The file draws today's units; the former ones keep their districts (the city's wards still share one).
        let before = LocalDate(iso: "2025-06-30")!
        #expect(map.sameZone("05443", "05710", on: before))

        for unknown in ["99999", "05461"] {  // no such unit; phường Gia Sàng's former code-less unit, ended
            try "zone,unitCodes\nNội thị,05443|\(unknown)\n".write(
                to: folder.appending(path: "transit-zones.csv"), atomically: true, encoding: .utf8)
            #expect(throws: ReferenceDataError.self) { try AdministrativeMap.load(from: folder) }
        }
    }
}
