import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
@testable import PostGateway

@Suite struct TrackingCacheTests {
    static func entry(dossierId: Int64, code: String) -> TrackingCache.Entry {
        let dossier = TrackedDossier(
            id: dossierId, acceptedAt: TestSupport.mondayMorning, dueDate: "2026-11-24", service: .sendOnly, oneStopStatus: nil,
            procedureName: "Cấp bản sao Trích lục hộ tịch", agencyCode: "000.01.12.H55", appointmentDate: nil, maskedName: "N***",
            oneStopNote: nil, pinHash: "", items: [], linkedTrackingNumbers: [])
        return TrackingCache.Entry(dossier: dossier, code: code, language: .vi, lockedJSON: ByteBuffer(string: "{}"))
    }

    @Test func anAnswerStaysUntilItsOwnDossierChanges() {
        let cache = TrackingCache(capacity: 10)
        cache.store(Self.entry(dossierId: 1, code: "PH000000014VN"), readAt: cache.generation)
        cache.store(Self.entry(dossierId: 1, code: "000.01.12.H55-261123-0001"), readAt: cache.generation)
        cache.store(Self.entry(dossierId: 2, code: "PH000000028VN"), readAt: cache.generation)
        cache.invalidate([3])
        #expect(cache.lookup("PH000000014VN") != nil && cache.lookup("PH000000028VN") != nil)
        cache.invalidate([1])
        #expect(cache.lookup("PH000000014VN") == nil)
        #expect(cache.lookup("000.01.12.H55-261123-0001") == nil, "every code of the dossier goes with it")
        #expect(cache.lookup("PH000000028VN") != nil)
    }

    /// A read that began before a commit may have seen the ledger before it: what it found is not kept.
    @Test func aReadThatOverlappedACommitIsNotKept() {
        let cache = TrackingCache(capacity: 10)
        let before = cache.generation
        cache.invalidate([42])
        cache.store(Self.entry(dossierId: 1, code: "PH000000014VN"), readAt: before)
        #expect(cache.lookup("PH000000014VN") == nil)
        cache.store(Self.entry(dossierId: 1, code: "PH000000014VN"), readAt: cache.generation)
        #expect(cache.lookup("PH000000014VN") != nil)
    }

