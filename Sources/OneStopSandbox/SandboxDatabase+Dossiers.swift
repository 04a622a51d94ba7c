import Foundation
import GRDB
import NIOCore

extension SandboxDatabase {
    enum RegisterOutcome { case registered, replayed, conflict }

    /// The columns a registration fills, taken from its (already validated) body.
    struct Registration: Sendable {
        let maBuuGui: String
        let maTTHC: String
        let maCoQuan: String
        let lePhi: Int64
        let ngayGui: String
        /// The body as received; a replay is compared by content, not bytes.
        let payload: String
    }

    /// What status 9 says about the result (`KetQua`).
    struct ResultInfo: Sendable {
        var documentCount = 1
        var cashOnDelivery: Int64 = 0
    }
    enum WriteOutcome { case recorded, replayed, conflict, notFound }

    /// Times in the sandbox's ledger: ISO 8601 in UTC with milliseconds, so they sort as text.
    static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func sqlDate(_ date: Date) -> String {
        date.formatted(dateStyle)
    }

    func register(_ registration: Registration, now: Date) async throws -> RegisterOutcome {
        try await writer.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT payload FROM hoso WHERE MaBuuGui = ?", arguments: [registration.maBuuGui]) {
                return Self.sameContent(existing, registration.payload) ? .replayed : .conflict
            }
            try db.execute(
                sql: """
                    INSERT INTO hoso (MaBuuGui, payload, MaTTHC, MaCoQuan, LePhi, NgayGui, TrangThaiHoSo, registeredAt, statusChangedAt)
                    VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                    """,
                arguments: [
                    registration.maBuuGui, registration.payload, registration.maTTHC, registration.maCoQuan,
                    registration.lePhi, registration.ngayGui, Self.sqlDate(now), Self.sqlDate(now),
                ])
            return .registered
        }
    }

    /// The same JSON document, whatever its key order or white space (only replays pay for the comparison).
    static func sameContent(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        guard let a = try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? NSDictionary,
            let b = try? JSONSerialization.jsonObject(with: Data(second.utf8)) as? NSDictionary
        else { return false }
        return a.isEqual(b)
    }

    /// A desk's clock for a dossier (`statusChangedAt`, which the autopilot reads) starts when it is handed over, unless
    /// the desk has moved it on already.
    func recordHandover(maBuuGui: String, soBienBan: String, thoiDiem: String, nguoiNhan: String, now: Date) async throws -> WriteOutcome {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT SoBienBan, ThoiDiemBanGiao FROM hoso WHERE MaBuuGui = ?", arguments: [maBuuGui]) else {
                return .notFound
            }
            if let recorded: String = row["SoBienBan"] {
                return recorded == soBienBan && row["ThoiDiemBanGiao"] == thoiDiem ? .replayed : .conflict
            }
            try db.execute(
                sql: """
                    UPDATE hoso SET SoBienBan = ?, ThoiDiemBanGiao = ?, NguoiNhan = ?,
                        statusChangedAt = CASE WHEN TrangThaiHoSo = 1 THEN ? ELSE statusChangedAt END
                    WHERE MaBuuGui = ?
                    """,
                arguments: [soBienBan, thoiDiem, nguoiNhan, Self.sqlDate(now), maBuuGui])
            return .recorded
        }
    }

    /// Return progress, idempotent on (MaBuuGui, TrangThai, LanPhat); `DA_PHAT` moves the dossier to 10.
    func recordReturnProgress(
        maBuuGui: String, resultNumber: String, state: String, attempt: Int, time: String, note: String,
        now: Date
    ) async throws -> WriteOutcome {
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM hoso WHERE MaBuuGui = ?", arguments: [maBuuGui]) == true else { return .notFound }
            try db.execute(
                sql: """
                    INSERT INTO ketqua (MaBuuGui, TrangThai, LanPhat, MaBuuGuiKetQua, ThoiDiem, GhiChu) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """, arguments: [maBuuGui, state, attempt, resultNumber, time, note])
            guard db.changesCount > 0 else { return .replayed }
            try db.execute(
                sql: "UPDATE hoso SET MaBuuGuiKetQua = ?, TrangThaiKetQua = ? WHERE MaBuuGui = ?",
                arguments: [resultNumber, state, maBuuGui])
            if state == "DA_PHAT" {
                try Self.changeStatus(maBuuGui: maBuuGui, to: 10, content: "Đã trả kết quả qua bưu chính", result: nil, now: now, in: db)
            }
            return .recorded
        }
    }

    /// A desk clerk's move (or the autopilot's): records the status and queues the signed callback in one transaction.
    func changeStatus(
        maBuuGui: String, to status: Int, content: String, result: ResultInfo?, appointment: String? = nil,
        now: Date
    ) async throws -> Bool {
        try await writer.write { db in
            try Self.changeStatus(maBuuGui: maBuuGui, to: status, content: content, result: result, appointment: appointment, now: now, in: db)
        }
    }

    static func changeStatus(
        maBuuGui: String, to status: Int, content: String, result: ResultInfo?, appointment: String? = nil,
        now: Date, in db: Database
    ) throws -> Bool {
        guard let row = try Row.fetchOne(db, sql: "SELECT MaCoQuan, MaHoSo, NgayHenTra FROM hoso WHERE MaBuuGui = ?", arguments: [maBuuGui]) else {
            return false
        }
        var maHoSo: String? = row["MaHoSo"]
        var ngayHenTra: String? = row["NgayHenTra"]
        if status == 2 && maHoSo == nil {
            let agency: String = row["MaCoQuan"]
            let day = String(LGSPResponse.timestamp(now).prefix(8))
            let sequence = try Int.fetchOne(
                db,
                sql: """
                    INSERT INTO daySequence (MaCoQuan, day, last) VALUES (?, ?, 1)
                    ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last
                    """, arguments: [agency, day])!
            let digits = String(sequence)
            maHoSo = "\(agency)-\(day.dropFirst(2))-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            ngayHenTra = appointment ?? Self.appointment(after: now, workingDays: 5)
        }
        let result = result ?? ResultInfo()
        try db.execute(
            sql: """
                UPDATE hoso SET TrangThaiHoSo = ?, MaHoSo = ?, NgayHenTra = ?, statusChangedAt = ?,
                    TienThuKhiPhat = CASE WHEN ? = 9 THEN ? ELSE TienThuKhiPhat END
                WHERE MaBuuGui = ?
                """, arguments: [status, maHoSo, ngayHenTra, sqlDate(now), status, result.cashOnDelivery, maBuuGui])
        var body: [String: Any] = [
            "Loai": "hoso.trangthai", "MaBuuGui": maBuuGui, "MaHoSo": maHoSo ?? NSNull(),
            "TrangThaiHoSo": status, "ThoiDiem": LGSPResponse.timestamp(now),
            "NgayHenTra": ngayHenTra ?? NSNull(), "NoiDung": content, "KetQua": NSNull(),
        ]
        if status == 9 { body["KetQua"] = ["SoLuongGiayTo": result.documentCount, "TienThuKhiPhat": result.cashOnDelivery] }
        try queueCallback(body, about: maBuuGui, now: now, in: db)
        return true
    }

    /// Queues a signed callback about `key` (a MaBuuGui or a MaHoSo), in the caller's transaction.
    static func queueCallback(_ body: [String: Any], about key: String, now: Date, in db: Database) throws {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        try db.execute(
            sql: """
                INSERT INTO callback (id, dossierKey, body, state, attempts, nextAttemptAt, createdAt) VALUES (?, ?, ?, 'pending', 0, ?, ?)
                """,
            arguments: ["msg_\(UUID().uuidString.lowercased())", key, String(decoding: data, as: UTF8.self), sqlDate(now), sqlDate(now)])
    }

    /// A plausible appointment date: `n` working days (Monday to Friday) after today, as `yyyyMMdd`.
    static func appointment(after date: Date, workingDays: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        var day = date
        var remaining = workingDays
        while remaining > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            let weekday = calendar.component(.weekday, from: day)
            if weekday != 1 && weekday != 7 { remaining -= 1 }
        }
        return String(LGSPResponse.timestamp(day).prefix(8))
    }

    /// Where a page of the list ends: the list is ordered by (`NgayGui`, id), the order of its day index, so that
    /// each page starts where the last one stopped instead of sorting every row of the range again.
    struct ListPosition: Equatable, Sendable {
        let ngayGui: String
        let id: Int64

        /// The contract's opaque `TiepTheo`: base64 of `NgayGui/id`.
        var cursor: String { Data("\(ngayGui)/\(id)".utf8).base64EncodedString() }

        init(ngayGui: String, id: Int64) {
            self.ngayGui = ngayGui
            self.id = id
        }

        init?(cursor: some StringProtocol) {
            guard let data = Data(base64Encoded: String(cursor)) else { return nil }
            let parts = String(decoding: data, as: UTF8.self).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(parts[1]) else {
                return nil
            }
            self.init(ngayGui: String(parts[0]), id: id)
        }
    }

    /// A page of the ledger as the contract's list shows it (`GET /lgsp/bcci/hoso`, and `GET /_sandbox/hoso` for the
    /// whole of it).
    struct ListPage: Sendable {
        /// What goes in `DuLieu`: each row's JSON object (`ListRow`).
        var rows: [String] = []
        var count: Int { rows.count }
        /// Where the next page starts; nil on the last page.
        var next: ListPosition?
    }

    /// The list's query: rows in (NgayGui, id) order from `after` on, one more than `limit` (nil: all of them).
    static func listQuery(fromDay: String?, toDay: String?, after: ListPosition?, limit: Int?) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        // One lower bound, the later of the range's start and the cursor's day: given two, SQLite starts the
        // index range at the first, and every page would walk the range from its beginning again.
        if let start = [fromDay, after?.ngayGui].compactMap({ $0 }).max() {
            conditions.append("NgayGui >= ?")
            arguments += [start]
        }
        if let toDay {
            conditions.append("NgayGui < ?")
            arguments += [toDay + "999999"]
        }
        if let after {
            // (NgayGui, id) > (?, ?), spelled out: SQLite 3.40 does not start an index range at a row value.
            conditions.append("(NgayGui > ? OR id > ?)")
            arguments += [after.ngayGui, after.id]
        }
        // One more row than the page tells whether another page follows.
        arguments += [limit.map { $0 + 1 } ?? -1]
        let sql = """
            SELECT NgayGui, id, \(ListRow.jsonObject) AS row
            FROM hoso \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")) ORDER BY NgayGui, id LIMIT ?
            """
        return (sql, arguments)
    }

    /// The nightly reconciliation reads a whole province's month through this list, a thousand pages of a thousand:
    /// the rows come from one index that holds every listed column (migration v2).
    func listPage(fromDay: String?, toDay: String?, after: ListPosition?, limit: Int?) async throws -> ListPage {
        try await writer.read { db in
            let (sql, arguments) = Self.listQuery(fromDay: fromDay, toDay: toDay, after: after, limit: limit)
            var page = ListPage()
            var last: ListPosition?
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                if page.count == limit {
                    // The row past the page: the next page starts after the page's last row.
                    page.next = last
                    break
                }
                page.rows.append(row["row"])
                if page.count == limit { last = ListPosition(ngayGui: row["NgayGui"], id: row["id"]) }
            }
            return page
        }
    }
}

