import Foundation
import GRDB
import OneStopSandbox

extension DemoSeed {
    /// Signed manifests already written, by office, agency and day, so that one desk's dossiers of a day share one.
    typealias Manifests = [String: Int64]

    /// Writes every dossier into the gateway's ledger in transactions of 20,000, and moves the serial counters past
    /// the numbers used. Answers how many result items were made.
    @discardableResult
    func writeGateway(_ database: AppDatabase, pins: TrackingPins) async throws -> Int {
        var manifests: Manifests = [:]
        var results = 0
        for start in stride(from: 0, to: count, by: 20_000) {
            let range = start..<min(count, start + 20_000)
            (manifests, results) = try await database.write { [manifests, results] db in
                var manifests = manifests
                let made = try self.insert(range, manifests: &manifests, pins: pins, idNumbers: database.idNumbers, in: db)
                return (manifests, results + made)
            }
        }
        try await database.write { [count] db in
            try db.execute(
                sql: """
                    INSERT INTO serialCounter (prefix, lastSerial) VALUES (?, ?), (?, ?)
                    ON CONFLICT(prefix) DO UPDATE SET lastSerial = max(lastSerial, excluded.lastSerial)
                    """, arguments: [dossierPrefix, firstDossierSerial + count - 1, resultPrefix, firstResultSerial + count - 1])
        }
        return results
    }

    /// The one-stop's side of the same dossiers, for the sandbox beside the gateway: what it would hold by now.
    func oneStopRows() -> some Sequence<SandboxLedgerRow> {
        (0..<count).lazy.map { index in
            let life = life(index)
            let progress = life.result?.events.last { ReturnProgress.State($0.code) != nil }
            return SandboxLedgerRow(
                maBuuGui: life.number.description, maTTHC: life.procedure.code, maCoQuan: life.agency.code, lePhi: life.procedure.fee,
                ngayGui: LocalTime.compact(life.acceptedAt), status: life.status?.status.rawValue ?? 1, maHoSo: life.oneStopCode,
                ngayHenTra: life.appointment?.compact, soBienBan: life.handover.map { _ in manifestNumber(life) },
                handoverAt: life.handover.map { LocalTime.compact($0.at) }, resultNumber: progress.flatMap { _ in life.result?.number.description },
                resultState: progress.flatMap { ReturnProgress.State($0.code)?.rawValue })
        }
    }

    func manifestNumber(_ life: Life) -> String {
        // Apart from the counter's own numbering (…-1, -2), and from another seed run's (its first serial).
        "BB-\(life.agency.servingOfficeCode)-\(life.handover!.day.compact)-S\(firstDossierSerial).\(agencyIndex[life.agency.code] ?? 0)"
    }

