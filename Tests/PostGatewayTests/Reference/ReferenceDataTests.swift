import Foundation
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct ReferenceDataTests {
    static let lastDayBefore = LocalDate(iso: "2025-06-30")!
    static let firstDayAfter = LocalDate(iso: "2025-07-01")!

    @Test func theShippedDataHasTheFormerCitysDesksUntilTheChangeAndTheNewMapsSince() {
        let reference = TestSupport.reference
        let before = reference.agencies(openOn: Self.lastDayBefore)
        #expect(before.filter { $0.level == .city }.count == 1)
        #expect(before.filter { $0.level == .ward || $0.level == .commune }.count == 32)
        let after = reference.agencies(openOn: Self.firstDayAfter)
        #expect(after.filter { $0.level == .city }.isEmpty)
        #expect(after.filter { $0.level == .ward || $0.level == .commune }.count == 92)
        #expect(after.filter { $0.level == .province }.count == 2)
        // Every closed desk names desks open the next day; every desk belongs to a unit of its own time.
        for agency in reference.agencies where agency.validTo != nil {
            #expect(!agency.successors.isEmpty && reference.successors(of: agency).allSatisfy { $0.isOpen(on: Self.firstDayAfter) }, "\(agency.code)")
        }
        #expect(reference.agencies.allSatisfy { reference.unit(of: $0, today: LocalDate(TestSupport.mondayMorning)) != nil })
        #expect(reference.agencies.allSatisfy { reference.office($0.servingOfficeCode) != nil })
        #expect(reference.offices.contains { $0.code == "250000" } && reference.offices.contains { $0.code == "260000" })
    }

    @Test func theCatalogueHasOnlyCommuneAndProvinceProceduresAndTwoPostalFlags() throws {
        let reference = TestSupport.reference
        #expect(reference.procedures.count >= 25)
        #expect(Set(reference.procedures.map(\.level)) == [.commune, .province])
        // A marriage needs both parties in person and so does its certificate; a signature is certified in person,
        // but the certified paper may come home by post.
        let marriage = try #require(reference.procedure("1.000894"))
        #expect(!marriage.dossierByPost && !marriage.resultByPost)
        let signature = try #require(reference.procedure("2.000884.000.00.00.H55"))
        #expect(!signature.dossierByPost && signature.resultByPost)
        #expect(reference.procedures.allSatisfy { !$0.legalBasis.isEmpty })
    }

    /// Copies the shipped files to a temp folder, replaces one, and returns the load error.
    func loadError(file: String, contents: String) throws -> ReferenceDataError? {
        let folder = try TestSupport.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: TestSupport.referenceDirectory.path) {
            try FileManager.default.copyItem(at: TestSupport.referenceDirectory.appending(path: name), to: folder.appending(path: name))
        }
        try contents.write(to: folder.appending(path: file), atomically: true, encoding: .utf8)
        do {
            _ = try ReferenceData.load(from: folder)
            return nil
        } catch let error as ReferenceDataError {
            return error
        }
    }

    static let procedureHeader = "code,name,field,level,fee,processingDays,documents,dossierByPost,resultByPost,legalBasis"
    static let agencyHeader = "code,name,level,unitCode,address,servingOfficeCode,validFrom,validTo,successors,codeSource"

    @Test func aMalformedRowNamesFileLineAndWhy() throws {
        let error = try #require(
            try loadError(
                file: "procedures.csv",
                contents: """
                    \(Self.procedureHeader)
                    1.001193,Khai sinh,Hộ tịch,commune,0,3,Tờ khai,true,true,x
                    1.000656,Khai tử,Hộ tịch,commune,-5,3,Tờ khai,true,true,x
                    """))
        #expect(error.file == "procedures.csv")
        #expect(error.line == 3)
        #expect(error.reason.contains("fee"))
    }

    @Test(arguments: [
        ("offices.csv", "code,name,address,unitCode,formerUnitCode,addressSource\n250000,A,B,05443,,x\n250000,C,D,05443,,x\n", 3, "twice"),
        ("offices.csv", "code,name,address\n250000,A,B\n", 1, "missing column unitCode"),
        ("offices.csv", "code,name,address,unitCode,formerUnitCode,addressSource,areaCode\n250000,A,B,05443,,x,164\n", 1, "unknown column areaCode"),
        ("offices.csv", "code,name,address,unitCode,formerUnitCode,addressSource\n25000,A,B,05443,,x\n", 2, "code"),
        ("offices.csv", "code,name,address,unitCode,formerUnitCode,addressSource\n250000,A,B,05461,,x\n", 2, "not a unit in force"),
        ("offices.csv", "code,name,address,unitCode,formerUnitCode,addressSource\n250000,A,B,05443,99999,x\n", 2, "formerUnitCode"),
        ("holidays.csv", "date,kind,name\n2026-02-30,holiday,Tết\n", 2, "date"),
        ("holidays.csv", "date,kind,name\n2026-02-17,vacation,Tết\n", 2, "kind"),
        ("sla.csv", "scope,days,daysWithAppointmentSlip,description\nsameZone,1,2,x\n", 0, "sameProvince"),
        ("procedures.csv", "\(procedureHeader)\n1.001193,Khai sinh,Hộ tịch,commune,0,3,Tờ khai,maybe,true,x\n", 2, "dossierByPost"),
        ("procedures.csv", "\(procedureHeader)\n1.001193,Khai sinh,Hộ tịch,city,0,3,Tờ khai,true,true,x\n", 2, "level"),
        ("agencies.csv", "\(agencyHeader)\n000.42.20.H55,A,ward,05467,B,999999,2025-07-01,,,illustrative\n", 2, "999999"),
        ("agencies.csv", "\(agencyHeader)\n000.42.20.H55,A,ward,05467\n", 2, "fields"),
        ("agencies.csv", "\(agencyHeader)\n000.00.12.H55,TP,city,05443,B,250000,,,,illustrative\n", 2, "district-level"),
        ("agencies.csv", "\(agencyHeader)\n000.01.12.H55,Cam Giá,ward,05467,B,250000,,2025-06-30,000.99.20.H55,illustrative\n", 2, "000.99.20.H55"),
        ("agencies.csv", "\(agencyHeader)\n000.01.12.H55,Cam Giá,ward,05467,B,250000,,2025-06-30,,illustrative\n", 2, "no successor"),
        ("agencies.csv", "\(agencyHeader)\n000.42.20.H55,A,ward,05467,B,250000,2025-07-01,,,guessed\n", 2, "codeSource"),
        ("horizons.csv", "file,knownUntil,note\nholidays.csv,2027-12-31,x\n", 0, "units.csv"),
        ("horizons.csv", "file,knownUntil,note\nholidays.csv,2027-12-31,x\nunits.csv,soon,x\n", 3, "knownUntil"),
        ("cities.csv", "name,class,provinceCode,decision,unitCodes,validFrom,validTo\nThái Nguyên,II,19,QĐ,05443,,\n", 2, "class"),
        ("special-areas.csv", "unitCode,reason,source\n99999,x,y\n", 2, "99999"),
    ])
    func eachKindOfBadRowStopsTheStart(file: String, contents: String, line: Int, mentions: String) throws {
        let error = try #require(try loadError(file: file, contents: contents))
        #expect(error.file == file)
        #expect(error.line == line)
        #expect(error.reason.contains(mentions), "\(error)")
    }

    @Test func theHorizonWarnsWithinSixtyDaysOfItsEnd() throws {
        let reference = TestSupport.reference
        let holidays = try #require(reference.horizons.first { $0.file == "holidays.csv" })
        let end = LocalDate(iso: holidays.knownUntil)!
        #expect(!reference.horizons(endingWithin: 60, of: end.adding(days: -61)).contains(holidays))
        #expect(reference.horizons(endingWithin: 60, of: end.adding(days: -60)).contains(holidays))
        #expect(reference.horizons(endingWithin: 60, of: end.adding(days: 1)).contains(holidays))
    }
}
