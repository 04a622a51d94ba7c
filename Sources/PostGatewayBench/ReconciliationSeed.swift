import Foundation
import GRDB
import OneStopSandbox
import PostGateway

/// Both ledgers of a province, generated to agree except for one dossier in `disagreeEvery`, which disagrees in
/// one class of finding (in turn), so that a run has real work to report.
struct ReconciliationSeed: Sendable {
    let count: Int
    let first: LocalDate
    let days: Int
    let disagreeEvery: Int
    let agencies: [ReferenceData.Agency]
    let procedures: [ReferenceData.Procedure]

    init(count: Int, first: LocalDate, days: Int, disagreeEvery: Int, reference: ReferenceData) {
        self.count = count
        self.first = first
        self.days = days
        self.disagreeEvery = disagreeEvery
        agencies = reference.agencies
        procedures = reference.procedures.filter(\.dossierByPost)
    }

    /// What dossier `index` looks like on the gateway's side.
    struct Dossier {
        let number: String
        let agency: String
        let procedure: String
        let fee: Int64
        let ngayGui: String
        let acceptedAt: Date
        let status: Int
        let code: String?
        let handoverAt: Date?
        let resultNumber: String?
        let resultState: String?
    }

    static let statuses = [1, 2, 2, 4, 4, 5, 9, 9, 10, 10, 10, 3]

    func dossier(_ index: Int) -> Dossier {
        let agency = agencies[index % agencies.count]
        let procedure = procedures[index % procedures.count]
        // In the order a counter takes them in: day by day, through office hours.
        let perDay = max(1, (count + days - 1) / days)
        let day = first.adding(days: index / perDay)
        let acceptedAt = day.startInstant.addingTimeInterval(Double(7 * 3600) + Double(index % perDay) * 36_000 / Double(perDay))
        let status = Self.statuses[index % Self.statuses.count]
        let handoverAt = status >= 2 ? acceptedAt.addingTimeInterval(86_400) : nil
        let hasResult = status == 9 || status == 10
        let compactDay = String(day.compact.dropFirst(2))
        return Dossier(
            number: TrackingNumber(prefix: "PH", serial: index + 1).description, agency: agency.code, procedure: procedure.code, fee: procedure.fee,
            ngayGui: LocalTime.compact(acceptedAt), acceptedAt: acceptedAt, status: status,
            code: status >= 2 ? "\(agency.code)-\(compactDay)-\(LocalTime.pad(index + 1, 7))" : nil, handoverAt: handoverAt,
            resultNumber: hasResult ? TrackingNumber(prefix: "PK", serial: index + 1).description : nil,
            resultState: status == 10 ? "DA_PHAT" : hasResult ? "DA_NHAN_KET_QUA" : nil)
    }

    func writeGateway(_ database: AppDatabase) async throws {
        let batch = 50_000
        for start in stride(from: 0, to: count, by: batch) {
            let range = start..<min(count, start + batch)
            let sealedId = database.idNumbers.seal("019090001234")
            try await database.write { db in try self.insert(range, sealedId: sealedId, in: db) }
        }
    }

    private func insert(_ range: Range<Int>, sealedId: String, in db: Database) throws {
        let dossierRow = try db.cachedStatement(
            sql: """
                INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed, applicantPhone,
                    applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope, jDate, dueDate, acceptedAt,
                    acceptedBy, oneStopCode, oneStopStatus, oneStopStatusAt, finishedAt, finishedStatus)
                VALUES ('sendAndReturn', ?, 'Thủ tục', ?, '250000', 'Nguyễn Văn An', ?, '0912345678', 'Số 12', 'Số 12', '[]',
                    30000, ?, '', 'sameZone', ?, ?, ?, 'benchmark', ?, ?, ?, ?, ?)
                """)
        let item = try db.cachedStatement(
            sql: """
                INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, dueDate, cashOnDelivery, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, '250000', NULL, 0, ?, ?)
                """)
        let message = try db.cachedStatement(
            sql: """
                INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                VALUES (?, ?, ?, 'delivered', 1, ?, ?, ?)
                """)
        let handover = try db.cachedStatement(
            sql: """
                INSERT INTO handover (number, agencyCode, officeCode, createdAt, createdBy, signedAt, receivedBy, signedBy)
                VALUES (?, ?, '250000', ?, 'benchmark', ?, 'Cán bộ một cửa', 'benchmark')
                """)
        let handoverItem = try db.cachedStatement(sql: "INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (?, ?, NULL)")
        for index in range {
            let dossier = dossier(index)
            let at = LedgerTime.string(dossier.acceptedAt)
            let day = LocalDate(dossier.acceptedAt).description
            // A dossier written finished names its finish (v17), as a status update would have had its trigger do.
            let finished = OneStopStatus(rawValue: dossier.status)?.finishesDossier == true
            try dossierRow.execute(arguments: [
                dossier.procedure, dossier.agency, sealedId, dossier.fee, day, day, at, dossier.code,
                dossier.status, at, finished ? at : nil, finished ? dossier.status : nil,
            ])
            let id = db.lastInsertedRowID
            try item.execute(arguments: [id, "dossier", dossier.number, dossier.status == 1 ? "accepted" : "handedOver", at, at])
            let itemId = db.lastInsertedRowID
            try message.execute(arguments: [id, "registerDossier", "{\"MaBuuGui\":\"\(dossier.number)\"}", at, at, at])
            if let handoverAt = dossier.handoverAt {
                let signed = LedgerTime.string(handoverAt)
                try handover.execute(arguments: ["BB-\(dossier.number)", dossier.agency, signed, signed])
                try handoverItem.execute(arguments: [db.lastInsertedRowID, itemId])
                try message.execute(arguments: [id, "reportHandover", "{}", signed, signed, signed])
            }
            if let resultNumber = dossier.resultNumber, let state = dossier.resultState {
                try item.execute(arguments: [id, "result", resultNumber, state == "DA_PHAT" ? "delivered" : "pickedUp", at, at])
                try message.execute(arguments: [id, "reportReturnProgress", "{\"TrangThai\":\"\(state)\"}", at, at, at])
            }
        }
    }

    /// The one-stop's side: the same dossiers, with every `disagreeEvery`-th one changed or left out.
    func oneStopRows() -> some Sequence<SandboxLedgerRow> {
        (0..<count).lazy.compactMap { index -> SandboxLedgerRow? in
            let dossier = dossier(index)
            var row = SandboxLedgerRow(
                maBuuGui: dossier.number, maTTHC: dossier.procedure, maCoQuan: dossier.agency, lePhi: dossier.fee, ngayGui: dossier.ngayGui,
                status: dossier.status, maHoSo: dossier.code, ngayHenTra: nil, soBienBan: dossier.handoverAt.map { _ in "BB-\(dossier.number)" },
                handoverAt: dossier.handoverAt.map(LocalTime.compact), resultNumber: dossier.resultNumber, resultState: dossier.resultState)
            guard index % disagreeEvery == disagreeEvery - 1 else { return row }
            switch (index / disagreeEvery) % 6 {
            case 0: return nil  // missing at the one-stop
            case 1: row.status = dossier.status == 10 ? 9 : min(dossier.status + 1, 10)
            case 2: row.lePhi += 1_000
            case 3:
                row.handoverAt = nil
                row.soBienBan = nil
            case 4:
                row.resultState = nil
                row.resultNumber = nil
            default: row.maHoSo = row.maHoSo.map { $0 + "X" }
            }
            return row
        }
    }
}
