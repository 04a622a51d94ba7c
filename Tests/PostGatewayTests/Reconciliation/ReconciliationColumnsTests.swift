import Foundation
import GRDB
import Testing

@testable import PostGateway

/// Migration v8: the handover time and the last reported return progress kept beside the rows the nightly
/// reconciliation reads, filled from an older ledger and kept by triggers whoever writes.
@Suite(.temporaryFolder) struct ReconciliationColumnsTests {
    static func insertDossier(_ db: Database, number: String, sealed: String) throws -> (dossier: Int64, item: Int64) {
        try db.execute(
            sql: """
                INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed, applicantPhone,
                    applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope, jDate, dueDate, acceptedAt, acceptedBy)
                VALUES ('sendAndReturn', 'p', 'p', 'a', '250000', 'n', ?, '0912345678', 'x', 'x', '[]', 0, 0, 'h', 'sameZone',
                    '2026-11-23', '2026-11-24', '2026-11-23 02:30:00.000', 'test')
                """, arguments: [sealed])
        let dossier = db.lastInsertedRowID
        try db.execute(
            sql: """
                INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, cashOnDelivery, createdAt, updatedAt)
                VALUES (?, 'dossier', ?, 'arrived', '250000', 0, 'now', 'now')
                """, arguments: [dossier, number])
        return (dossier, db.lastInsertedRowID)
    }

    static func handover(_ db: Database, number: String, signedAt: String?, items: [Int64]) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO handover (number, agencyCode, officeCode, createdAt, createdBy, signedAt, receivedBy, signedBy)
                VALUES (?, 'a', '250000', 'now', 'test', ?, ?, ?)
                """, arguments: [number, signedAt, signedAt.map { _ in "r" }, signedAt.map { _ in "s" }])
        let id = db.lastInsertedRowID
        for item in items { try db.execute(sql: "INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (?, ?, NULL)", arguments: [id, item]) }
        return id
    }

    static func progress(_ db: Database, dossier: Int64, state: String) throws {
        try db.execute(
            sql: """
                INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                VALUES (?, 'reportReturnProgress', ?, 'delivered', 1, 'now', 'now', 'now')
                """, arguments: [dossier, #"{"MaBuuGuiKetQua":"PK000000014VN","TrangThai":"\#(state)"}"#])
    }

    static func columns(_ db: Database, _ ids: (dossier: Int64, item: Int64)) throws -> (String?, String?) {
        (
            try String.fetchOne(db, sql: "SELECT handedOverAt FROM item WHERE id = ?", arguments: [ids.item]),
            try String.fetchOne(db, sql: "SELECT reportedReturnState FROM dossier WHERE id = ?", arguments: [ids.dossier])
        )
    }

    @Test func anOlderLedgerIsFilledByTheMigrationAndTriggersKeepTheColumnsAfter() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let sealed = idNumbers.seal("019190001234")
        let pool = try TestSupport.ledger(migratedUpTo: "v7: staff accounts, API tokens, the audit log, sealed ID numbers", idNumbers: idNumbers)
        let old = try await pool.write { db in
            let signed = try Self.insertDossier(db, number: "PH000000014VN", sealed: sealed)
            _ = try Self.handover(db, number: "BB-1", signedAt: "2026-11-23 07:00:00.000", items: [signed.item])
            try Self.progress(db, dossier: signed.dossier, state: "DANG_PHAT")
            try Self.progress(db, dossier: signed.dossier, state: "DA_PHAT")
            let unsigned = try Self.insertDossier(db, number: "PH000000028VN", sealed: sealed)
            _ = try Self.handover(db, number: "BB-2", signedAt: nil, items: [unsigned.item])
            return (signed, unsigned)
        }
        let database = try AppDatabase(pool, idNumbers: idNumbers)
        try await database.read { db in
            let signed = try Self.columns(db, old.0)
            let unsigned = try Self.columns(db, old.1)
            #expect(signed.0 == "2026-11-23 07:00:00.000" && signed.1 == "DA_PHAT", "the last progress, not the first")
            #expect(unsigned.0 == nil && unsigned.1 == nil)
        }
        try await database.write { db in
            // Signing the open manifest, a manifest written signed before its items, and progress reported later.
            try db.execute(sql: "UPDATE handover SET signedAt = '2026-11-24 03:15:00.000', receivedBy = 'r', signedBy = 's' WHERE number = 'BB-2'")
            let late = try Self.insertDossier(db, number: "PH000000031VN", sealed: sealed)
            _ = try Self.handover(db, number: "BB-3", signedAt: "2026-11-24 04:00:00.000", items: [late.item])
            try Self.progress(db, dossier: old.1.dossier, state: "DA_NHAN_KET_QUA")
            try Self.progress(db, dossier: old.0.dossier, state: "PHAT_KHONG_THANH_CONG")
            #expect(try Self.columns(db, old.1) == ("2026-11-24 03:15:00.000", "DA_NHAN_KET_QUA"))
            #expect(try Self.columns(db, late) == ("2026-11-24 04:00:00.000", nil))
            #expect(try Self.columns(db, old.0).1 == "PHAT_KHONG_THANH_CONG")
        }
    }
}
