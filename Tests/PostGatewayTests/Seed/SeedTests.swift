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
                // A result-only order's receiver gives no ID number: only the dossiers a counter took in have one.
                sealed: try String.fetchAll(db, sql: "SELECT applicantIdSealed FROM dossier WHERE service != 'resultOnly' LIMIT 200"),
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
        // The one-stop holds every dossier the post carried in its ledger of them, and every order in its ledger of orders.
        let gatewayRows = try await database.read { db in
            (
                postal: try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier WHERE service != 'resultOnly'")!,
                orders: try Int.fetchOne(db, sql: "SELECT count(*) FROM dossier WHERE service = 'resultOnly'")!
            )
        }
        let sandboxRows = try await DatabaseQueue(path: (configuration.sandboxDataDirectory as NSString).appendingPathComponent("onestop.sqlite"))
            .read { db in
                (
                    postal: try Int.fetchOne(db, sql: "SELECT count(*) FROM hoso")!,
                    orders: try Int.fetchOne(db, sql: "SELECT count(*) FROM donKetQua")!
                )
            }
        #expect(sandboxRows.postal == gatewayRows.postal && sandboxRows.orders == gatewayRows.orders)
        #expect(gatewayRows.postal + gatewayRows.orders == 3_500 && gatewayRows.orders > 0)
    }

    /// One life in five is a result-only order (service 2): a dossier filed online or at the desk, whose result the post
    /// carries home. The gateway holds each order as the one-stop's call would have made it, the sandbox's ledger of
    /// orders holds the same, and the two agree on every order's item number, status, cash to collect and progress.
    @Test func resultOnlyOrdersAgreeBetweenTheGatewayAndTheOneStop() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let configuration = TestSupport.configuration(dataDirectory: dataDirectory)
        let resultPrefix = configuration.resultPrefix
        let (seed, _) = try await SeedCommand.seed(
            configuration, dossiers: 2_000, days: 45, randomSeed: 9, now: TestSupport.mondayMorning, sandbox: true)
        struct GatewayOrder: Decodable, FetchableRecord, Sendable {
            let oneStopCode: String
            let agencyCode: String
            let oneStopStatus: Int
            let trackingNumber: String
            let cashOnDelivery: Int64
            let dueDate: String?
            let progress: String?
        }
        struct OneStopOrder: Decodable, FetchableRecord, Sendable {
            let MaHoSo: String
            let MaBuuGuiKetQua: String?
            let TrangThaiHoSo: Int
            let TienThuKhiPhat: Int64
            let TrangThaiKetQua: String?
            let NguoiNhan: String
            let SoDienThoai: String
        }
        let database = try AppDatabase.open(configuration)
        let gateway = try await database.read { db in
            (
                orders: try GatewayOrder.fetchAll(
                    db,
                    sql: """
                        SELECT d.oneStopCode, d.agencyCode, d.oneStopStatus, i.trackingNumber, i.cashOnDelivery, i.dueDate,
                               (SELECT json_extract(m.payload, '$.TrangThai') FROM outboxMessage m
                                WHERE m.dossierId = d.id AND m.kind = 'reportOrderProgress' ORDER BY m.id DESC LIMIT 1) AS progress
                        FROM dossier d JOIN item i ON i.dossierId = d.id
                        WHERE d.service = 'resultOnly'
                        """),
                services: Set(try String.fetchAll(db, sql: "SELECT DISTINCT service FROM dossier")),
                channels: Set(try String.fetchAll(db, sql: "SELECT DISTINCT orderedVia FROM dossier WHERE service = 'resultOnly'")),
                // What an order never has: a dossier item, a handover, an ID number, a price the counter charged.
                strays: try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM dossier d JOIN item i ON i.dossierId = d.id
                        WHERE d.service = 'resultOnly'
                          AND (i.kind != 'result' OR d.applicantIdSealed IS NOT NULL OR d.postage != 0 OR d.administrativeFee != 0
                               OR EXISTS (SELECT 1 FROM handoverItem h WHERE h.itemId = i.id))
                        """)!,
                taken: try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM outboxMessage m JOIN dossier d ON d.id = m.dossierId
                        WHERE d.service = 'resultOnly' AND m.kind = 'reportOrderProgress' AND m.state = 'delivered'
                          AND json_extract(m.payload, '$.TrangThai') = 'TIEP_NHAN_DON'
                        """)!,
                lastResultSerial: try Int.fetchOne(db, sql: "SELECT lastSerial FROM serialCounter WHERE prefix = ?", arguments: [resultPrefix])!
            )
        }
        let oneStop = try await DatabaseQueue(path: (configuration.sandboxDataDirectory as NSString).appendingPathComponent("onestop.sqlite"))
            .read { db in
                (
                    orders: try OneStopOrder.fetchAll(
                        db,
                        sql: """
                            SELECT MaHoSo, MaBuuGuiKetQua, TrangThaiHoSo, TienThuKhiPhat, TrangThaiKetQua, NguoiNhan, SoDienThoai FROM donKetQua
                            """),
                    dossiers: try Int.fetchOne(db, sql: "SELECT count(*) FROM hoso")!
                )
            }

        struct Order: Equatable {
            let number: String?
            let status: Int
            let cash: Int64
            let progress: String?
        }
        let ours = Dictionary(
            uniqueKeysWithValues: gateway.orders.map { row in
                (row.oneStopCode, Order(number: row.trackingNumber, status: row.oneStopStatus, cash: row.cashOnDelivery, progress: row.progress))
            })
        let theirs = Dictionary(
            uniqueKeysWithValues: oneStop.orders.map { row in
                (
                    row.MaHoSo,
                    Order(number: row.MaBuuGuiKetQua, status: row.TrangThaiHoSo, cash: row.TienThuKhiPhat, progress: row.TrangThaiKetQua)
                )
            })
        #expect(gateway.services == Set(["sendOnly", "sendAndReturn", "resultOnly"]) && gateway.channels == Set(["portal", "desk"]))
        #expect((300...500).contains(ours.count) && oneStop.dossiers + ours.count == seed.count)
        #expect(theirs == ours)
        #expect(gateway.strays == 0 && gateway.taken == ours.count)

        // Ordered before the result is ready, delivered (DA_PHAT) or not yet; the cash is what the citizen still owes.
        #expect(Set(ours.values.map(\.status)) == Set([4, 9, 10]))
        #expect(ours.values.allSatisfy { ($0.status == 10) == ($0.progress == "DA_PHAT") })
        #expect(ours.values.filter { $0.status == 4 }.allSatisfy { $0.progress == "TIEP_NHAN_DON" })
        #expect(ours.values.contains { $0.cash > 0 } && ours.values.contains { $0.cash == 0 })
        // The item's due date waits for the result.
        let dueDatesWait = gateway.orders.allSatisfy { ($0.oneStopStatus == 4) == ($0.dueDate == nil) }
        #expect(dueDatesWait)

        // The desk's own shape of mã hồ sơ, and item numbers of the result counter the seed moved past them.
        let codesAreTheDesks = gateway.orders.allSatisfy { row in
            let code = row.oneStopCode
            return code.hasPrefix(row.agencyCode + "-") && code.range(of: #"-[0-9]{6}-[0-9]{4}$"#, options: .regularExpression) != nil
        }
        let numbersAreResults = ours.values.allSatisfy { order in
            guard let number = try? TrackingNumber(parsing: order.number ?? "") else { return false }
            return number.prefix == resultPrefix && (seed.firstResultSerial...gateway.lastResultSerial).contains(number.serial)
        }
        #expect(codesAreTheDesks && numbersAreResults && gateway.lastResultSerial == seed.firstResultSerial + seed.count - 1)
        let receiversAreReal = oneStop.orders.allSatisfy { row in
            let name = row.NguoiNhan
            let phone = row.SoDienThoai
            return VietnameseNames.families.contains { name.hasPrefix($0.0 + " ") } && ApplicantRules.normalisedMobile(phone) == phone
        }
        #expect(receiversAreReal)
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
            #expect(a.service == b.service && a.oneStopCode == b.oneStopCode && a.result?.number == b.result?.number)
            #expect(a.acceptedAt <= TestSupport.mondayMorning)
        }
    }
}
