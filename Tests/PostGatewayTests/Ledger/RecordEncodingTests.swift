import Foundation
import GRDB
import Testing

@testable import PostGateway

/// The records intake writes encode themselves by hand (see `DossierRecord.encode(to:)`): a stored property added and
/// not written, or written under another name, would be lost without a word. Each record here has every property set
/// to a value that is not its default, and must come back from the ledger the same.
@Suite struct RecordEncodingTests {
    static let at = Date(timeIntervalSince1970: 1_780_000_000.125)

    static func dossier() -> DossierRecord {
        DossierRecord(
            service: .sendAndReturn, procedureCode: "2.000635", procedureName: "Cấp bản sao trích lục khai sinh", agencyCode: "000.42.20.H55",
            officeCode: "250000", applicantName: "Nguyễn Thị Hồng Nhung", applicantIdSealed: "aesgcm:sealed", applicantPhone: "0912345678",
            applicantEmail: "nhung@example.vn", applicantAddress: "Số 12, tổ 5", resultAddress: "Số 12/3 \"ngõ\" 5 — 𠀧",
            resultUnitCode: "05443", resultProvinceCode: "19",
            documents: [.init(name: "Tờ khai \"bản chính\" / 𠀧", copies: 2, kind: .original), .init(name: "CCCD", copies: 1, kind: .copy)],
            postage: 30_000, administrativeFee: 8_000, note: "ghi chú", pinHash: "pin-hash", transitScope: .sameProvince,
            jDate: "2026-12-07", dueDate: "2026-12-10", oneStopCode: "H55.99-261207-0001", oneStopStatus: 2,
            appointmentDate: "2026-12-20", acceptedAt: at, acceptedBy: "clerk-1", oneStopStatusAt: at.addingTimeInterval(60),
            oneStopNote: "bổ sung", supplementOf: nil, orderedVia: nil, notifyBy: .zalo)
    }

    /// The record's stored properties, by name, beside the columns it writes.
    static func names(of record: some EncodableRecord) throws -> (properties: Set<String>, columns: Set<String>) {
        (Set(Mirror(reflecting: record).children.compactMap(\.label)), Set(try record.databaseDictionary.keys))
    }

    @Test func everyStoredPropertyOfTheHandEncodedRecordsIsAColumnUnderItsOwnName() throws {
        let records: [any EncodableRecord] = [
            Self.dossier(),
            ItemRecord(
                dossierId: 1, kind: .dossier, trackingNumber: "PH000000001VN", status: .accepted, officeCode: "250000", dueDate: "2026-12-10",
                cashOnDelivery: 0, createdAt: Self.at, updatedAt: Self.at),
            ItemEventRecord(
                itemId: 1, code: .accepted, upuCode: "EMA", occurredAt: Self.at, officeCode: "250000", actor: "clerk-1", note: nil,
                recordedAt: Self.at),
            OutboxMessageRecord(
                dossierId: 1, kind: .registerDossier, payload: "{}", state: .pending, attempts: 0, nextAttemptAt: Self.at, createdAt: Self.at,
                updatedAt: Self.at),
            IdempotencyKeyRecord(key: "k", requestHash: "h", dossierId: 1, createdAt: Self.at),
        ]
        for record in records {
            let (properties, columns) = try Self.names(of: record)
            #expect(properties == columns, "\(type(of: record))")
        }
    }

    @Test func theHandEncodedRecordsComeBackFromTheLedgerAsTheyWereWritten() async throws {
        let database = try TestSupport.ledger()
        try await database.write { db in
            var original = Self.dossier()
            original.oneStopCode = "H55.99-261207-0000"
            try original.insert(db)
            var supplement = Self.dossier()
            supplement.supplementOf = original.id
            try supplement.insert(db)
            let dossierId = try #require(supplement.id)
            #expect(try DossierRecord.fetchOne(db, key: dossierId)?.databaseDictionary == supplement.databaseDictionary)
            #expect(try DossierRecord.fetchOne(db, key: dossierId)?.documents == supplement.documents)
            // A result-only order: the one kind of dossier with a channel it was ordered through, and no identity number.
            var order = Self.dossier()
            order.service = .resultOnly
            order.orderedVia = .portal
            order.applicantIdSealed = nil
            order.oneStopCode = "H55.99-261207-0002"
            try order.insert(db)
            #expect(try DossierRecord.fetchOne(db, key: try #require(order.id))?.databaseDictionary == order.databaseDictionary)

            var item = ItemRecord(
                dossierId: dossierId, kind: .result, trackingNumber: "PK000000019VN", status: .delivered, officeCode: "250000",
                dueDate: "2026-12-10", cashOnDelivery: 15_000, createdAt: Self.at, updatedAt: Self.at.addingTimeInterval(1), documentCount: 3)
            try item.insert(db)
            let itemId = try #require(item.id)
            #expect(try ItemRecord.fetchOne(db, key: itemId)?.databaseDictionary == item.databaseDictionary)

            var event = ItemEventRecord(
                itemId: itemId, code: .deliveryFailed, upuCode: "EMH", occurredAt: Self.at, officeCode: "250000", actor: "postman-2",
                note: "vắng nhà", recordedAt: Self.at.addingTimeInterval(2), attempt: 2, identityChecked: true)
            try event.insert(db)
            #expect(try ItemEventRecord.fetchOne(db, key: try #require(event.id))?.databaseDictionary == event.databaseDictionary)

            var message = OutboxMessageRecord(
                dossierId: dossierId, kind: .reportOrderProgress, payload: #"{"a":1}"#, state: .dead, attempts: 7,
                nextAttemptAt: Self.at, lastError: "HTTP 500", createdAt: Self.at, retryFrom: Self.at.addingTimeInterval(3),
                updatedAt: Self.at.addingTimeInterval(4), refused: true)
            try message.insert(db)
            #expect(try OutboxMessageRecord.fetchOne(db, key: try #require(message.id))?.databaseDictionary == message.databaseDictionary)

            let key = IdempotencyKeyRecord(key: "clerk-1:k-1", requestHash: "hash", dossierId: dossierId, createdAt: Self.at)
            try key.insert(db)
            #expect(try IdempotencyKeyRecord.find("clerk-1:k-1", in: db)?.databaseDictionary == key.databaseDictionary)
            #expect(try IdempotencyKeyRecord.find("clerk-1:k-2", in: db) == nil)
        }
    }
}
