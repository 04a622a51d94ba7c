import Foundation
import GRDB

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
            try db.execute(sql: """
                INSERT INTO hoso (MaBuuGui, payload, MaTTHC, MaCoQuan, LePhi, NgayGui, TrangThaiHoSo, registeredAt, statusChangedAt)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                """, arguments: [registration.maBuuGui, registration.payload, registration.maTTHC, registration.maCoQuan,
                                 registration.lePhi, registration.ngayGui, Self.sqlDate(now), Self.sqlDate(now)])
            return .registered
        }
    }

    /// The same JSON document, whatever its key order or white space (only replays pay for the comparison).
    static func sameContent(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        guard let a = try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? NSDictionary,
              let b = try? JSONSerialization.jsonObject(with: Data(second.utf8)) as? NSDictionary else { return false }
        return a.isEqual(b)
    }

    func recordHandover(maBuuGui: String, soBienBan: String, thoiDiem: String, nguoiNhan: String) async throws -> WriteOutcome {
        try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT SoBienBan, ThoiDiemBanGiao FROM hoso WHERE MaBuuGui = ?", arguments: [maBuuGui]) else {
                return .notFound
            }
            if let recorded: String = row["SoBienBan"] {
                return recorded == soBienBan && row["ThoiDiemBanGiao"] == thoiDiem ? .replayed : .conflict
            }
            try db.execute(sql: "UPDATE hoso SET SoBienBan = ?, ThoiDiemBanGiao = ?, NguoiNhan = ? WHERE MaBuuGui = ?",
                           arguments: [soBienBan, thoiDiem, nguoiNhan, maBuuGui])
            return .recorded
        }
    }

    /// Return progress, idempotent on (MaBuuGui, TrangThai, LanPhat); `DA_PHAT` moves the dossier to 10.
    func recordReturnProgress(maBuuGui: String, resultNumber: String, state: String, attempt: Int, time: String, note: String,
                              now: Date) async throws -> WriteOutcome {
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM hoso WHERE MaBuuGui = ?", arguments: [maBuuGui]) == true else { return .notFound }
            try db.execute(sql: """
                INSERT INTO ketqua (MaBuuGui, TrangThai, LanPhat, MaBuuGuiKetQua, ThoiDiem, GhiChu) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, arguments: [maBuuGui, state, attempt, resultNumber, time, note])
            guard db.changesCount > 0 else { return .replayed }
            try db.execute(sql: "UPDATE hoso SET MaBuuGuiKetQua = ?, TrangThaiKetQua = ? WHERE MaBuuGui = ?",
                           arguments: [resultNumber, state, maBuuGui])
            if state == "DA_PHAT" {
                try Self.changeStatus(maBuuGui: maBuuGui, to: 10, content: "Đã trả kết quả qua bưu chính", result: nil, now: now, in: db)
            }
            return .recorded
        }
    }

    /// A desk clerk's move (or the autopilot's): records the status and queues the signed callback in one transaction.
    func changeStatus(maBuuGui: String, to status: Int, content: String, result: ResultInfo?, appointment: String? = nil,
                      now: Date) async throws -> Bool {
        try await writer.write { db in
            try Self.changeStatus(maBuuGui: maBuuGui, to: status, content: content, result: result, appointment: appointment, now: now, in: db)
        }
    }

    static func changeStatus(maBuuGui: String, to status: Int, content: String, result: ResultInfo?, appointment: String? = nil,
                             now: Date, in db: Database) throws -> Bool {
        guard let row = try Row.fetchOne(db, sql: "SELECT MaCoQuan, MaHoSo, NgayHenTra FROM hoso WHERE MaBuuGui = ?", arguments: [maBuuGui]) else {
            return false
        }
        var maHoSo: String? = row["MaHoSo"]
        var ngayHenTra: String? = row["NgayHenTra"]
        if status == 2 && maHoSo == nil {
            let agency: String = row["MaCoQuan"]
            let day = String(LGSPResponse.timestamp(now).prefix(8))
            let sequence = try Int.fetchOne(db, sql: """
                INSERT INTO daySequence (MaCoQuan, day, last) VALUES (?, ?, 1)
                ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last
                """, arguments: [agency, day])!
            let digits = String(sequence)
            maHoSo = "\(agency)-\(day.dropFirst(2))-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            ngayHenTra = appointment ?? Self.appointment(after: now, workingDays: 5)
        }
        let result = result ?? ResultInfo()
        try db.execute(sql: """
            UPDATE hoso SET TrangThaiHoSo = ?, MaHoSo = ?, NgayHenTra = ?, statusChangedAt = ?,
                TienThuKhiPhat = CASE WHEN ? = 9 THEN ? ELSE TienThuKhiPhat END
            WHERE MaBuuGui = ?
            """, arguments: [status, maHoSo, ngayHenTra, sqlDate(now), status, result.cashOnDelivery, maBuuGui])
        var body: [String: Any] = ["Loai": "hoso.trangthai", "MaBuuGui": maBuuGui, "MaHoSo": maHoSo ?? NSNull(),
                                   "TrangThaiHoSo": status, "ThoiDiem": LGSPResponse.timestamp(now),
                                   "NgayHenTra": ngayHenTra ?? NSNull(), "NoiDung": content, "KetQua": NSNull()]
        if status == 9 { body["KetQua"] = ["SoLuongGiayTo": result.documentCount, "TienThuKhiPhat": result.cashOnDelivery] }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        try db.execute(sql: """
            INSERT INTO callback (id, MaBuuGui, body, state, attempts, nextAttemptAt, createdAt) VALUES (?, ?, ?, 'pending', 0, ?, ?)
            """, arguments: ["msg_\(UUID().uuidString.lowercased())", maBuuGui, String(decoding: data, as: UTF8.self), sqlDate(now), sqlDate(now)])
        return true
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
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(parts[1]) else { return nil }
            self.init(ngayGui: String(parts[0]), id: id)
        }
    }

    /// The ledger as the contract's list shows it, for `GET /lgsp/bcci/hoso` and `GET /_sandbox/hoso`: each row
    /// already written as its JSON object, because the nightly reconciliation reads a whole province's ledger
    /// through this list and JSONSerialization of dictionaries was most of each page's cost.
    func list(fromDay: String?, toDay: String?, after: ListPosition?, limit: Int) async throws -> [(position: ListPosition, json: String)] {
        try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            // One lower bound, the later of the range's start and the cursor's day: given two, SQLite starts the
            // index range at the first, and every page would walk the range from its beginning again.
            if let start = [fromDay, after?.ngayGui].compactMap({ $0 }).max() { conditions.append("NgayGui >= ?"); arguments += [start] }
            if let toDay { conditions.append("NgayGui < ?"); arguments += [toDay + "999999"] }
            if let after {
                // (NgayGui, id) > (?, ?), spelled out: SQLite 3.40 does not start an index range at a row value.
                conditions.append("(NgayGui > ? OR id > ?)")
                arguments += [after.ngayGui, after.id]
            }
            arguments += [limit]
            // SQLite writes each row's JSON object itself (json_object): a page of 1000 in a few milliseconds.
            let sql = """
                SELECT NgayGui, id, json_object('MaBuuGui', MaBuuGui, 'MaHoSo', MaHoSo, 'MaTTHC', MaTTHC, 'MaCoQuan', MaCoQuan,
                    'TrangThaiHoSo', TrangThaiHoSo, 'LePhi', LePhi, 'NgayGui', NgayGui, 'ThoiDiemBanGiao', ThoiDiemBanGiao,
                    'NgayHenTra', NgayHenTra, 'MaBuuGuiKetQua', MaBuuGuiKetQua, 'TrangThaiKetQua', TrangThaiKetQua)
                FROM hoso \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")) ORDER BY NgayGui, id LIMIT ?
                """
            var rows: [(position: ListPosition, json: String)] = []
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try cursor.next() { rows.append((ListPosition(ngayGui: row[0], id: row[1]), row[2])) }
            return rows
        }
    }
}

/// The list's envelope around rows SQLite already wrote as JSON.
enum ListJSON {
    /// `next` is the base64 cursor, which needs no escaping inside a JSON string.
    static func page(rows: some Sequence<String>, next: String?) -> String {
        var json = "{\"MaLoi\":\"0\",\"MoTa\":\"Thành công\",\"TiepTheo\":" + (next.map { "\"\($0)\"" } ?? "null") + ",\"DuLieu\":["
        var first = true
        for row in rows {
            if !first { json += "," }
            first = false
            json += row
        }
        return json + "]}"
    }
}
