import Foundation
import GRDB
import Testing
@testable import PostGateway

/// A status taken from the one-stop's ledger during a repair never hides a callback applied since the comparison.
@Suite struct ReconciliationRepairTests {
    @Test func aStatusIsTakenOnlyFromTheStatusTheComparisonSaw() async throws {
        let database = try TestSupport.ledger()
        try await IdNumberPrivacyTests.intake(into: database, count: 2)
        let numbers = try await database.read { db in try String.fetchAll(db, sql: "SELECT trackingNumber FROM item ORDER BY dossierId") }
        let ids = Dictionary(uniqueKeysWithValues: zip(numbers, [Int64(1), 2]))
        // Both were at 4 (processing) when the ledgers were compared; the one-stop's page said 5 (supplement requested).
        try await database.write { db in try db.execute(sql: "UPDATE dossier SET oneStopStatus = 4, oneStopStatusAt = '2026-11-24 03:00:00.000'") }
        // Since then a callback brought the first one to 6, of the same stage as 5 and newer than the page.
        try await database.write { db in try db.execute(sql: "UPDATE dossier SET oneStopStatus = 6, oneStopStatusAt = '2026-11-24 04:00:00.000' WHERE id = 1") }

        let findings = numbers.map {
            ReconciliationFinding(trackingNumber: $0, kind: .statusDisagreement, agencyCode: "000.01.12.H55", gatewayValue: "4",
                                  oneStopValue: "5", ahead: .oneStop, repair: .takeStatus)
        }
        let facts = LedgerFacts(agencyCode: "000.01.12.H55", fee: 8000, status: .supplementRequested, dossierCode: nil, handoverAt: nil)
        let repaired = try await database.repair(findings, dossierIds: ids, oneStop: Dictionary(uniqueKeysWithValues: numbers.map { ($0, facts) }),
                                                 now: TestSupport.mondayMorning)
        #expect(repaired.map(\.repaired) == [false, true])
        let statuses = try await database.read { db in try Int.fetchAll(db, sql: "SELECT oneStopStatus FROM dossier ORDER BY id") }
        #expect(statuses == [6, 5])
    }
}
