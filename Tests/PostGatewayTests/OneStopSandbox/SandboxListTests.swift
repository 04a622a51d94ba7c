import Foundation
import GRDB
import NIOCore
import PropertyBased
import Testing

@testable import OneStopSandbox
@testable import PostGateway

/// The sandbox's ledger list (`GET /lgsp/bcci/hoso`), written straight from SQLite's columns: it must still be the
/// contract's JSON whatever text a column holds, and it must keep reading one index.
@Suite(.temporaryFolder) struct SandboxListTests {
    private static func database() throws -> (SandboxDatabase, URL) {
        let folder = try TestSupport.temporaryDirectory()
        return (try SandboxDatabase(path: folder.appendingPathComponent("onestop.sqlite").path), folder)
    }

    private static func register(_ database: SandboxDatabase, serial: Int, sentAt: String) async throws -> String {
        let number = TrackingNumber(prefix: "PH", serial: serial).description
        _ = try await database.register(
            .init(
                maBuuGui: number, maTTHC: "2.000635", maCoQuan: "000.42.20.H55", lePhi: 8000,
                ngayGui: sentAt, payload: "{}"), now: Date())
        return number
    }

    private static func document(_ page: SandboxDatabase.ListPage) throws -> [String: Any] {
        let buffer = ListJSON.page(page)
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test func pagesAreTheContractsJSONWhateverTextAColumnHolds() async throws {
        let (database, folder) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await Self.register(database, serial: 1, sentAt: "20261123080000")
        let second = try await Self.register(database, serial: 2, sentAt: "20261123090000")
        let third = try await Self.register(database, serial: 3, sentAt: "20261123100000")
        // Text a desk could type, or a tamper could set: quotes, a backslash, a line break, a tab, Vietnamese.
        let awkward = "Hồ sơ \"gấp\" C:\\tmp\nđã\tnhận \u{1}"
        try await database.writer.write { db in
            try db.execute(
                sql:
                    "UPDATE hoso SET MaHoSo = ?, TrangThaiHoSo = 9, NgayHenTra = '20261130', MaBuuGuiKetQua = 'PK000000044VN', TrangThaiKetQua = 'DA_PHAT' WHERE MaBuuGui = ?",
                arguments: [awkward, second])
            // A fee that is not whole, as a tamper may set it: listed as the number it is, for the gateway to refuse.
            try db.execute(sql: "UPDATE hoso SET LePhi = 1.5 WHERE MaBuuGui = ?", arguments: [third])
        }

        let page = try await database.listPage(fromDay: "20261123", toDay: "20261123", after: nil, limit: 2)
        #expect(page.count == 2)
        let document = try Self.document(page)
        #expect(document["MaLoi"] as? String == "0")
        let rows = try #require(document["DuLieu"] as? [[String: Any]])
        #expect(rows.map { $0["MaBuuGui"] as? String } == [first, second])
        let tampered = rows[1]
        #expect(tampered["MaHoSo"] as? String == awkward)
        #expect(tampered["TrangThaiHoSo"] as? Int == 9)
        #expect(tampered["LePhi"] as? Int == 8000)
        #expect(tampered["NgayGui"] as? String == "20261123090000")
        #expect(tampered["MaTTHC"] as? String == "2.000635" && tampered["MaCoQuan"] as? String == "000.42.20.H55")
        #expect(tampered["NgayHenTra"] as? String == "20261130" && tampered["MaBuuGuiKetQua"] as? String == "PK000000044VN")
        #expect(tampered["TrangThaiKetQua"] as? String == "DA_PHAT")
        // What is not there yet is null, as the contract's example shows it.
        #expect(rows[0]["MaHoSo"] is NSNull && rows[0]["ThoiDiemBanGiao"] is NSNull && rows[0]["MaBuuGuiKetQua"] is NSNull)
        #expect(Set(rows[0].keys) == Set(ListRow.Column.allCases.map(\.rawValue)))

        // The cursor leads to the rest, and the last page says there is no more.
        let cursor = try #require(document["TiepTheo"] as? String)
        let position = try #require(SandboxDatabase.ListPosition(cursor: cursor))
        let rest = try await database.listPage(fromDay: "20261123", toDay: "20261123", after: position, limit: 2)
        let restDocument = try Self.document(rest)
        #expect((restDocument["DuLieu"] as? [[String: Any]])?.map { $0["MaBuuGui"] as? String } == [third])
        #expect((restDocument["DuLieu"] as? [[String: Any]])?.first?["LePhi"] as? Double == 1.5)
        #expect(restDocument["TiepTheo"] is NSNull)

        // A page that ends at the last row says there is no more; a page of one points at its own row.
        let exact = try await database.listPage(fromDay: "20261123", toDay: "20261123", after: nil, limit: 3)
        #expect(exact.count == 3 && exact.next == nil)
        let one = try await database.listPage(fromDay: "20261123", toDay: "20261123", after: nil, limit: 1)
        #expect(one.count == 1 && one.next == SandboxDatabase.ListPosition(ngayGui: "20261123080000", id: 1))

        // The whole ledger (`GET /_sandbox/hoso`) has no page size and no cursor.
        let whole = try await database.listPage(fromDay: nil, toDay: nil, after: nil, limit: nil)
        #expect(whole.count == 3 && whole.next == nil)
        #expect(try Self.document(whole)["TiepTheo"] is NSNull)
    }

    /// What a page says of its rows, decoded as the gateway's side would take it (a fee it cannot hold is null).
    private struct Page: Decodable {
        struct Row: Decodable {
            let MaBuuGui: String
            let MaHoSo: String?
            let TrangThaiHoSo: Int
            let LePhi: Int64?
        }
        let MaLoi: String
        let TiepTheo: String?
        let DuLieu: [Row]

        init(_ page: SandboxDatabase.ListPage) throws {
            self = try JSONDecoder().decode(Page.self, from: Data(ListJSON.page(page).readableBytesView))
        }
    }

    /// SQLite's json_object writes the rows: whatever scalars a column holds (controls, quotes, marks, scalars beyond
    /// the BMP), the page is JSON that reads back to the very same text. (No NUL: GRDB binds text up to its first.)
    @Test func anyTextAColumnHoldsReadsBackFromThePageUnchanged() async throws {
        let (database, folder) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let number = try await Self.register(database, serial: 1, sentAt: "20261123080000")
        let extra = Gen.element(of: ["\u{1F}", "\u{7F}", "\u{D7FF}", "\u{E000}", "\u{1F600}", "\u{10FFFF}", "\u{2028}"]).compactMap { $0 }
        let text = Gen.oneOf(HostileText.gen, extra.array(of: 1...4).map { $0.joined() }).array(of: 1...3).map { $0.joined() }
        await propertyCheck(count: 200, input: text) { text in
            try await database.writer.write { db in
                try db.execute(sql: "UPDATE hoso SET MaHoSo = ? WHERE MaBuuGui = ?", arguments: [text, number])
            }
            let page = try await database.listPage(fromDay: "20261123", toDay: "20261123", after: nil, limit: 10)
            let read = try Page(page)
            #expect(read.MaLoi == "0" && read.TiepTheo == nil)
            #expect(read.DuLieu.map(\.MaBuuGui) == [number] && read.DuLieu.first?.LePhi == 8000)
            #expect(read.DuLieu.first?.MaHoSo == text, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// A number JSON cannot hold still leaves every page readable: an infinite fee (the text "1e999" a tamper gave
    /// for it, which SQLite keeps as a real) is listed as null, for the gateway to refuse as a missing fee.
    @Test func anInfiniteFeeLeavesThePageJSON() async throws {
        let (database, folder) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await Self.register(database, serial: 1, sentAt: "20261123080000")
        let second = try await Self.register(database, serial: 2, sentAt: "20261123090000")
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE hoso SET LePhi = ? WHERE MaBuuGui = ?", arguments: ["1e999", first])
            #expect(try String.fetchAll(db, sql: "SELECT typeof(LePhi) FROM hoso ORDER BY id") == ["real", "integer"])
        }
        let page = try await database.listPage(fromDay: "20261123", toDay: "20261123", after: nil, limit: 10)
        let read = try Page(page)
        #expect(read.DuLieu.map(\.MaBuuGui) == [first, second])
        #expect(read.DuLieu[0].LePhi == nil && read.DuLieu[1].LePhi == 8000)
        #expect(read.DuLieu.map(\.TrangThaiHoSo) == [1, 1])
    }

    @Test func theListIsReadFromOneIndexWithoutVisitingTheTable() async throws {
        let (database, folder) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let after = SandboxDatabase.ListPosition(ngayGui: "20261123080000", id: 7)
        for (from, to, position) in [("20261101", "20261130", nil), ("20261101", "20261130", after), (nil, nil, nil)]
            as [(String?, String?, SandboxDatabase.ListPosition?)]
        {
            let (sql, arguments) = SandboxDatabase.listQuery(fromDay: from, toDay: to, after: position, limit: 1000)
            let plan = try await database.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
            // A covering index: no lookup in the table for each row, and no sort of the range for each page.
            #expect(plan.contains { $0.contains("COVERING INDEX hoso_list") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    /// The demo's desk receives a dossier once it is handed over, as a real one does, and not before.
    @Test func theAutopilotReceivesOnlyWhatWasHandedOver() async throws {
        let (database, folder) = try Self.database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let number = try await Self.register(database, serial: 1, sentAt: "20261123093000")
        let autopilot = Autopilot(database: database, controls: SandboxControls(), tick: .seconds(1))
        let settings = SandboxControls.Autopilot(enabled: true, receiveAfterSeconds: 5, resultAfterSeconds: 3600)
        func status() async throws -> Int? {
            try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT TrangThaiHoSo FROM hoso WHERE MaBuuGui = ?", arguments: [number])
            }
        }
        try await autopilot.step(settings, now: Date().addingTimeInterval(60))
        #expect(try await status() == 1)
        let handedOver = Date()
        #expect(
            try await database.recordHandover(
                maBuuGui: number, soBienBan: "BB-1", thoiDiem: "20261123143000", nguoiNhan: "Trần Thị Bình",
                now: handedOver) == .recorded)
        // Counted from the handover.
        try await autopilot.step(settings, now: handedOver.addingTimeInterval(2))
        #expect(try await status() == 1)
        try await autopilot.step(settings, now: handedOver.addingTimeInterval(6))
        #expect(try await status() == 2)
    }
}