    private func insert(
        _ range: Range<Int>, manifests: inout Manifests, pins: TrackingPins, idNumbers: IdNumberSealer,
        in db: Database
    ) throws -> Int {
        let dossierRow = try db.cachedStatement(
            sql: """
                INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed, applicantPhone,
                    applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope, jDate, dueDate, acceptedAt,
                    acceptedBy, oneStopCode, oneStopStatus, oneStopStatusAt, appointmentDate, finishedAt, finishedStatus)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seed', ?, ?, ?, ?, ?, ?)
                """)
        let itemRow = try db.cachedStatement(
            sql: """
                INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, dueDate, cashOnDelivery, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let eventRow = try db.cachedStatement(
            sql: """
                INSERT INTO itemEvent (itemId, code, upuCode, occurredAt, officeCode, actor, note, recordedAt, attempt)
                VALUES (?, ?, ?, ?, ?, 'seed', NULL, ?, ?)
                """)
        let messageRow = try db.cachedStatement(
            sql: """
                INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                VALUES (?, ?, ?, 'delivered', 1, ?, ?, ?)
                """)
        let manifestRow = try db.cachedStatement(
            sql: """
                INSERT INTO handover (number, agencyCode, officeCode, createdAt, createdBy, signedAt, receivedBy, signedBy)
                VALUES (?, ?, ?, ?, 'seed', ?, 'Cán bộ Bộ phận Một cửa', 'seed')
                """)
        let manifestItemRow = try db.cachedStatement(sql: "INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (?, ?, NULL)")
        let caseRow = try db.cachedStatement(
            sql: """
                INSERT INTO postalCase (itemId, origin, subject, openedAt, openedBy, dueDate, note, resolvedAt, resolvedBy, upheld, compensation, resolution)
                VALUES (?, ?, ?, ?, 'seed', ?, NULL, ?, ?, ?, ?, NULL)
                """)
        var results = 0
        for index in range {
            let life = life(index)
            let accepted = LedgerTime.string(life.acceptedAt)
            let documents = DossierRecord.Document.ledgerText(life.documents.map { .init(name: $0, copies: 1, kind: .original) })
            let pin = pins.pin(for: life.number)
            let sealedId = idNumbers.seal(life.idNumber)
            let status = life.status
            let finished = life.steps.first { $0.status.finishesDossier }
            try dossierRow.execute(arguments: [
                life.service.rawValue, life.procedure.code, life.procedure.name, life.agency.code, life.officeCode, life.applicantName,
                sealedId, life.phone, life.address, life.service == .sendAndReturn ? life.address : nil, documents,
                life.postage, life.procedure.fee, pins.hash(pin: pin, for: life.number), life.scope.rawValue, life.jDate.description,
                life.dueDate.description, accepted, life.oneStopCode, status?.status.rawValue,
                status.map { LedgerTime.string($0.at) }, life.appointment?.description,
                // Written here (no trigger does it for an insert since v17), from the first final status, not the
                // last: a result delivered later was still resolved the day it was ready.
                finished.map { LedgerTime.string($0.at) }, finished?.status.rawValue,
            ])
            let dossierId = db.lastInsertedRowID
            let last = life.events.last
            try itemRow.execute(arguments: [
                dossierId, "dossier", life.number.description, (last?.code ?? .accepted).rawValue,
                last?.officeCode ?? life.officeCode, life.dueDate.description, 0, accepted,
                last.map { LedgerTime.string($0.at) } ?? accepted,
            ])
            let itemId = db.lastInsertedRowID
            for event in [Event(code: .accepted, at: life.acceptedAt, officeCode: life.officeCode)] + life.events {
                let time = LedgerTime.string(event.at)
                try eventRow.execute(arguments: [itemId, event.code.rawValue, event.code.upuCode, time, event.officeCode, time, event.attempt])
            }
            try messageRow.execute(arguments: [
                dossierId, "registerDossier", registration(life, sealedId: sealedId).canonicalText, accepted, accepted, accepted,
            ])

            if let handover = life.handover {
                let key = "\(life.agency.servingOfficeCode)|\(life.agency.code)|\(handover.day)"
                let signed = LedgerTime.string(handover.at)
                let number = manifestNumber(life)
                if manifests[key] == nil {
                    try manifestRow.execute(arguments: [number, life.agency.code, life.agency.servingOfficeCode, signed, signed])
                    manifests[key] = db.lastInsertedRowID
                }
                try manifestItemRow.execute(arguments: [manifests[key]!, itemId])
                let payload = JSONValue.object([
                    "SoBienBan": .string(number), "ThoiDiemBanGiao": .string(LocalTime.compact(handover.at)),
                    "NguoiNhan": .string("Cán bộ Bộ phận Một cửa"),
                ]).canonicalText
                try messageRow.execute(arguments: [dossierId, "reportHandover", payload, signed, signed, signed])
            }

            var caseItemId = itemId
            if let result = life.result {
                results += 1
                let created = LedgerTime.string(result.createdAt)
                let lastResult = result.events.last
                try itemRow.execute(arguments: [
                    dossierId, "result", result.number.description, (lastResult?.code ?? .created).rawValue,
                    lastResult?.officeCode ?? result.officeCode, result.dueDate.description, result.cashOnDelivery,
                    created, lastResult.map { LedgerTime.string($0.at) } ?? created,
                ])
                let resultId = db.lastInsertedRowID
                if life.postalCase?.onResult == true { caseItemId = resultId }
                for event in [Event(code: .created, at: result.createdAt, officeCode: result.officeCode)] + result.events {
                    let time = LedgerTime.string(event.at)
                    try eventRow.execute(arguments: [resultId, event.code.rawValue, event.code.upuCode, time, event.officeCode, time, event.attempt])
                    if let state = ReturnProgress.State(event.code) {
                        let payload = ReturnProgress(
                            resultNumber: result.number.description, state: state, at: event.at,
                            attempt: event.attempt ?? 1, note: ""
                        ).json()
                        try messageRow.execute(arguments: [dossierId, "reportReturnProgress", payload, time, time, time])
                    }
                }
            }

            if let postalCase = life.postalCase {
                let due = PostalCaseRecord.dueDate(openedOn: LocalDate(postalCase.openedAt), scope: life.scope, calendar: reference.calendar)
                let resolution = postalCase.resolution
                try caseRow.execute(arguments: [
                    caseItemId, postalCase.origin.rawValue, postalCase.subject.rawValue,
                    LedgerTime.string(postalCase.openedAt), due.description,
                    resolution.map { LedgerTime.string($0.at) }, resolution.map { _ in "seed" },
                    resolution.map { $0.upheld ? 1 : 0 }, resolution?.compensation ?? 0,
                ])
            }
        }
        return results
    }

    /// The registration the gateway would have sent (ONESTOP_API.md §2), so that a resend after seeding is real.
    private func registration(_ life: Life, sealedId: String) -> JSONValue {
        .object([
            "MaBuuGui": .string(life.number.description), "MaTTHC": .string(life.procedure.code), "MaCoQuan": .string(life.agency.code),
            "KenhThucHien": .integer(Int64(OneStopRegistration.postalChannel)), "LoaiDichVu": .integer(Int64(life.service.oneStopCode)),
            "ChuHoSo": .string(life.applicantName), "SoGiayTo": .string(sealedId), "SoDienThoai": .string(life.phone), "Email": .string(""),
            "DiaChi": .string(life.address), "HinhThucTraKetQua": .integer(life.service.resultByPost ? 1 : 0),
            "DiaChiNhanKetQua": .string(life.service == .sendAndReturn ? life.address : ""),
            "DanhSachGiayTo": .array(life.documents.map { .object(["TenGiayTo": .string($0), "SoLuong": .integer(1), "LoaiBan": .integer(1)]) }),
            "LePhi": .integer(life.procedure.fee), "NgayGui": .string(LocalTime.compact(life.acceptedAt)),
        ])
    }
}
