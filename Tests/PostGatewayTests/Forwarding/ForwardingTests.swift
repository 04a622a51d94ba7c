import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import PostGateway

/// The outbox drained into the real sandbox one-stop, over real sockets.
@Suite(.temporaryFolder, .serialized) struct ForwardingTests {
    static func intake(_ client: some TestClientProtocol, count: Int) async throws -> [String] {
        var numbers: [String] = []
        for _ in 0..<count {
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            numbers.append(try response.decoded(as: Answer.IntakeReceipt.self).trackingNumber)
        }
        return numbers
    }

    /// A handover of each dossier, queued straight into the outbox as signing a manifest does.
    static func queueHandovers(_ numbers: [String], in database: AppDatabase) async throws {
        try await database.write { db in
            for (index, number) in numbers.enumerated() {
                let dossierId = try Int64.fetchOne(db, sql: "SELECT dossierId FROM item WHERE trackingNumber = ?", arguments: [number])!
                try db.execute(
                    sql: """
                        INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                        VALUES (?, 'reportHandover', ?, 'pending', 0, '2000-01-01 00:00:00.000', '2026-11-23 02:30:00.000', '2026-11-23 02:30:00.000')
                        """,
                    arguments: [
                        dossierId, #"{"NguoiNhan":"Trần Thị Bình","SoBienBan":"BB-250000-20261123-\#(index)","ThoiDiemBanGiao":"20261123143000"}"#,
                    ])
            }
        }
    }

    /// What a recording client sent, and what the one-stop answered, in order.
    final class SendLog: Sendable {
        typealias Entry = (kind: OutboxMessageRecord.Kind, number: String, answer: OneStopClient.Answer)
        let entries = Mutex<[Entry]>([])
        var all: [Entry] { entries.withLock { $0 } }
    }

    /// A client that passes every send on to `live` and records it in the log it comes with.
    static func recording(_ live: OneStopClient) -> (OneStopClient, SendLog) {
        let log = SendLog()
        var recording = live
        recording.send = { kind, number, payload in
            let answer = await live.send(kind, number, payload)
            log.entries.withLock { $0.append((kind, number, answer)) }
            return answer
        }
        return (recording, log)
    }

