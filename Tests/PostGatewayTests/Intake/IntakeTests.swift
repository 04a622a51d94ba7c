import Crypto
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import PostGateway

@Suite(.temporaryFolder) struct IntakeTests {
    @Test func aValidIntakeIsAcceptedWithTrackingNumberPinDueDateAndLinks() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            #expect(response.status == .created)
            let receipt = try response.decoded(as: Answer.IntakeReceipt.self)
            let number = try TrackingNumber(parsing: receipt.trackingNumber)
            #expect(number.prefix == "PH")
            #expect(response.headers[.location] == "/api/v1/dossiers/\(number)")
            #expect(receipt.trackingPin.count == 6)
            #expect(receipt.status == "accepted")
            #expect(receipt.dueDate == "2026-11-24")  // same district: J + 1 working day
            #expect(receipt.acceptedAt == "2026-11-23T09:30:00.000+07:00")
            #expect(receipt.links.tracking == "https://tracuu.example.vn/t/\(number)")
            #expect(receipt.links.receipt == "/api/v1/dossiers/\(number)/receipt")
            #expect(receipt.warnings.isEmpty)
        }
        #expect(
            try await TestSupport.counts(dependencies.database) == [
                "dossier": 1, "item": 1, "itemEvent": 1, "outboxMessage": 1, "idempotencyKey": 1, "handover": 0, "handoverItem": 0,
            ])
    }

    /// Circular 17 Art 7: when the agency's appointment slip must also reach the citizen, n doubles (J + 2 for the
    /// same district), counted in working days.
    @Test func anAppointmentSlipByPostDoublesTheTransitDeadline() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            for (flag, due) in [(false, "2026-11-24"), (true, "2026-11-25")] {
                let response = try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                    body: TestSupport.json(TestSupport.intake { $0["appointmentSlipByPost"] = flag }))
                #expect(response.status == .created)
                #expect(try response.decoded(as: Answer.IntakeReceipt.self).dueDate == due, "slip by post: \(flag)")
            }
        }
    }

    @Test func theLedgerHoldsThePhieuItsFirstEventAndTheOneStopRegistration() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        let number = try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                body: TestSupport.json(TestSupport.intake()))
            return try response.decoded(as: Answer.IntakeReceipt.self).trackingNumber
        }
        let (dossier, event, message) = try await dependencies.database.read { db in
            (try DossierRecord.fetchOne(db)!, try ItemEventRecord.fetchOne(db)!, try OutboxMessageRecord.fetchOne(db)!)
        }
        #expect(dossier.applicantPhone == "0912345678")
        #expect(dossier.transitScope == .sameZone)
        #expect(dossier.jDate == "2026-11-23")
        #expect(event.code == .accepted && event.upuCode == "EMA" && event.officeCode == "250000")
        #expect(message.kind == .registerDossier && message.state == .pending)
        let registration = try JSONDecoder().decode(OneStopRegistration.self, from: Data(message.payload.utf8))
        #expect(registration.MaBuuGui == number)
        #expect(registration.KenhThucHien == 3 && registration.LoaiDichVu == 3 && registration.HinhThucTraKetQua == 1)
        #expect(registration.LePhi == 8000)
        #expect(registration.NgayGui == "20261123093000")
        #expect(registration.DanhSachGiayTo.map(\.LoaiBan) == [1, 2])
        // The PIN is not stored; only a keyed hash that checks it.
        #expect(!dossier.pinHash.contains(dependencies.pins.pin(for: try TrackingNumber(parsing: number))))
        #expect(
            dependencies.pins.matches(
                pin: dependencies.pins.pin(for: try TrackingNumber(parsing: number)),
                for: try TrackingNumber(parsing: number), storedHash: dossier.pinHash))
    }

    @Test func anOfficeInAnotherDistrictGetsJPlusTwoAndAFeeOffTheCatalogueIsAWarning() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let body = TestSupport.intake {
                $0["officeCode"] = "256400"
                $0["fees"] = ["postage": 30000, "administrativeFee": 10000]
            }
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: TestSupport.json(body))
            #expect(response.status == .created)
            let answer = try response.decoded(as: Answer.IntakeReceipt.self)
            #expect(answer.dueDate == "2026-11-25")
            #expect(answer.warnings.map(\.code) == ["feeDiffersFromCatalogue"])
            #expect(answer.warnings.map(\.field) == ["fees.administrativeFee"])
            #expect(answer.warnings.first?.message.contains("10000") == true)
            // Written by hand into bytes, the receipt is still canonical JSON text: sorted keys, nothing between them.
            let text = String(buffer: response.body)
            #expect(try JSONValue(parsing: Data(text.utf8)).canonicalText == text)
            let number = answer.trackingNumber
            #expect(
                try response.decoded(as: Answer.ReceiptLinks.self).links == [
                    "self": "/api/v1/dossiers/\(number)", "label": "/api/v1/labels/\(number)?format=svg",
                    "receipt": "/api/v1/dossiers/\(number)/receipt",
                    "tracking": "https://tracuu.example.vn/t/\(number)",
                ])
        }
    }

    @Test func aSendOnlyDossierNeedsNoResultAddress() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let body = TestSupport.intake {
                $0["service"] = "sendOnly"
                $0["resultAddress"] = nil
                $0["resultAddressUnitCode"] = nil
            }
            let response = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(), body: TestSupport.json(body))
            #expect(response.status == .created)
        }
    }

    @Test func aReplayReturnsTheFirstAnswerAndWritesNothing() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let headers = TestSupport.headers(key: "counter-250000-0001")
            let first = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: headers, body: TestSupport.json(TestSupport.intake()))
            // The same JSON with its keys in another order is the same request.
            let reordered = ByteBuffer(
                bytes: try JSONSerialization.data(withJSONObject: TestSupport.intake(), options: [.sortedKeys, .prettyPrinted]))
            let second = try await client.execute(uri: "/api/v1/dossiers", method: .post, headers: headers, body: reordered)
            #expect(first.status == .created && second.status == .created)
            #expect(second.headers[.idempotentReplayed] == "true")
            // The receipt is written with sorted keys, so the same answer is the same bytes.
            _ = try first.decoded(as: Answer.IntakeReceipt.self)
            #expect(first.body == second.body, "\(String(buffer: first.body)) vs \(String(buffer: second.body))")
        }
        #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 1)
    }

    @Test func aReusedKeyWithAnotherBodyIsRefused() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let headers = TestSupport.headers(key: "counter-250000-0002")
            _ = try await client.execute(uri: "/api/v1/dossiers", method: .post, headers: headers, body: TestSupport.json(TestSupport.intake()))
            let other = TestSupport.intake { $0["note"] = "Khác" }
            let response = try await client.execute(uri: "/api/v1/dossiers", method: .post, headers: headers, body: TestSupport.json(other))
            #expect(response.status == .unprocessableContent)
            #expect(try response.problem.codes == ["Idempotency-Key": "idempotencyKeyReused"])
        }
        #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 1)
    }

    /// Each office's counters number their keys their own way: two offices' `QUAY-000001` are two intakes.
    @Test func keysAreScopedToTheOfficeThatTakesTheDossierIn() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            let headers = TestSupport.headers(key: "QUAY-000001")
            let here = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: headers, body: TestSupport.json(TestSupport.intake()))
            let elsewhere = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: headers,
                body: TestSupport.json(TestSupport.intake { $0["officeCode"] = AccessMatrixTests.other }))
            #expect(here.status == .created && elsewhere.status == .created)
            #expect(elsewhere.headers[.idempotentReplayed] == nil)
            let replay = try await client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: headers, body: TestSupport.json(TestSupport.intake()))
            #expect(replay.headers[.idempotentReplayed] == "true")
            #expect(
                try replay.decoded(as: Answer.IntakeReceipt.self).trackingNumber == here.decoded(as: Answer.IntakeReceipt.self).trackingNumber)
        }
        #expect(try await TestSupport.counts(dependencies.database)["dossier"] == 2)
    }

    /// Migration v12 scopes the keys already written, so a replay that spans the upgrade still finds its dossier.
    @Test func aKeyWrittenBeforeKeysWereScopedStillFindsItsDossier() async throws {
        let idNumbers = IdNumberSealer.ephemeral()
        let pins = TrackingPins(key: SymmetricKey(size: .bits256))
        let validator = IntakeValidator(
            reference: TestSupport.reference, pins: pins,
            idNumbers: idNumbers)
        let submission = try validator.validate(
            try JSONValue(parsing: Data(buffer: TestSupport.json(TestSupport.intake()))),
            idempotencyKey: "QUAY-000001", acceptedAt: TestSupport.mondayMorning, acceptedBy: "test")
        let pool = try TestSupport.ledger(migratedUpTo: "v11: open manifests can be cancelled", idNumbers: idNumbers)
        try await pool.write { db in
            let ids = try ReconciliationColumnsTests.insertDossier(db, number: "PH000000014VN", sealed: idNumbers.seal("019190001234"))
            try db.execute(sql: "UPDATE item SET createdAt = '2026-11-23 02:30:00.000', updatedAt = '2026-11-23 02:30:00.000'")
            try db.execute(
                sql: "INSERT INTO idempotencyKey (key, requestHash, dossierId, createdAt) VALUES ('QUAY-000001', ?, ?, '2026-11-23 02:30:00.000')",
                arguments: [submission.requestHash, ids.dossier])
        }
        let database = try AppDatabase(pool, idNumbers: idNumbers)
        let outcomes = try await database.acceptDossiers([submission], series: .whole("PH"), pins: pins)
        guard case .replayed(let first) = try outcomes[0].get() else {
            Issue.record("not a replay: \(outcomes)")
            return
        }
        #expect(first.trackingNumber.description == "PH000000014VN")
    }

    @Test func serialsAdvanceAndAreNeverReused() async throws {
        let dependencies = try TestSupport.dependencies()
        let app = try buildApplication(dependencies)
        let numbers = try await app.test(.router) { client in
            var numbers: [TrackingNumber] = []
            for index in 0..<5 {
                if index == 2 {  // a refused intake in between takes no serial
                    _ = try await client.execute(
                        uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                        body: TestSupport.json(TestSupport.intake { $0["officeCode"] = "000000" }))
                }
                let response = try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: TestSupport.headers(),
                    body: TestSupport.json(TestSupport.intake()))
                numbers.append(try TrackingNumber(parsing: response.decoded(as: Answer.IntakeReceipt.self).trackingNumber))
            }
            return numbers
        }
        #expect(numbers.map(\.serial) == [1, 2, 3, 4, 5])
    }
}