/// One row of the list: its listed columns, in the contract's order, as the JSON object SQLite's `json_object` writes
/// while it reads the row (strings escaped, integers and reals as the numbers they are, NULL as null). A tampered fee of
/// 1.5 is listed as the number it is, for the gateway to refuse, not rounded here.
enum ListRow {
    enum Column: String, CaseIterable {
        case MaBuuGui, MaHoSo, MaTTHC, MaCoQuan, TrangThaiHoSo, LePhi, NgayGui, ThoiDiemBanGiao, NgayHenTra, MaBuuGuiKetQua, TrangThaiKetQua

        /// The column as JSON can hold it. A tamper can store the text "1e999" in a number column; SQLite keeps it as an
        /// infinite real, and json_object writes that as the bare word `Inf`, which is not JSON and would make the whole
        /// page unreadable. So an infinity is listed as null, for the gateway to refuse as a missing value. Text columns
        /// keep what is written to them as text, and are listed as they are.
        var listed: String {
            switch self {
            case .TrangThaiHoSo, .LePhi: "CASE WHEN abs(\(rawValue)) <= 1.7976931348623157e308 THEN \(rawValue) END"
            default: rawValue
            }
        }
    }

    /// The select expression of one row's object.
    static let jsonObject = "json_object(" + Column.allCases.map { "'\($0.rawValue)', \($0.listed)" }.joined(separator: ", ") + ")"
}

enum ListJSON {
    /// The envelope, written around rows that are JSON already (`ListRow`). The cursor goes through the encoder
    /// like any value: base64 text, or null on the last page, as the contract shows it.
    static func page(_ page: SandboxDatabase.ListPage) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // An optional string: nothing the encoder can refuse.
        let cursor = try! encoder.encode(page.next?.cursor)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(page.rows.reduce(64) { $0 + $1.utf8.count + 1 })
        buffer.writeString(#"{"MaLoi":"0","MoTa":"Thành công","TiepTheo":"#)
        buffer.writeBytes(cursor)
        buffer.writeString(#","DuLieu":["#)
        for (index, row) in page.rows.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(row)
        }
        buffer.writeString("]}")
        return buffer
    }
}
