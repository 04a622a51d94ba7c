import Foundation
import GRDB
import Testing

@testable import PostGateway

/// `postgateway seed`: realistic dossiers at every stage, numbers that never collide, figures that add up.
@Suite(.temporaryFolder) struct SeedTests {
    @Test func theSeedCoversTheCityAtEveryStageAndItsFiguresAddUp() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let configuration = TestSupport.configuration(dataDirectory: dataDirectory)
        let now = TestSupport.mondayMorning
        let (seed, results) = try await SeedCommand.seed(configuration, dossiers: 3_000, days: 60, randomSeed: 1, now: now, sandbox: true)
        let database = try AppDatabase.open(configuration)
        let facts = try await database.read { db in
            (
                dossiers: try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier")!,
                statuses: Set(try Int.fetchAll(db, sql: "SELECT DISTINCT oneStopStatus FROM dossier WHERE oneStopStatus IS NOT NULL")),
                itemStates: Set(try String.fetchAll(db, sql: "SELECT DISTINCT kind || '.' || status FROM item")),
                agencies: try Int.fetchOne(db, sql: "SELECT count(DISTINCT agencyCode) FROM dossier")!,
                names: try String.fetchAll(db, sql: "SELECT applicantName FROM dossier LIMIT 200"),
                sealed: try String.fetchAll(db, sql: "SELECT applicantIdSealed FROM dossier LIMIT 200"),
                phones: try String.fetchAll(db, sql: "SELECT applicantPhone FROM dossier LIMIT 200"),
                numbers: try String.fetchAll(db, sql: "SELECT trackingNumber FROM item"),
                results: try Int.fetchOne(db, sql: "SELECT count(*) FROM item WHERE kind = 'result'")!,
                cases: try Int.fetchOne(db, sql: "SELECT count(*) FROM postalCase")!,
                pending: try Int.fetchOne(db, sql: "SELECT count(*) FROM outboxMessage WHERE state != 'delivered'")!
            )
        }
        #expect(facts.dossiers == 3_000 && facts.results == results)
        #expect(facts.statuses.isSuperset(of: [1, 2, 3, 4, 5, 7, 9, 10]))
        #expect(
            facts.itemStates.isSuperset(of: [
                "dossier.dispatched", "dossier.handedOver", "result.pickedUp", "result.delivered",
                "result.deliveryFailed", "result.returnedToAgency",
            ]))
        // A seed of today fills the 2025 map's desks: the 92 communes' and the provincial centre's two.
        #expect(facts.agencies == 94)
        #expect(facts.names.allSatisfy { name in VietnameseNames.families.contains { name.hasPrefix($0.0 + " ") } })
        #expect(facts.sealed.allSatisfy { $0.hasPrefix(IdNumberSealer.prefix) })
        #expect(
            try facts.sealed.map(database.idNumbers.open).allSatisfy(ApplicantRules.isCitizenID)
                && facts.phones.allSatisfy { ApplicantRules.normalisedMobile($0) == $0 })
        #expect(facts.numbers.allSatisfy { (try? TrackingNumber(parsing: $0)) != nil })
        #expect(facts.cases > 0 && facts.pending == 0)

        // Over the whole window every dossier is received once, and is either finished in it or still open.
        let today = LocalDate(now)
        let summary = try await database.reportSummary(
            ReportFilter(from: seed.intakeDays.first!, to: today, officeCode: nil, agencyCode: nil), asOf: today)
        let total = summary.total
        #expect(total.received == 3_000)
        #expect(total.resolved + total.closedWithoutResult + total.inProgress == 3_000)
        #expect(total.resolvedEarly > 0 && total.resolvedOnTime > total.resolvedLate && total.resolvedLate > 0 && total.inProgressOverdue > 0)

        // A second run continues the serials: nothing collides, and intake after it takes the next number.
        let (again, _) = try await SeedCommand.seed(configuration, dossiers: 500, days: 10, randomSeed: 2, now: now, sandbox: true)
        #expect(again.firstDossierSerial == 3_001)
        let last = try await database.read { db in try Int.fetchOne(db, sql: "SELECT lastSerial FROM serialCounter WHERE prefix = 'PH'")! }
        #expect(last == 3_500)
        let sandboxRows = try await DatabaseQueue(path: (configuration.sandboxDataDirectory as NSString).appendingPathComponent("onestop.sqlite"))
            .read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM hoso")! }
        #expect(sandboxRows == 3_500)
    }

    /// The seed articles' figures are of 2020: a seed of that time fills the former city's desk and its 32 wards' and
    /// communes', with addresses of their districts; one of today, the 2025 map's.
    @Test func aSeedOf2020FillsTheFormerCitysDesksAndOneOfTodayTheNewMaps() {
        func desks(_ now: Date) -> (codes: Set<String>, addresses: [String]) {
            let seed = DemoSeed(
                count: 2_000, days: 60, now: now, reference: TestSupport.reference, randomSeed: 3, dossierPrefix: "PH", resultPrefix: "PK",
                firstDossierSerial: 1, firstResultSerial: 1)
            let lives = (0..<seed.count).map(seed.life)
            return (Set(lives.map(\.agency.code)), lives.map(\.address))
        }
        let december2020 = LocalTime.calendar.date(from: DateComponents(year: 2020, month: 12, day: 15, hour: 16))!
        let former = desks(december2020)
        let formerDesks = Set(TestSupport.reference.agencies(openOn: LocalDate(iso: "2020-12-15")!).map(\.code))
        #expect(former.codes == formerDesks && formerDesks.count == 33)
        #expect(former.addresses.allSatisfy { $0.hasSuffix("thành phố Thái Nguyên") })
        let today = desks(TestSupport.mondayMorning)
        #expect(today.codes.isDisjoint(with: formerDesks) && today.codes.count == 94)
        #expect(today.addresses.allSatisfy { $0.hasSuffix("tỉnh Thái Nguyên") })
    }

    @Test func theSameSeedWritesTheSameLives() {
        let make = {
            DemoSeed(
                count: 100, days: 30, now: TestSupport.mondayMorning, reference: TestSupport.reference,
                randomSeed: 42, dossierPrefix: "PH", resultPrefix: "PK", firstDossierSerial: 1, firstResultSerial: 1)
        }
        let first = make()
        let second = make()
        for index in [0, 17, 99] {
            let a = first.life(index)
            let b = second.life(index)
            #expect(a.applicantName == b.applicantName && a.idNumber == b.idNumber && a.steps.map(\.status) == b.steps.map(\.status))
            #expect(a.acceptedAt <= TestSupport.mondayMorning)
        }
    }
}
