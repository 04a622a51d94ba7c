import Foundation
import GRDB
import OneStopSandbox

extension DemoSeed {
    /// Signed manifests already written, by office, agency and day, so that one desk's dossiers of a day share one.
    typealias Manifests = [String: Int64]

    /// Writes every life into the gateway's ledger in transactions of 20,000, and moves the serial counters past
    /// the numbers used. Answers how many result items were made, result-only orders' included.
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

    /// The one-stop's side of the same lives, for the sandbox beside the gateway: what it would hold by now, the post's
    /// dossiers in its ledger of them (`hoso`) and the result-only orders in its ledger of orders (`donKetQua`).
    func oneStopRows() -> some Sequence<SandboxLedgerEntry> {
        (0..<count).lazy.map { index -> SandboxLedgerEntry in
            let life = life(index)
            if let order = life.order { return .order(oneStopOrder(life, order)) }
            return .dossier(oneStopDossier(life))
        }
    }

    private func oneStopDossier(_ life: Life) -> SandboxLedgerRow {
        let progress = life.result?.events.last { ReturnProgress.State($0.code) != nil }
        return SandboxLedgerRow(
            maBuuGui: life.number.description, maTTHC: life.procedure.code, maCoQuan: life.agency.code, lePhi: life.procedure.fee,
            ngayGui: LocalTime.compact(life.acceptedAt), status: life.status?.status.rawValue ?? 1, maHoSo: life.oneStopCode,
            ngayHenTra: life.appointment?.compact, soBienBan: life.handover.map { _ in manifestNumber(life) },
            handoverAt: life.handover.map { LocalTime.compact($0.at) }, resultNumber: progress.flatMap { _ in life.result?.number.description },
            resultState: progress.flatMap { ReturnProgress.State($0.code)?.rawValue })
    }

    /// The order as the one-stop holds it once the gateway's reports have reached it: the item's number from the
    /// `TIEP_NHAN_DON` report, the latest progress since, and the desk's status. Placed through call 5 (the portal's
    /// order), whichever way the dossier itself was filed.
    private func oneStopOrder(_ life: Life, _ order: Order) -> SandboxLedgerOrder {
        // An order's item is made with the order, and its code given then: neither is ever missing.
        let result = life.result!
        let progress = result.events.compactMap { ReturnProgress.State($0.code) }.last ?? .orderTaken
        return SandboxLedgerOrder(
            maHoSo: life.oneStopCode!, maTTHC: life.procedure.code, maCoQuan: life.agency.code, kenhNop: order.channel == .desk ? 1 : 2,
            status: life.status?.status.rawValue ?? OneStopStatus.processing.rawValue, ngayHenTra: life.appointment?.compact,
            lePhiConNo: order.feeOwed, nguoiNhan: life.applicantName, soDienThoai: life.phone, diaChi: life.address,
            maDonViHanhChinh: order.unitCode, soLuongGiayTo: order.documentCount, tienThuKhiPhat: result.cashOnDelivery,
            cuocDaThanhToan: order.postagePaid, ngayDatHang: LocalTime.compact(life.acceptedAt), resultNumber: result.number.description,
            resultState: progress.rawValue)
    }

    func manifestNumber(_ life: Life) -> String {
        // Apart from the counter's own numbering (…-1, -2), and from another seed run's (its first serial).
        "BB-\(life.agency.servingOfficeCode)-\(life.handover!.day.compact)-S\(firstDossierSerial).\(agencyIndex[life.agency.code] ?? 0)"
    }

    /// The seed's statements, prepared once per transaction.
    private struct Statements {
        let dossier: Statement
        let order: Statement
        let item: Statement
        let event: Statement
        let message: Statement
        let manifest: Statement
        let manifestItem: Statement
        let postalCase: Statement

