import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import OneStopSandbox

@testable import PostGateway

/// Shared fixtures: the shipped reference data, a temp-file ledger per test (in its `.temporaryFolder`), a fixed clock, a sample intake.
enum TestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let referenceDirectory = packageRoot.appending(path: "config/reference")
    static let reference: ReferenceData = try! ReferenceData.load(from: referenceDirectory)

    /// Monday 23 November 2026, 09:30 in Thái Nguyên.
    static let mondayMorning = LocalTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 9, minute: 30))!

    /// A well-formed S10 number no test ever issues.
    static let unknownNumber = TrackingNumber(prefix: "PH", serial: 99_999_999).description

    /// A new folder inside the running test's own (`.temporaryFolder`), which goes when the test ends.
    static func temporaryDirectory() throws -> URL {
        guard let folder = TemporaryFolder.current else { throw OutsideTemporaryFolder() }
        let url = folder.appending(path: UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A ledger of its own in memory, for tests of the ledger without a server (as GRDB's demo app tests).
    static func ledger(idNumbers: IdNumberSealer = .ephemeral()) throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: idNumbers)
    }

    /// A temp-file ledger as an older version left it: migrated up to `migration` only, for a migration's own test.
    static func ledger(migratedUpTo migration: String, idNumbers: IdNumberSealer) throws -> DatabasePool {
        let pool = try DatabasePool(path: temporaryDirectory().appending(path: "ledger.sqlite").path, configuration: AppDatabase.configuration())
        try AppDatabase.migrator(idNumbers: idNumbers).migrate(pool, upTo: migration)
        return pool
    }

    static func configuration(dataDirectory: URL) -> GatewayConfiguration {
        var configuration = GatewayConfiguration()
        configuration.port = 0
        configuration.dataDirectory = dataDirectory.path
        configuration.referenceDirectory = referenceDirectory.path
        configuration.labelsDirectory = packageRoot.appending(path: "labels").path
        configuration.publicBaseURL = "https://tracuu.example.vn"
        return configuration
    }

    /// Tests of other parts than access act as an admin without sending credentials (`StaffAuthenticator`).
    static let testAdmin = StaffIdentity(name: "counter", role: .admin, officeCode: nil)

    /// A fresh temp-file ledger (WAL, synchronous=FULL, as in production) and a fixed clock.
    static func dependencies(clock: @escaping @Sendable () -> Date = { mondayMorning }, tweak: (inout GatewayConfiguration) -> Void = { _ in })
        throws -> AppDependencies
    {
        let directory = try temporaryDirectory()
        var configuration = configuration(dataDirectory: directory)
        tweak(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return AppDependencies(
            configuration: configuration, database: try AppDatabase.openFile(atPath: configuration.databasePath, idNumbers: .ephemeral()),
            reference: reference, templates: try LabelTemplates.load(from: packageRoot.appending(path: "labels")),
            pins: try TrackingPins.load(configuredKey: nil, dataDirectory: configuration.dataDirectory),
            metrics: GatewayMetrics(), clock: clock, logger: logger, oneStop: .unreachable, webhookSecret: WebhookSigner.makeSecret(),
            runsForwarder: false, hasher: PasswordHasher(cost: 4), staffWithoutCredentials: testAdmin)
    }

    /// A valid intake: a birth-certificate extract (commune level, 8,000 đ) at phường Tích Lương's desk (served by
    /// Bưu cục Phú Xá), from the central office in phường Phan Đình Phùng (one zone: both were the city of Thái
    /// Nguyên), the result to come home.
    static func intake(_ changes: (inout [String: Any]) -> Void = { _ in }) -> [String: Any] {
        var body: [String: Any] = [
            "service": "sendAndReturn",
            "procedureCode": "2.000635",
            "agencyCode": "000.42.20.H55",
            "officeCode": "250000",
            "applicant": [
                "fullName": "Nguyễn Thị Hồng Nhung",
                "idNumber": "019190001234",
                "phone": "+84 912 345 678",
                "email": "nhung@example.vn",
                "address": "Số 12, tổ 5, phường Tân Thịnh, Thái Nguyên",
            ],
            "resultAddress": "Số 12, tổ 5, phường Phan Đình Phùng, tỉnh Thái Nguyên",
            "resultAddressUnitCode": "05443",
            "documents": [
                ["name": "Tờ khai cấp bản sao trích lục hộ tịch", "copies": 1, "kind": "original"],
                ["name": "Căn cước công dân", "copies": 1, "kind": "copy"],
            ],
            "fees": ["postage": 30000, "administrativeFee": 8000],
        ]
        changes(&body)
        return body
    }

    static func json(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static func headers(key: String? = UUID().uuidString, language: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.idempotencyKey] = key }
        if let language { headers[.acceptLanguage] = language }
        return headers
    }

    static func counts(_ database: AppDatabase) async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for table in ["dossier", "item", "itemEvent", "outboxMessage", "idempotencyKey", "handover", "handoverItem"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return counts
        }
    }
}

extension OneStopClient {
    /// A one-stop that never answers: for tests of everything but forwarding.
    static let unreachable = OneStopClient(
        send: { _, _, _ in .unavailable("no one-stop in this test") },
        listDossiers: { _, _, _, _ in throw OneStopError(reason: "no one-stop in this test") },
        isReachable: { false })
}
