import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct IntakeConcurrencyTests {
    @Test func fiveHundredConcurrentIntakesGetFiveHundredDistinctValidNumbers() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.live) { client in
            let http = LiveHTTP(port: client.port!)
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        let (status, body) = try await http.intake(key: "concurrency-\(index)")
                        #expect(status == 201)
                        return body["trackingNumber"] as? String ?? ""
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(numbers).count == 500)
            #expect(numbers.allSatisfy { (try? TrackingNumber(parsing: $0)) != nil })
        }
        #expect(
            try await TestSupport.counts(dependencies.database) == [
                "dossier": 500, "item": 500, "itemEvent": 500, "outboxMessage": 500, "idempotencyKey": 500, "handover": 0, "handoverItem": 0,
            ])
        // Concurrent intakes shared commits: fewer transactions than dossiers.
        let batches = String(buffer: ByteBuffer(bytes: dependencies.metrics.registry.emitToBuffer()))
            .split(separator: "\n").first { $0.hasPrefix("postgateway_intake_batch_size_count") }
        #expect(batches.flatMap { Int($0.split(separator: " ").last!) }.map { $0 < 500 } == true)
    }

    @Test func concurrentReplaysOfOneKeyWriteOneDossier() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.live) { client in
            let http = LiveHTTP(port: client.port!)
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<40 { group.addTask { try await http.intake(key: "one-key-many-tries").body["trackingNumber"] as! String } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(numbers.count == 1)
        }
        #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 1)
    }
}