        init(_ db: Database) throws {
            dossier = try db.cachedStatement(
                sql: """
                    INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
                        applicantPhone, applicantAddress, resultAddress, documents, postage, administrativeFee, pinHash, transitScope, jDate,
                        dueDate, acceptedAt, acceptedBy, oneStopCode, oneStopStatus, oneStopStatusAt, appointmentDate, finishedAt, finishedStatus)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'seed', ?, ?, ?, ?, ?, ?)
                    """)
            // A result-only order's dossier row, as `AppDatabase.placeOrder` makes it: no ID number, no documents, nothing
            // sold at a counter, the delivery address and its commune.
            order = try db.cachedStatement(
                sql: """
                    INSERT INTO dossier (service, procedureCode, procedureName, agencyCode, officeCode, applicantName, applicantIdSealed,
                        applicantPhone, applicantAddress, resultAddress, resultUnitCode, documents, postage, administrativeFee, pinHash,
                        transitScope, jDate, dueDate, acceptedAt, acceptedBy, oneStopCode, oneStopStatus, oneStopStatusAt, appointmentDate,
                        finishedAt, finishedStatus, orderedVia)
                    VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, 'seed', ?, ?, ?, ?, ?, ?, ?)
                    """)
            item = try db.cachedStatement(
                sql: """
                    INSERT INTO item (dossierId, kind, trackingNumber, status, officeCode, dueDate, cashOnDelivery, createdAt, updatedAt,
                        documentCount)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            event = try db.cachedStatement(
                sql: """
                    INSERT INTO itemEvent (itemId, code, upuCode, occurredAt, officeCode, actor, note, recordedAt, attempt)
                    VALUES (?, ?, ?, ?, ?, 'seed', NULL, ?, ?)
                    """)
            message = try db.cachedStatement(
                sql: """
                    INSERT INTO outboxMessage (dossierId, kind, payload, state, attempts, nextAttemptAt, createdAt, updatedAt)
                    VALUES (?, ?, ?, 'delivered', 1, ?, ?, ?)
                    """)
            manifest = try db.cachedStatement(
                sql: """
                    INSERT INTO handover (number, agencyCode, officeCode, createdAt, createdBy, signedAt, receivedBy, signedBy)
                    VALUES (?, ?, ?, ?, 'seed', ?, 'Cán bộ Bộ phận Một cửa', 'seed')
                    """)
            manifestItem = try db.cachedStatement(sql: "INSERT INTO handoverItem (handoverId, itemId, isOpen) VALUES (?, ?, NULL)")
            postalCase = try db.cachedStatement(
                sql: """
                    INSERT INTO postalCase (itemId, origin, subject, openedAt, openedBy, dueDate, note, resolvedAt, resolvedBy, upheld, compensation,
                        resolution)
                    VALUES (?, ?, ?, ?, 'seed', ?, NULL, ?, ?, ?, ?, NULL)
                    """)
        }
    }

    private func insert(
        _ range: Range<Int>, manifests: inout Manifests, pins: TrackingPins, idNumbers: IdNumberSealer,
        in db: Database
    ) throws -> Int {
        let statements = try Statements(db)
        var results = 0
        for index in range {
            let life = life(index)
            if let order = life.order {
                try insertOrder(life, order, pins: pins, statements, in: db)
                results += 1
            } else if try insertDossier(life, manifests: &manifests, pins: pins, idNumbers: idNumbers, statements, in: db) {
                results += 1
            }
        }
        return results
    }

    /// A dossier the post carried, with its item, handover, result and case. Answers whether it has a result item.
    private func insertDossier(
        _ life: Life, manifests: inout Manifests, pins: TrackingPins, idNumbers: IdNumberSealer, _ statements: Statements,
        in db: Database
    ) throws -> Bool {
        let accepted = LedgerTime.string(life.acceptedAt)
        let documents = DossierRecord.Document.ledgerText(life.documents.map { .init(name: $0, copies: 1, kind: .original) })
        let pin = pins.pin(for: life.number)
        let sealedId = idNumbers.seal(life.idNumber)
        let status = life.status
        let finished = life.steps.first { $0.status.finishesDossier }
        try statements.dossier.execute(arguments: [
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
        try statements.item.execute(arguments: [
            dossierId, ItemKind.dossier.rawValue, life.number.description, (last?.code ?? .accepted).rawValue,
            last?.officeCode ?? life.officeCode, life.dueDate.description, 0, accepted,
            last.map { LedgerTime.string($0.at) } ?? accepted, nil,
        ])
        let itemId = db.lastInsertedRowID
        for event in [Event(code: .accepted, at: life.acceptedAt, officeCode: life.officeCode)] + life.events {
            let time = LedgerTime.string(event.at)
            try statements.event.execute(arguments: [itemId, event.code.rawValue, event.code.upuCode, time, event.officeCode, time, event.attempt])
        }
        try statements.message.execute(arguments: [
            dossierId, OutboxMessageRecord.Kind.registerDossier.rawValue, registration(life, sealedId: sealedId).canonicalText,
            accepted, accepted, accepted,
        ])

        if let handover = life.handover {
            let key = "\(life.agency.servingOfficeCode)|\(life.agency.code)|\(handover.day)"
            let signed = LedgerTime.string(handover.at)
            let number = manifestNumber(life)
            if manifests[key] == nil {
                try statements.manifest.execute(arguments: [number, life.agency.code, life.agency.servingOfficeCode, signed, signed])
                manifests[key] = db.lastInsertedRowID
            }
            try statements.manifestItem.execute(arguments: [manifests[key]!, itemId])
            let payload = JSONValue.object([
                "SoBienBan": .string(number), "ThoiDiemBanGiao": .string(LocalTime.compact(handover.at)),
                "NguoiNhan": .string("Cán bộ Bộ phận Một cửa"),
            ]).canonicalText
            try statements.message.execute(arguments: [
                dossierId, OutboxMessageRecord.Kind.reportHandover.rawValue, payload, signed, signed, signed,
            ])
        }

        var caseItemId = itemId
        if let result = life.result {
            let resultId = try insertResult(result, dossierId: dossierId, documentCount: nil, reports: .reportReturnProgress, statements, in: db)
            if life.postalCase?.onResult == true { caseItemId = resultId }
        }

        if let postalCase = life.postalCase {
            let due = PostalCaseRecord.dueDate(openedOn: LocalDate(postalCase.openedAt), scope: life.scope, calendar: reference.calendar)
            let resolution = postalCase.resolution
            try statements.postalCase.execute(arguments: [
                caseItemId, postalCase.origin.rawValue, postalCase.subject.rawValue,
                LedgerTime.string(postalCase.openedAt), due.description,
                resolution.map { LedgerTime.string($0.at) }, resolution.map { _ in "seed" },
                resolution.map { $0.upheld ? 1 : 0 }, resolution?.compensation ?? 0,
            ])
        }
        return life.result != nil
    }

    /// A result-only order as `AppDatabase.placeOrder` writes it, with what the desk's status callbacks and the result's
    /// scans wrote after: the dossier row keyed by its mã hồ sơ, the PIN of its result item, and no dossier item.
    private func insertOrder(_ life: Life, _ order: Order, pins: TrackingPins, _ statements: Statements, in db: Database) throws {
        let result = life.result!
        let status = life.status
        let finished = life.steps.first { $0.status.finishesDossier }
        try statements.order.execute(arguments: [
            ServiceType.resultOnly.rawValue, life.procedure.code, life.procedure.name, life.agency.code, life.officeCode, life.applicantName,
            life.phone, life.address, life.address, order.unitCode, DossierRecord.Document.ledgerText([]),
            pins.hash(pin: pins.pin(for: result.number), for: result.number), life.scope.rawValue, life.jDate.description,
            life.dueDate.description, LedgerTime.string(life.acceptedAt), life.oneStopCode, status?.status.rawValue,
            status.map { LedgerTime.string($0.at) }, life.appointment?.description,
            finished.map { LedgerTime.string($0.at) }, finished?.status.rawValue, order.channel.rawValue,
        ])
        _ = try insertResult(
            result, dossierId: db.lastInsertedRowID, documentCount: order.documentCount, reports: .reportOrderProgress, statements, in: db)
    }

    /// A result item, its events, and the reports the one-stop had of them: by the dossier's item number (call 3), or
    /// by a result-only order's mã hồ sơ (call 7), whose first report gives the one-stop the item's number when the
    /// item is made. Answers the item's id.
    private func insertResult(
        _ result: ResultItem, dossierId: Int64, documentCount: Int?, reports kind: OutboxMessageRecord.Kind, _ statements: Statements,
        in db: Database
    ) throws -> Int64 {
        let created = LedgerTime.string(result.createdAt)
        let last = result.events.last
        try statements.item.execute(arguments: [
            dossierId, ItemKind.result.rawValue, result.number.description, (last?.code ?? .created).rawValue,
            last?.officeCode ?? result.officeCode, result.dueDate?.description, result.cashOnDelivery,
            created, last.map { LedgerTime.string($0.at) } ?? created, documentCount,
        ])
        let resultId = db.lastInsertedRowID
        for event in [Event(code: .created, at: result.createdAt, officeCode: result.officeCode)] + result.events {
            let time = LedgerTime.string(event.at)
            try statements.event.execute(arguments: [resultId, event.code.rawValue, event.code.upuCode, time, event.officeCode, time, event.attempt])
            let state: ReturnProgress.State? =
                event.code == .created && kind == .reportOrderProgress ? .orderTaken : ReturnProgress.State(event.code)
            if let state {
                let payload = ReturnProgress(
                    resultNumber: result.number.description, state: state, at: event.at, attempt: event.attempt ?? 1, note: ""
                ).json()
                try statements.message.execute(arguments: [dossierId, kind.rawValue, payload, time, time, time])
            }
        }
        return resultId
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