    @Test func theCacheHoldsNoMoreThanItsCapacityAndNothingAtZero() {
        let cache = TrackingCache(capacity: 3)
        for serial in 1...20 {
            let number = TrackingNumber(prefix: "PH", serial: serial).description
            cache.store(Self.entry(dossierId: Int64(serial), code: number), readAt: cache.generation)
        }
        #expect(cache.count == 3)
        #expect(cache.lookup(TrackingNumber(prefix: "PH", serial: 20).description) != nil, "the newest answer is kept")
        let kept = (1...20).filter { cache.lookup(TrackingNumber(prefix: "PH", serial: $0).description) != nil }
        cache.store(Self.entry(dossierId: 20, code: TrackingNumber(prefix: "PH", serial: 20).description), readAt: cache.generation)
        #expect(kept.count == 3 && kept.allSatisfy { cache.lookup(TrackingNumber(prefix: "PH", serial: $0).description) != nil },
                "storing a code again evicts nothing")
        let off = TrackingCache(capacity: 0)
        off.store(Self.entry(dossierId: 1, code: "PH000000014VN"), readAt: off.generation)
        #expect(off.count == 0)
    }

    /// The public answer is cached after the first lookup; every kind of change to the dossier shows on the next.
    @Test func everyChangeToADossierShowsOnTheNextLookup() async throws {
        // The watcher of other processes' changes would drop answers of this process's changes too, at its own time.
        let dependencies = try TestSupport.dependencies(tweak: { $0.trackingPerCodePerMinute = 1_000; $0.trackingExternalChangePoll = 0 })
        let database = dependencies.database
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let created = try TestSupport.object(try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: TestSupport.json(TestSupport.intake())))
            let number = created["trackingNumber"] as! String, pin = created["trackingPin"] as! String
            func look(pin: String? = nil) async throws -> [String: Any] {
                let response = try await client.execute(uri: "/api/v1/track/\(number)" + (pin.map { "?pin=\($0)" } ?? ""), method: .get)
                #expect(response.status == .ok)
                return try TestSupport.object(response)
            }
            func events() async throws -> [String] {
                let items = try await look()["items"] as! [[String: Any]]
                return (items[0]["events"] as! [[String: Any]]).map { $0["event"] as! String }
            }
            #expect(try await events() == ["accepted"])
            #expect(try await events() == ["accepted"], "asked twice: the second answer comes from the cache")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postgateway_tracking_lookups_total{source="ledger"} 1"#))
            #expect(metrics.contains(#"postgateway_tracking_lookups_total{source="cache"} 1"#))

            // A scan: a new event and a new status of the item.
            #expect(try await ScanningTests.scan(client, number, "dispatched").status == .created)
            #expect(try await events() == ["accepted", "dispatched"])

            // The one-stop's status, written to the dossier row.
            try await database.write { db in try db.execute(sql: "UPDATE dossier SET oneStopStatus = 5") }
            #expect(try await look()["oneStopStatus"] as? Int == 5)

            // A supplement, which changes what the original's PIN view links to.
            #expect((try await look(pin: pin)["details"] as! [String: Any])["linkedTrackingNumbers"] as! [String] == [])
            let supplement = try await DossierReadTests.create(client) { $0["supplementTo"] = number }
            let linked = (try await look(pin: pin)["details"] as! [String: Any])["linkedTrackingNumbers"] as! [String]
            #expect(linked == [supplement])
            // A second one: the links come oldest first.
            let second = try await DossierReadTests.create(client) { $0["supplementTo"] = number }
            #expect((try await look(pin: pin)["details"] as! [String: Any])["linkedTrackingNumbers"] as! [String] == [supplement, second])

            // A result item, added to the dossier.
            try await database.write { db in
                try db.execute(sql: """
                    INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, createdAt, updatedAt)
                    SELECT dossierId, 'result', 'PK000000014VN', 'created', officeCode, createdAt, updatedAt FROM item WHERE trackingNumber = ?
                    """, arguments: [number])
            }
            let items = try await look()["items"] as! [[String: Any]]
            #expect(items.map { $0["trackingNumber"] as! String } == [number, "PK000000014VN"])
        }
    }

    /// A transaction that rolls back tells nothing, and one that commits tells the dossiers it touched, once. A dossier's
    /// own intake tells nothing: before it, no answer about the dossier can have been kept. A supplement's tells its original.
    @Test func theLedgerTellsWhichDossiersACommitChanged() async throws {
        let dependencies = try TestSupport.dependencies()
        let database = dependencies.database
        let seen = Mutex<[Set<Int64>]>([])
        database.observeDossierChanges { ids in seen.withLock { $0.append(ids) } }
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let first = try await DossierReadTests.create(client)
            _ = try await DossierReadTests.create(client)
            #expect(seen.withLock { $0 }.isEmpty)
            // Rolled back, on the other dossier: had its id leaked into the next commit, that commit would tell [1, 2].
            _ = try? await database.write { db in
                try db.execute(sql: "UPDATE dossier SET oneStopStatus = 2 WHERE id = 2")
                throw CancellationError()
            }
            #expect(seen.withLock { $0 }.isEmpty)
            #expect(try await ScanningTests.scan(client, first, "dispatched").status == .created)
            #expect(seen.withLock { $0 } == [[1]])
            // A supplement tells its original, whose view now links to it (intake itself moves its revision: v17).
            try await database.write { db in try db.execute(sql: "UPDATE dossier SET oneStopStatus = 5 WHERE id = 1") }
            _ = try await DossierReadTests.create(client) { $0["supplementTo"] = first }
            #expect(seen.withLock { $0 } == [[1], [1], [1]])
        }
    }

    /// Another process (a reconcile run from cron) writes the same ledger file: the server's cached answer goes
    /// within the watcher's interval.
    @Test func aChangeMadeByAnotherProcessShowsAfterTheWatcherLooks() async throws {
        let dependencies = try TestSupport.dependencies(tweak: { $0.trackingPerCodePerMinute = 1_000; $0.trackingExternalChangePoll = 0.05 })
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let created = try TestSupport.object(try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: TestSupport.json(TestSupport.intake())))
            let number = created["trackingNumber"] as! String
            func status() async throws -> Int? {
                try TestSupport.object(try await client.execute(uri: "/api/v1/track/\(number)", method: .get))["oneStopStatus"] as? Int
            }
            #expect(try await status() == nil)
            #expect(try await status() == nil)
            // A second connection pool on the same file, as another process has: this process's observer never hears of it.
            let other = try AppDatabase.openFile(atPath: dependencies.configuration.databasePath, idNumbers: dependencies.database.idNumbers)
            try await other.write { db in try db.execute(sql: "UPDATE dossier SET oneStopStatus = 4") }
            #expect(try await ResultJourneyTests.eventually(within: 5) { try await status() == 4 })
        }
    }
}
