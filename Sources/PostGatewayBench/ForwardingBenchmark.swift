import Foundation
import GRDB
import Logging
import OneStopSandbox
import PostGateway
import ServiceLifecycle

/// Drain rate of an outbox backlog into the sandbox one-stop on loopback: a ledger with `count` pending
/// registrations, the sandbox in this process, and the forwarder and live HTTP client the composition root builds.
struct ForwardingBenchmark {
    let count: Int
    let concurrency: Int
    let batchSize: Int
    let logger: Logger

    struct Result {
        let messages: Int
        let seconds: Double
        let seedSeconds: Double
        var perSecond: Double { Double(messages) / seconds }
    }

    func run() async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appending(path: "postgateway-forwarding-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try LoopbackPort.free()
        // The gateway as `serve` would compose it, pointed at the sandbox, with the batches and concurrency asked for.
        let configuration = try LedgerOptions.parse([]).loadOrExplain(extraFlags: [
            "dataDir": folder.path, "onestop.url": "http://127.0.0.1:\(port)", "onestop.token": "bench",
            "forwarding.batchSize": "\(batchSize)", "forwarding.concurrency": "\(concurrency)",
        ])
        let dependencies = try AppDependencies.live(configuration, metrics: GatewayMetrics(), logger: logger)
        let database = dependencies.database
        let seedStart = ContinuousClock.now
        try await seed(database)
        let seedSeconds = (ContinuousClock.now - seedStart).inSeconds

        let sandbox = try OneStopSandbox.buildApplication(
            SandboxConfiguration(
                port: port, dataDirectory: folder.appending(path: "sandbox").path, token: "bench", controlToken: StaffSecrets.randomText(),
                webhookSecret: WebhookSigner.makeSecret()),
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [sandbox], logger: logger))
        return try await withThrowingTaskGroup(of: Result?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            while await !dependencies.oneStop.isReachable() { try await Task.sleep(for: .milliseconds(50)) }
            let forwarder = dependencies.forwarder()
            let start = ContinuousClock.now
            while true {
                if try await forwarder.forwardOneBatch() == 0 {
                    let statistics = try await database.outboxStatistics()
                    if statistics.pending == 0 && statistics.inFlight == 0 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let result = Result(messages: count, seconds: (ContinuousClock.now - start).inSeconds, seedSeconds: seedSeconds)
            let statistics = try await database.outboxStatistics()
            precondition(statistics.dead == 0, "messages died during the benchmark")
            // A graceful stop lets the sandbox close its connections; the group waits for it before returning.
            await group.triggerGracefulShutdown()
            return result
        }
    }

    /// `count` dossiers with their item and pending registration, written directly (the intake has its own benchmark).
    private func seed(_ database: AppDatabase) async throws {
        let count = count
        let sealedId = database.idNumbers.seal("019190001234")
        try await database.write { db in
            let now = LedgerTime.string(Date())
            let dossier = try db.makeStatement(
                sql: """
                    INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
                        applicantPhone, applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope,
                        jDate, dueDate, acceptedAt, acceptedBy)
                    VALUES ('sendAndReturn', '2.000635', 'Cấp bản sao trích lục hộ tịch', '000.42.20.H55', '250000', 'Nguyễn Thị Hồng Nhung',
                        ?, '0912345678', 'Số 12', 'Số 12', '[]', 30000, 8000, '', 'sameZone', '2026-11-23', '2026-11-24', ?, 'benchmark')
                    """)
            let item = try db.makeStatement(
                sql: """
                    INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, dueDate, cashOnDelivery, createdAt, updatedAt)
                    VALUES (?, 'dossier', ?, 'accepted', '250000', '2026-11-24', 0, ?, ?)
                    """)
            let message = try db.makeStatement(
                sql: """
                    INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                    VALUES (?, 'registerDossier', ?, 'pending', 0, ?, ?, ?)
                    """)
            for serial in 1...count {
                let number = TrackingNumber(prefix: "PH", serial: serial).description
                try dossier.execute(arguments: [sealedId, now])
                let id = db.lastInsertedRowID
                try item.execute(arguments: [id, number, now, now])
                let payload = JSONValue.object([
                    "MaBuuGui": .string(number), "MaTTHC": .string("2.000635"), "MaCoQuan": .string("000.42.20.H55"), "KenhThucHien": .integer(3),
                    "LoaiDichVu": .integer(3), "ChuHoSo": .string("Nguyễn Thị Hồng Nhung"), "SoGiayTo": .string(sealedId),
                    "SoDienThoai": .string("0912345678"), "Email": .string(""), "DiaChi": .string("Số 12"), "HinhThucTraKetQua": .integer(1),
                    "DiaChiNhanKetQua": .string("Số 12"),
                    "DanhSachGiayTo": .array([.object(["TenGiayTo": .string("Tờ khai"), "SoLuong": .integer(1), "LoaiBan": .integer(1)])]),
                    "LePhi": .integer(8000), "NgayGui": .string("20261123093000"),
                ]).canonicalText
                try message.execute(arguments: [id, payload, now, now, now])
            }
        }
    }
}
