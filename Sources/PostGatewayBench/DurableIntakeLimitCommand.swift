import ArgumentParser
import Foundation
import GRDB

/// `PostGatewayBench durable-intake`: the physical limit intake is measured against in `make bench`. The five rows
/// one intake writes (dossier, item, first event, outbox message, idempotency record), committed one transaction at a
/// time at `synchronous=FULL` in WAL by a plain loop through GRDB, on a ledger `postgateway migrate` made: what this
/// disk allows one writer that syncs every commit, with no HTTP, no validation and no batching.
struct DurableIntakeLimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "durable-intake",
        abstract: "Commits per second of one intake's five rows, one transaction each, at synchronous=FULL.")

    @Option(help: "A ledger made by `postgateway migrate` (it is written to).")
    var ledger: String

    @Option(help: "How long to run, in seconds.")
    var seconds: Double = 5

    @Option(help: "The first serial of the tracking numbers written (runs on one ledger must not overlap).")
    var firstSerial = 50_000_000

    func run() throws {
        let pool = try DatabasePool(path: ledger)
        // GRDB sets the writer to NORMAL with WAL; the gateway sets it back to FULL, and so does this.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let clock = ContinuousClock()
        let start = clock.now
        let end = start.advanced(by: .milliseconds(Int64(seconds * 1000)))
        var commits = 0
        var latencies: [Duration] = []
        while clock.now < end {
            let serial = firstSerial + commits
            let began = clock.now
            try pool.write { db in try Self.writeIntake(serial: serial, in: db) }
            latencies.append(clock.now - began)
            commits += 1
        }
        let elapsed = clock.now - start
        let perSecond = Double(commits) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        latencies.sort()
        let p99 = latencies.isEmpty ? .zero : latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print(
            String(
                format: "%.0f commits/s, p99 %.2f ms, %d commits", perSecond,
                Double(p99.components.attoseconds) / 1e15
                    + Double(p99.components.seconds) * 1000, commits))
    }

    static func writeIntake(serial: Int, in db: Database) throws {
        let now = Date()
        let number = trackingNumber(serial: serial)
        try db.execute(
            sql: """
                INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
                  applicantPhone, applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope,
                  jDate, dueDate, acceptedAt, acceptedBy)
                VALUES ('sendAndReturn', '2.000635', 'Cấp bản sao trích lục hộ tịch', '000.42.20.H55', '250000', 'Nguyễn Thị Hồng Nhung',
                  'aesgcm:t1:AAAA', '0912345678', 'Số 12, tổ 5, phường Tân Thịnh', 'Số 12, tổ 5, phường Tân Thịnh',
                  '[{"copies":1,"kind":"original","name":"Tờ khai"}]', 30000, 8000, 'h', 'sameProvince', '2026-11-23', '2026-11-25', ?, 'bench')
                """, arguments: [now])
        let dossierId = db.lastInsertedRowID
        try db.execute(
            sql: """
                INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, dueDate, cashOnDelivery, createdAt, updatedAt)
                VALUES (?, 'dossier', ?, 'accepted', '250000', '2026-11-25', 0, ?, ?)
                """, arguments: [dossierId, number, now, now])
        try db.execute(
            sql: """
                INSERT INTO itemEvent (itemId, code, upuCode, occurredAt, officeCode, actor, recordedAt)
                VALUES (?, 'accepted', 'EMA', ?, '250000', 'bench', ?)
                """, arguments: [db.lastInsertedRowID, now, now])
        try db.execute(
            sql: """
                INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                VALUES (?, 'registerDossier', ?, 'pending', 0, ?, ?, ?)
                """, arguments: [dossierId, #"{"MaBuuGui":"\#(number)"}"#, now, now, now])
        try db.execute(
            sql: "INSERT INTO idempotencyKey (key, requestHash, dossierId, createdAt) VALUES (?, 'h', ?, ?)",
            arguments: ["250000 bench-\(serial)", dossierId, now])
    }

    /// An S10 number with its check digit (UPU S10: weights 8 6 4 2 3 5 9 7).
    static func trackingNumber(serial: Int) -> String {
        let digits = String(format: "%08d", serial).compactMap(\.wholeNumberValue)
        let sum = zip(digits, [8, 6, 4, 2, 3, 5, 9, 7]).map(*).reduce(0, +)
        let check =
            switch 11 - sum % 11 {
            case 10: 0
            case 11: 5
            case let digit: digit
            }
        return String(format: "PH%08d%dVN", serial, check)
    }
}
