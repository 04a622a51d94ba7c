import Crypto
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import PostGateway

/// ID numbers at rest: sealed with AES-GCM in the dossier row and in the frozen registration payload, whole
/// only in the detail view of the dossier's own office, masked everywhere else; keys rotate.
@Suite(.temporaryFolder) struct IdNumberPrivacyTests {
    static let idNumber = "019190001234"

    @Test func theLedgerHoldsTheNumberOnlySealedAndTheDetailShowsItWholeOnlyToItsOwnOffice() async throws {
        var dependencies = try TestSupport.dependencies()
        dependencies.staffWithoutCredentials = nil
        let database = dependencies.database
        let dataDirectory = dependencies.configuration.dataDirectory
        let clerk = try await AccessMatrixTests.token(.clerk, "250000", in: database)
        let admin = try await AccessMatrixTests.token(.admin, nil, in: database)
        try await buildApplication(dependencies).test(.router) { client in
            var headers = TestSupport.headers()
            headers[.authorization] = "Bearer \(clerk)"
            let created = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: headers, body: TestSupport.json(TestSupport.intake()))
            let number = try created.decoded(as: Answer.IntakeReceipt.self).trackingNumber

            let stored = try await database.read { db in
                (
                    try String.fetchOne(db, sql: "SELECT applicantIdSealed FROM dossier")!,
                    try String.fetchOne(db, sql: "SELECT payload FROM outboxMessage")!
                )
            }
            #expect(stored.0.hasPrefix("aesgcm:t1:") && !stored.0.contains(Self.idNumber))
            #expect(!stored.1.contains(Self.idNumber) && stored.1.contains("\"SoGiayTo\":\"aesgcm:t1:"))
            // What the forwarder sends is the number itself, the same bytes on every retry.
            let sent = try #require(OneStopRegistration.openingIdNumber(stored.1, with: database.idNumbers))
            #expect(
                sent.contains("\"SoGiayTo\":\"\(Self.idNumber)\"") && sent == OneStopRegistration.openingIdNumber(stored.1, with: database.idNumbers))
            // The whole file holds no clear copy either (the WAL included).
            let files = try FileManager.default.contentsOfDirectory(atPath: dataDirectory)
                .filter { $0.hasPrefix("ledger.sqlite") }
            for file in files {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: dataDirectory).appending(path: file))
                #expect(bytes.range(of: Data(Self.idNumber.utf8)) == nil, "\(file)")
            }

            func shown(_ token: String) async throws -> String {
                let detail = try await client.execute(uri: "/api/v1/dossiers/\(number)", method: .get, headers: [.authorization: "Bearer \(token)"])
                return try detail.decoded(as: Answer.Dossier.self).applicant.idNumber
            }
            #expect(try await shown(clerk) == Self.idNumber)
            #expect(try await shown(admin) == "•••••••••234")
        }
    }

    /// Real intakes (validator and ledger) straight into `database`.
    static func intake(into database: AppDatabase, count: Int) async throws {
        let pins = TrackingPins(key: SymmetricKey(size: .bits256))
        let validator = IntakeValidator(
            reference: TestSupport.reference, pins: pins,
            idNumbers: database.idNumbers)
        let submissions = try (0..<count).map { _ in
            try validator.validate(
                try JSONValue(parsing: Data(buffer: TestSupport.json(TestSupport.intake()))), idempotencyKey: UUID().uuidString,
                acceptedAt: TestSupport.mondayMorning, acceptedBy: "test")
        }
        for outcome in try await database.acceptDossiers(submissions, series: .whole("PH"), pins: pins) { _ = try outcome.get() }
    }

    /// Names, phones and addresses on disk: the data folder made for the ledger, the ledger and the files SQLite makes
    /// beside it are readable by the gateway's user only, whatever the umask.
    @Test func theLedgerAndTheFolderMadeForItAreTheOwnersOnly() async throws {
        let folder = try TestSupport.temporaryDirectory().appending(path: "data/ledger")
        let database = try AppDatabase.openFile(atPath: folder.appending(path: "ledger.sqlite").path, idNumbers: .ephemeral())
        try await Self.intake(into: database, count: 1)
        func mode(_ url: URL) throws -> Int? { try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int }
        #expect(try mode(folder) == 0o700 && mode(folder.deletingLastPathComponent()) == 0o700)
        for name in ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm"] {
            #expect(try mode(folder.appending(path: name)) == 0o600, "\(name)")
        }
    }

    @Test func aNewKeySealsWhileTheOldOneStillOpensAndResealingLetsTheOldOneGo() async throws {
        let old = IdNumberSealer.Key(id: "k1", key: SymmetricKey(size: .bits256))
        let new = IdNumberSealer.Key(id: "k2", key: SymmetricKey(size: .bits256))
        let path = try TestSupport.temporaryDirectory().appending(path: "ledger.sqlite").path
        let before = try AppDatabase.openFile(atPath: path, idNumbers: IdNumberSealer(keys: [old]))
        try await Self.intake(into: before, count: 3)

        let rotated = try AppDatabase.openFile(atPath: path, idNumbers: IdNumberSealer(keys: [new, old]))
        let (dossiers, messages) = try await rotated.resealIdNumbers(batch: 2)
        #expect(dossiers == 3 && messages == 3)
        #expect(try await rotated.resealIdNumbers() == (0, 0))  // nothing left under the old key

        let onlyNew = IdNumberSealer(keys: [new])
        let sealed = try await rotated.read { db in
            (try String.fetchAll(db, sql: "SELECT applicantIdSealed FROM dossier"), try String.fetchAll(db, sql: "SELECT payload FROM outboxMessage"))
        }
        #expect(try sealed.0.map(onlyNew.open) == Array(repeating: Self.idNumber, count: 3))
        #expect(sealed.1.allSatisfy { OneStopRegistration.openingIdNumber($0, with: onlyNew)?.contains("\"SoGiayTo\":\"\(Self.idNumber)\"") == true })
        // A payload whose key has left the keyring is never "opened" into its sealed text.
        #expect(OneStopRegistration.openingIdNumber(sealed.1[0], with: IdNumberSealer(keys: [old])) == nil)
        #expect(throws: IdNumberSealer.OpenError.self) { try IdNumberSealer(keys: [old]).open(sealed.0[0]) }
    }

    @Test func aLedgerFromBeforeSealingIsSealedByItsMigration() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let pool = try TestSupport.ledger(migratedUpTo: "v6: finished dossiers for reports, complaints and incidents", idNumbers: idNumbers)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdNumber,
                      applicantPhone, applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope,
                      jDate, dueDate, acceptedAt, acceptedBy, oneStopStatus)
                    VALUES ('sendOnly', 'p', 'p', 'a', '250000', 'n', ?, '0912345678', 'x', NULL, '[]', 0, 0, 'h', 'sameZone',
                      '2026-11-23', '2026-11-24', '2026-11-23 02:30:00.000', 'test', 9);
                    INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                    VALUES (1, 'registerDossier', ?, 'delivered', 1, 'now', 'now', 'now');
                    """, arguments: [Self.idNumber, #"{"MaBuuGui":"PH000000014VN","SoGiayTo":"019190001234"}"#])
        }
        let migrated = try AppDatabase(pool, idNumbers: idNumbers)
        let row = try await migrated.read { db in
            (
                try String.fetchOne(db, sql: "SELECT applicantIdSealed FROM dossier")!,
                try String.fetchOne(db, sql: "SELECT payload FROM outboxMessage")!,
                try Int.fetchOne(db, sql: "SELECT finishedStatus FROM dossier"), try String.fetchAll(db, sql: "PRAGMA foreign_key_check")
            )
        }
        #expect(try idNumbers.open(row.0) == Self.idNumber)
        #expect(!row.1.contains(Self.idNumber) && OneStopRegistration.openingIdNumber(row.1, with: idNumbers)?.contains(Self.idNumber) == true)
        #expect(row.2 == 9 && row.3.isEmpty)
        // Nor does the clear number survive in freed pages, overwritten cells or the WAL.
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: pool.path + suffix))) ?? Data()
            #expect(bytes.range(of: Data(Self.idNumber.utf8)) == nil, "ledger.sqlite\(suffix)")
        }
        // The table's own trigger came back with it: a dossier finished later still has its finishing day kept.
        try await migrated.write { db in
            try db.execute(sql: "UPDATE dossier SET oneStopStatus = 4, finishedAt = NULL, finishedStatus = NULL")
            try db.execute(sql: "UPDATE dossier SET oneStopStatus = 10")
        }
        #expect(try await migrated.read { db in try Int.fetchOne(db, sql: "SELECT finishedStatus FROM dossier") } == 10)
        // `migrate --vacuum` rewrites the file from its live rows, which stay as they were.
        try await migrated.vacuum()
        #expect(try await migrated.read { db in try String.fetchOne(db, sql: "SELECT applicantIdSealed FROM dossier") } == row.0)
    }

    @Test func keyringsAreCheckedWhenRead() throws {
        let key = Data(repeating: 7, count: 32).base64EncodedString()
        #expect(try IdNumberSealer.parse(keyring: "k2:\(key), k1:\(key)").current.id == "k2")
        for bad in ["", "k1", "k1:short", "k 1:\(key)", "k1:\(key),k1:\(key)"] {
            #expect(throws: GatewayConfiguration.SettingError.self, "\(bad)") { try IdNumberSealer.parse(keyring: bad) }
        }
        #expect(IdNumberSealer.mask("019190001234") == "•••••••••234")
    }

    @Test func aRegistrationSealedWithAKeyNoLongerInTheKeyringGoesDeadAndIsNeverSent() async throws {
        let old = IdNumberSealer.Key(id: "k1", key: SymmetricKey(size: .bits256))
        let path = try TestSupport.temporaryDirectory().appending(path: "ledger.sqlite").path
        try await Self.intake(into: try AppDatabase.openFile(atPath: path, idNumbers: IdNumberSealer(keys: [old])), count: 1)
        // The old key was dropped before `reseal` ran.
        let database = try AppDatabase.openFile(atPath: path, idNumbers: .ephemeral())
        let sent = Mutex<[String]>([])
        let client = OneStopClient(
            send: { _, _, payload in
                sent.withLock { $0.append(payload) }
                return .accepted
            },
            listDossiers: { _, _, _, _ in ([], nil) }, isReachable: { true })
        let forwarder = Forwarder(
            database: database, client: client, settings: .init(), metrics: GatewayMetrics(),
            clock: { TestSupport.mondayMorning.addingTimeInterval(60) },
            logger: Logger(label: "test"))
        #expect(try await forwarder.forwardOneBatch() == 1)
        #expect(sent.withLock { $0 }.isEmpty)
        let dead = try await database.outboxMessages(state: .dead, officeCode: nil, limit: 10)
        #expect(dead.count == 1 && dead[0].message.lastError?.contains("not in the keyring") == true)
        await #expect(throws: IdNumberSealer.OpenError.self) { try await database.resealIdNumbers() }
    }
}