    @Test func withErrorsAndLostResponsesEveryDossierIsRegisteredExactlyOnce() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        try await sandbox.setFaults(["errorRate": 0.3, "dropResponseRate": 0.1])
        let attempts = Mutex<[String: Int]>([:])
        let live = try sandbox.client
        var counting = live
        counting.send = { kind, number, payload in
            attempts.withLock { $0[number, default: 0] += 1 }
            return await live.send(kind, number, payload)
        }
        let dependencies = try TestSupport.forwardingDependencies(client: counting)
        let app = try buildApplication(dependencies)
        let numbers = try await app.test(.router) { client in
            let numbers = try await Self.intake(client, count: 60)
            let statistics = try await TestSupport.drained(dependencies.database)
            #expect(statistics.pending == 0 && statistics.inFlight == 0 && statistics.dead == 0)
            return numbers
        }
        let ledger = try await sandbox.ledger()
        #expect(Set(ledger.keys) == Set(numbers))
        #expect(ledger.count == 60)
        // The faults were real: some dossiers needed more than one attempt.
        #expect(attempts.withLock { $0.values.reduce(0, +) } > 60)
    }

    @Test func aBacklogDrainsOnItsOwnOnceTheOneStopComesBack() async throws {
        let port = try freePort()
        let sandboxData = try TestSupport.temporaryDirectory()
        let client = try OneStopClient.live(
            .init(
                baseURL: URL(string: "http://127.0.0.1:\(port)")!, token: SandboxProcess.token,
                connectTimeout: 1, totalTimeout: 2))
        let dependencies = try TestSupport.forwardingDependencies(client: client)
        let app = try buildApplication(dependencies)
        try await app.test(.router) { http in
            let numbers = try await Self.intake(http, count: 20)
            try await Task.sleep(for: .milliseconds(500))
            let waiting = try await dependencies.database.outboxStatistics()
            #expect(waiting.pending + waiting.inFlight == 20)
            let sandbox = try await SandboxProcess.start(port: port, dataDirectory: sandboxData)
            defer { sandbox.stop() }
            let statistics = try await TestSupport.drained(dependencies.database)
            #expect(statistics.pending == 0 && statistics.dead == 0)
            #expect(Set(try await sandbox.ledger().keys) == Set(numbers))
        }
    }

    @Test func aPermanentRefusalIsDeadVisibleAndCanBeRequeued() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        // The first dossier of a fresh ledger is PH000000014VN: register that number at the one-stop with other
        // content first, so the gateway's registration is refused with 409.
        let first = TrackingNumber(prefix: "PH", serial: 1).description
        #expect(try await sandbox.lgsp("POST", "/lgsp/bcci/hoso", SandboxContractTests.registration(first, name: "Người khác")).0 == 201)
        let dependencies = try TestSupport.forwardingDependencies(client: try sandbox.client)
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let numbers = try await Self.intake(client, count: 1)
            #expect(numbers == [first])
            let statistics = try await TestSupport.drained(dependencies.database)
            #expect(statistics.dead == 1)
            let dead = try await client.execute(uri: "/api/v1/outbox?state=dead", method: .get).decoded(as: Answer.OutboxList.self).items
            #expect(dead.count == 1)
            let message = try #require(dead.first)
            #expect(message.trackingNumber == first)
            #expect(message.lastError?.contains("409") == true)

            // A supervisor clears the conflict at the one-stop and requeues.
            #expect(try await sandbox.http.send("DELETE", "/_sandbox/hoso/\(first)").status == 200)
            let id = message.id
            #expect(try await client.execute(uri: "/api/v1/outbox/\(id)/requeue", method: .post).status == .accepted)
            #expect(try await client.execute(uri: "/api/v1/outbox/\(id)/requeue", method: .post).status == .notFound)
            let after = try await TestSupport.drained(dependencies.database)
            #expect(after.dead == 0 && after.pending == 0)
            #expect(try await sandbox.ledger()[first]?["MaBuuGui"] as? String == first)
        }
    }

    @Test func aHandoverIsNeverSentBeforeItsRegistration() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        try await sandbox.setFaults(["errorRate": 0.5])
        let (recording, sent) = Self.recording(try sandbox.client)
        let dependencies = try TestSupport.forwardingDependencies(client: recording)
        // Each dossier's handover is queued right behind its registration, as signing a manifest will do.
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let numbers = try await Self.intake(client, count: 15)
            try await Self.queueHandovers(numbers, in: dependencies.database)
            let statistics = try await TestSupport.drained(dependencies.database)
            #expect(statistics.pending == 0 && statistics.dead == 0)
        }
        let log = sent.all
        for (index, entry) in log.enumerated() where entry.kind == .reportHandover {
            let registered = log[..<index].contains { $0.number == entry.number && $0.kind == .registerDossier && $0.answer == .accepted }
            #expect(registered, "handover of \(entry.number) sent before its registration was accepted")
            #expect(entry.answer != .needsRegistration)
        }
        #expect(try await sandbox.ledger().values.allSatisfy { $0["ThoiDiemBanGiao"] as? String == "20261123143000" })
    }

    /// ONESTOP_API §2: a 404 to a handover means the one-stop does not know the dossier: register first, then retry.
    @Test func aDossierTheOneStopLostIsRegisteredAgainBeforeItsHandover() async throws {
        let sandbox = try await SandboxProcess.start()
        defer { sandbox.stop() }
        let (recording, sent) = Self.recording(try sandbox.client)
        let dependencies = try TestSupport.forwardingDependencies(client: recording)
        let app = try buildApplication(dependencies)
        let numbers = try await app.test(.router) { client in
            let numbers = try await Self.intake(client, count: 2)
            _ = try await TestSupport.drained(dependencies.database)
            // The one-stop loses the first dossier (its ledger restored from an older backup); then both are handed over.
            #expect(try await sandbox.http.send("DELETE", "/_sandbox/hoso/\(numbers[0])").status == 200)
            try await Self.queueHandovers(numbers, in: dependencies.database)
            let statistics = try await TestSupport.drained(dependencies.database)
            #expect(statistics.pending == 0 && statistics.dead == 0)
            return numbers
        }
        let log = sent.all
        let journeys = numbers.map { number in log.filter { $0.number == number }.map { "\($0.kind.rawValue) \($0.answer)" } }
        #expect(
            journeys[0] == ["registerDossier accepted", "reportHandover needsRegistration", "registerDossier accepted", "reportHandover accepted"])
        #expect(journeys[1] == ["registerDossier accepted", "reportHandover accepted"])
        let ledger = try await sandbox.ledger()
        #expect(numbers.allSatisfy { ledger[$0]?["ThoiDiemBanGiao"] as? String == "20261123143000" })
    }

    @Test func readinessAndMetricsShowTheOneStopAndTheBacklog() async throws {
        let sandbox = try await SandboxProcess.start()
        let dependencies = try TestSupport.forwardingDependencies(client: try sandbox.client)
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            _ = try await Self.intake(client, count: 3)
            _ = try await TestSupport.drained(dependencies.database)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(
                try ready.decoded(as: Answer.Readiness.self).checks == ["database": "up", "oneStop": "up", "serials.PH": "ok", "serials.PK": "ok"])
            var metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_forward_attempts_total{outcome="delivered"} 3"#))
            #expect(metrics.contains(#"postgateway_outbox_messages{state="pending"} 0"#))

            sandbox.stop()
            _ = try await Self.intake(client, count: 2)
            // The one-stop is asked at most every 2 s: within a few seconds /ready says it is gone, and stays 200, since
            // the ledger still takes dossiers in and the outbox rides the outage out.
            #expect(
                try await ResultJourneyTests.eventually(within: 10) {
                    let ready = try await client.execute(uri: "/ready", method: .get)
                    guard ready.status == .ok else { return false }
                    return try ready.decoded(as: Answer.Readiness.self).checks["oneStop"] == "unreachable"
                })
            metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let backlog = metrics.split(separator: "\n").filter {
                $0.hasPrefix("postgateway_outbox_messages{state=\"pending\"}") || $0.hasPrefix("postgateway_outbox_messages{state=\"inFlight\"}")
            }
            .compactMap { Double($0.split(separator: " ").last!) }.reduce(0, +)
            #expect(backlog == 2)
            #expect(metrics.contains("postgateway_outbox_oldest_pending_age_seconds"))
        }
    }
}
