import Foundation
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct ReferenceDataTests {
    @Test func theShippedDataHasTheCityAndItsThirtyTwoWardsAndCommunes() {
        let reference = TestSupport.reference
        #expect(reference.agencies.filter { $0.level == .city }.count == 1)
        #expect(reference.agencies.filter { $0.level == .ward || $0.level == .commune }.count == 32)
        #expect(reference.agency("000.00.12.H55")?.name.contains("Thái Nguyên") == true)
        #expect(reference.procedures.count >= 25)
        #expect(reference.procedures.contains { !$0.postalAllowed })
        #expect(reference.offices.contains { $0.code == "250000" })
        #expect(reference.agencies.allSatisfy { reference.office($0.servingOfficeCode) != nil })
    }

    /// Copies the shipped files to a temp folder, replaces one, and returns the load error.
    func loadError(file: String, contents: String) throws -> ReferenceDataError? {
        let folder = try TestSupport.temporaryDirectory()
        for name in ["offices", "agencies", "procedures", "sla", "holidays"] {
            try FileManager.default.copyItem(
                at: TestSupport.referenceDirectory.appending(path: "\(name).csv"),
                to: folder.appending(path: "\(name).csv"))
        }
        try contents.write(to: folder.appending(path: file), atomically: true, encoding: .utf8)
        do {
            _ = try ReferenceData.load(from: folder)
            return nil
        } catch let error as ReferenceDataError {
            return error
        }
    }

    @Test func aMalformedRowNamesFileLineAndWhy() throws {
        let error = try #require(
            try loadError(
                file: "procedures.csv",
                contents: """
                    code,name,field,level,fee,processingDays,documents,postalAllowed
                    1.001193,Khai sinh,Hộ tịch,commune,0,3,Tờ khai,true
                    1.000656,Khai tử,Hộ tịch,commune,-5,3,Tờ khai,true
                    """))
        #expect(error.file == "procedures.csv")
        #expect(error.line == 3)
        #expect(error.reason.contains("fee"))
    }

    @Test(arguments: [
        ("offices.csv", "code,name,address,areaCode,provinceCode\n250000,A,B,164,19\n250000,C,D,164,19\n", 3, "twice"),
        ("offices.csv", "code,name,address\n250000,A,B\n", 1, "header"),
        ("offices.csv", "code,name,address,areaCode,provinceCode\n25000,A,B,164,19\n", 2, "code"),
        ("holidays.csv", "date,kind,name\n2026-02-30,holiday,Tết\n", 2, "date"),
        ("holidays.csv", "date,kind,name\n2026-02-17,vacation,Tết\n", 2, "kind"),
        ("sla.csv", "scope,days,daysWithAppointmentSlip,description\nsameDistrict,1,2,x\n", 0, "sameProvince"),
        (
            "procedures.csv",
            "code,name,field,level,fee,processingDays,documents,postalAllowed\n1.001193,Khai sinh,Hộ tịch,commune,0,3,Tờ khai,maybe\n", 2,
            "postalAllowed"
        ),
        ("agencies.csv", "code,name,level,areaCode,provinceCode,address,servingOfficeCode\n000.01.12.H55,A,ward,164,19,B,999999\n", 2, "999999"),
        ("agencies.csv", "code,name,level,areaCode,provinceCode,address,servingOfficeCode\n000.01.12.H55,A,ward,164\n", 2, "fields"),
    ])
    func eachKindOfBadRowStopsTheStart(file: String, contents: String, line: Int, mentions: String) throws {
        let error = try #require(try loadError(file: file, contents: contents))
        #expect(error.file == file)
        #expect(error.line == line)
        #expect(error.reason.contains(mentions), "\(error)")
    }
}
