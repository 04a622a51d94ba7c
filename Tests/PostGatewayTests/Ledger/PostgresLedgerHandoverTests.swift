import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// Biên bản giao nhận on PostgreSQL: the rows and answers SQLite gives, and what two instances at once must not break
/// (an item on one open manifest, one number per manifest, a manifest either signed or cancelled).
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerHandoverTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let idNumbers = IdNumberSealer.ephemeral()
    let planner = ResultItemPlanner(series: .whole("PK"), reference: TestSupport.reference)
    let office = "250000"

    func number(_ serial: Int) -> TrackingNumber { TrackingNumber(prefix: "PH", serial: serial) }
    func at(minutes: Double) -> Date { TestSupport.mondayMorning.addingTimeInterval(minutes * 60) }

    func intakes(_ count: Int) throws -> [IntakeSubmission] {
        try (1...count).map { index in
            try TestSupport.submission(key: "handover-intake-\(index)", pins: pins, idNumbers: idNumbers) { form in
                form["notifications"] = "zalo"
            }
        }
    }

    /// What a manifest's opening, signing or cancelling came to, in words to compare.
    static func summary(_ opening: Result<HandoverDetail, HandoverRefusals>) -> String {
        switch opening {
        case .success(let detail): "opened \(detail.handover.number) \(detail.lines.map(\.item.trackingNumber))"
        case .failure(let refusals): "refused \(refusals.byIndex.map { "\($0.0): \($0.1)" })"
        }
    }

    static func summary(_ signing: HandoverSigning) -> String {
        switch signing {
        case .signed(let detail): "signed \(detail.handover.number) \(detail.lines.map { "\($0.item.trackingNumber) \($0.item.status)" })"
        case .alreadySigned(let detail): "alreadySigned \(detail.handover.number)"
        case .signedByOther(let detail): "signedByOther \(detail.handover.receivedBy ?? "")"
        case .itemsMoved(let moved): "itemsMoved \(moved.map { "\($0.0) \($0.1)" })"
        case .cancelled(let detail): "cancelled \(detail.handover.number)"
        case .notFound: "notFound"
        }
    }

    static func summary(_ cancelling: HandoverCancelling) -> String {
        switch cancelling {
        case .cancelled(let detail): "cancelled \(detail.handover.number) by \(detail.handover.cancelledBy ?? "")"
        case .alreadyCancelled(let detail): "alreadyCancelled \(detail.handover.number)"
        case .signed(let detail): "signed \(detail.handover.number)"
        case .notFound: "notFound"
        }
    }

    /// Dossier 1's result, ready at the desk.
    var resultReady: OneStopEvent {
        OneStopEvent(
            trackingNumber: number(1), status: .resultReady, occurredAt: at(minutes: 200), dossierCode: nil, appointmentDate: nil, content: nil,
            result: OneStopEvent.Result(documentCount: 1, cashOnDelivery: 0))
    }

    /// A morning at the office: dossiers arrive, go on manifests (some refused), are signed for or cancelled; a result is
    /// collected on a pickup biên bản. Each answer in words.
    func morning(on ledger: some LedgerBackend, intakes: [IntakeSubmission], agency: String, resultOffice: () async throws -> String) async throws
        -> [String]
    {
        let reference = TestSupport.reference
        _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        for serial in 1...3 {
            let arrived = ScanRequest(
                trackingNumber: number(serial), event: .arrived, officeCode: office, occurredAt: at(minutes: 10), note: nil, actor: "buucuc.le")
            _ = try await ledger.recordScan(
                arrived, by: .clerk, recordedAt: at(minutes: 10), reference: reference, invitesByMessage: false, audit: nil)
        }
        func slot() -> AuditSlot { AuditSlot(actor: "buucuc.le", action: "handover", subject: nil, officeCode: office, remoteAddress: nil) }
        func open(
            _ serials: [Int], minutes: Double, checkOnly: Bool = false, direction: HandoverDirection = .dossiers, numbers: [TrackingNumber]? = nil
        )
            async throws -> Result<HandoverDetail, HandoverRefusals>
        {
            let officeCode = direction == .dossiers ? office : try await resultOffice()
            return try await ledger.openHandover(
                direction: direction, agencyCode: agency, officeCode: officeCode,
                trackingNumbers: numbers ?? serials.map(number), createdBy: "buucuc.le", at: at(minutes: minutes), checkOnly: checkOnly,
                tellsOtherOffices: false, audit: slot())
        }
        var answers: [String] = []
        let first = try await open([1, 2], minutes: 20)
        answers.append(Self.summary(first))
        answers.append(Self.summary(try await open([2, 3], minutes: 21)))
        answers.append(Self.summary(try await open([3, 99], minutes: 22)))
        answers.append(Self.summary(try await open([3], minutes: 23, checkOnly: true)))
        let firstId = try first.get().handover.id!
        func sign(_ id: Int64, by officer: String, minutes: Double, direction: HandoverDirection = .dossiers) async throws -> String {
            Self.summary(
                try await ledger.signHandover(
                    id: id, direction: direction, receivedBy: officer, signedBy: "buucuc.le", officeScope: nil, at: at(minutes: minutes),
                    reference: reference, audit: slot()))
        }
        answers.append(try await sign(firstId, by: "Nguyễn Văn Bình", minutes: 30))
        answers.append(try await sign(firstId, by: "Nguyễn Văn Bình", minutes: 31))
        answers.append(try await sign(firstId, by: "Trần Thị Cúc", minutes: 32))
        answers.append(try await sign(firstId, by: "Nguyễn Văn Bình", minutes: 33, direction: .results))
        let second = try await open([3], minutes: 40)
        answers.append(Self.summary(second))
        let secondId = try second.get().handover.id!
        for minutes in [41.0, 42] {
            answers.append(
                Self.summary(
                    try await ledger.cancelHandover(
                        id: secondId, direction: .dossiers, cancelledBy: "buucuc.truong", officeScope: office, at: at(minutes: minutes), audit: slot()
                    )))
        }
        answers.append(try await sign(secondId, by: "Nguyễn Văn Bình", minutes: 43))
        answers.append(Self.summary(try await open([3], minutes: 44)))

        try await ledger.applyStatus(resultReady, webhookId: "msg_ready", planner: planner, pins: pins)
        // The pickup list, of every office, of the result's, of another.
        for office in [nil, try await resultOffice(), "999999"] { answers.append("\(try await ledger.pendingPickups(officeCode: office))") }
        let pickup = try await open([], minutes: 210, direction: .results, numbers: [TrackingNumber(prefix: "PK", serial: 1)])
        answers.append(Self.summary(pickup))
        answers.append(try await sign(try pickup.get().handover.id!, by: "Lê Văn Dũng", minutes: 220, direction: .results))
        answers.append("\(try await ledger.pendingPickups(officeCode: nil))")
        return answers
    }

    @Test func manifestsWriteTheRowsSQLiteWritesAndAnswerTheSame() async throws {
        let intakes = try intakes(3)
        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
        let agency = intakes[0].agency.code
        let expected = try await morning(on: sqlite, intakes: intakes, agency: agency) {
            try await sqlite.read { db in try ItemRecord.numbered(TrackingNumber(prefix: "PK", serial: 1)).fetchOne(db)!.officeCode }
        }
        #expect(
            expected.map { $0.split(separator: " ").first.map(String.init) ?? "" } == [
                "opened", "refused", "refused", "refused", "signed", "alreadySigned", "signedByOther", "notFound", "opened", "cancelled",
                "alreadyCancelled", "cancelled", "opened", "[PostGateway.PendingPickup(trackingNumber:", "[PostGateway.PendingPickup(trackingNumber:",
                "[]", "opened", "signed", "[]",
            ])

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            let answers = try await morning(on: ledger, intakes: intakes, agency: agency) {
                var office = ""
                for try await code in try await ledger.client.query(
                    "SELECT officeCode FROM item WHERE trackingNumber = \(TrackingNumber(prefix: "PK", serial: 1).description)"
                ).decode(
                    String.self)
                {
                    office = code
                }
                return office
            }
            #expect(answers == expected)
            for table in try await sqlite.read({ db in try LedgerCopy.tables(db) }) {
                let sqliteDigest = try await sqlite.read { db in try LedgerCopy.digest(table, db) }
                let postgresDigest = try await LedgerCopy.digest(table, client: ledger.client)
                #expect(sqliteDigest == postgresDigest, "\(table.name)")
            }
            #expect(try await ledger.verifyAudit() == (try await sqlite.verifyAudit()))
        }
    }

    /// Clerks at two instances put the same arrived dossiers on manifests at once, each in another order: one manifest
    /// takes them, every other is refused naming it, and no clerk meets an error.
    @Test func theSameItemsOnManifestsAtTwoInstancesAtOnceGoOnOneOnly() async throws {
        let agency = try await prepared(dossiers: 3)
        let answers = try await TestPostgres.atTwoInstances(count: 8) { ledger, attempt in
            Self.summary(
                try await ledger.openHandover(
                    agencyCode: agency, officeCode: office, trackingNumbers: [1, 2, 3].shuffled().map(number), createdBy: "buucuc.le",
                    at: at(minutes: 20 + Double(attempt))))
        }
        #expect(answers.filter { $0.hasPrefix("opened") }.count == 1)
        #expect(answers.filter { $0.hasPrefix("refused") && $0.contains("onOpenManifest") }.count == 7)
        #expect(try await TestPostgres.integers("SELECT (SELECT count(*) FROM handover), (SELECT count(*) FROM handoverItem)") == [1, 3])
    }

    /// Manifests of one office on one day opened at two instances at once are numbered one after the other.
    @Test func manifestsOpenedAtTwoInstancesAtOnceGetDifferentNumbers() async throws {
        let agency = try await prepared(dossiers: 6)
        let answers = try await TestPostgres.atTwoInstances(count: 6) { ledger, attempt in
            Self.summary(
                try await ledger.openHandover(
                    agencyCode: agency, officeCode: office, trackingNumbers: [number(attempt + 1)], createdBy: "buucuc.le", at: at(minutes: 20)))
        }
        let numbers = answers.map { $0.split(separator: " ")[1] }
        #expect(Set(numbers).count == 6)
        #expect(Set(numbers.map { $0.suffix(4) }) == ["0001", "0002", "0003", "0004", "0005", "0006"])
    }

    /// The desk's officer signs at one instance while a clerk cancels at another: the manifest ends one or the other,
    /// and its dossiers are handed over exactly when it is signed.
    @Test func aManifestSignedAndCancelledAtTwoInstancesAtOnceEndsOneOrTheOther() async throws {
        let agency = try await prepared(dossiers: 3)
        let id = try await TestPostgres.withLedger { ledger in
            try await ledger.openHandover(
                agencyCode: agency, officeCode: office, trackingNumbers: [1, 2, 3].map(number), createdBy: "buucuc.le", at: at(minutes: 20)
            ).get().handover.id!
        }
        let answers = try await TestPostgres.atTwoInstances(count: 8) { ledger, attempt in
            attempt.isMultiple(of: 2)
                ? "sign: "
                    + Self.summary(
                        try await ledger.signHandover(
                            id: id, receivedBy: "Nguyễn Văn Bình", signedBy: "buucuc.le", officeScope: office, at: at(minutes: 30),
                            reference: TestSupport.reference))
                : "cancel: "
                    + Self.summary(try await ledger.cancelHandover(id: id, cancelledBy: "buucuc.truong", officeScope: office, at: at(minutes: 30)))
        }
        let signedFirst = answers.contains { $0.hasPrefix("sign: signed") }
        let cancelledFirst = answers.contains { $0.hasPrefix("cancel: cancelled") }
        #expect(signedFirst != cancelledFirst)
        let counts = try await TestPostgres.integers(
            "SELECT (SELECT count(*) FROM itemEvent WHERE code = 'handedOver'), (SELECT count(*) FROM outboxMessage WHERE kind = 'reportHandover')")
        // Each dossier handed over has its event and its report to the one-stop, or none has.
        #expect(counts == (signedFirst ? [3, 3] : [0, 0]))
    }

    /// A fresh ledger with `dossiers` dossiers arrived at the office; answers their agency.
    private func prepared(dossiers: Int) async throws -> String {
        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            let intakes = try intakes(dossiers)
            _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
            for serial in 1...dossiers {
                let arrived = ScanRequest(
                    trackingNumber: number(serial), event: .arrived, officeCode: office, occurredAt: at(minutes: 10), note: nil, actor: "buucuc.le")
                _ = try await ledger.recordScan(arrived, by: .clerk, recordedAt: at(minutes: 10), reference: TestSupport.reference)
            }
            return intakes[0].agency.code
        }
    }
}
