import Crypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import PostGateway

/// Re-sealing ID numbers under a new key on PostgreSQL: what SQLite's does, and nothing left under the old key.
@Suite(.postgresDatabase, .enabled(if: TestPostgres.cluster != nil, "needs the throwaway cluster make test starts"))
struct PostgresLedgerPrivacyTests {
    let pins = TrackingPins(key: SymmetricKey(size: .bits256))
    let old = IdNumberSealer.Key(id: "k1", key: SymmetricKey(size: .bits256))
    let new = IdNumberSealer.Key(id: "k2", key: SymmetricKey(size: .bits256))

    @Test func resealingPutsEveryIdNumberUnderTheNewKeyAsOnSQLite() async throws {
        let before = IdNumberSealer(keys: [old])
        let rotated = IdNumberSealer(keys: [new, old])
        let onlyNew = IdNumberSealer(keys: [new])
        let intakes = try (1...3).map { try TestSupport.submission(key: "reseal-intake-\($0)", pins: pins, idNumbers: before) }

        let sqlite = try AppDatabase(DatabaseQueue(configuration: AppDatabase.configuration()), idNumbers: rotated)
        _ = try await sqlite.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
        let expected = [try await sqlite.resealIdNumbers(batch: 2), try await sqlite.resealIdNumbers(batch: 2)]
        #expect(expected.map(\.dossiers) == [3, 0] && expected.map(\.messages) == [3, 0])

        try await TestPostgres.withLedger { ledger in
            try await ledger.migrate()
            _ = try await ledger.acceptDossiers(intakes, series: .whole("PH"), pins: pins)
            let answers = [
                try await ledger.resealIdNumbers(with: rotated, batch: 2), try await ledger.resealIdNumbers(with: rotated, batch: 2),
            ]
            #expect(answers.map(\.dossiers) == expected.map(\.dossiers) && answers.map(\.messages) == expected.map(\.messages))
            var sealed: [String] = []
            for try await value in try await ledger.client.query("SELECT applicantIdSealed FROM dossier ORDER BY id").decode(String.self) {
                sealed.append(value)
            }
            var payloads: [String] = []
            for try await value in try await ledger.client.query("SELECT payload FROM outboxMessage ORDER BY id").decode(String.self) {
                payloads.append(value)
            }
            // The new key alone opens every one, to the number the counter typed.
            let typed = try before.open(intakes[0].sealedIdNumber)
            #expect(try sealed.map(onlyNew.open) == Array(repeating: typed, count: 3))
            #expect(payloads.allSatisfy { OneStopRegistration.openingIdNumber($0, with: onlyNew)?.contains("\"SoGiayTo\":\"\(typed)\"") == true })
        }
    }
}
