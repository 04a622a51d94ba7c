import Foundation
import GRDB
import Hummingbird

/// `/_sandbox`: the controls a real one-stop does not have — move a dossier as a desk clerk would, run the
/// demo autopilot, inject faults, and read or tamper with the ledger to exercise reconciliation.
struct ControlController: Sendable {
    let database: SandboxDatabase
    let controls: SandboxControls
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("hoso/{MaBuuGui}/trangthai", use: move)
        group.get("hoso", use: ledger)
        group.delete("hoso/{MaBuuGui}", use: delete)
        group.patch("hoso/{MaBuuGui}", use: patch)
        group.put("autopilot", use: autopilot)
        group.put("faults", use: faults)
        addResultOrderRoutes(to: group)
        group.get("faults") { _, _ in
            let faults = controls.faults
            return LGSPResponse.json(
                .ok,
                [
                    "errorRate": faults.errorRate, "latencyMs": faults.latencyMs,
                    "dropResponseRate": faults.dropResponseRate, "callbackErrorRate": faults.callbackErrorRate,
                ])
        }
    }

    @Sendable func move(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let maBuuGui = try context.parameters.require("MaBuuGui")
        guard let body = try await LGSPResponse.object(request), let status = (body["TrangThaiHoSo"] as? NSNumber)?.intValue,
            (1...10).contains(status)
        else { return LGSPResponse.error(.badRequest, "TrangThaiHoSo phải từ 1 đến 10", fields: [("TrangThaiHoSo", "1–10")]) }
        var result = SandboxDatabase.ResultInfo()
        if let ketQua = body["KetQua"] as? [String: Any] {
            result.documentCount = (ketQua["SoLuongGiayTo"] as? NSNumber)?.intValue ?? 1
            result.cashOnDelivery = (ketQua["TienThuKhiPhat"] as? NSNumber)?.int64Value ?? 0
        }
        let moved = try await database.changeStatus(
            maBuuGui: maBuuGui, to: status, content: body["NoiDung"] as? String ?? "", result: result,
            appointment: body["NgayHenTra"] as? String, now: clock())
        return moved
            ? LGSPResponse.json(.ok, ["MaLoi": "0", "MoTa": "Đã chuyển trạng thái", "MaBuuGui": maBuuGui, "TrangThaiHoSo": status])
            : LGSPResponse.error(.notFound, "Chưa đăng ký hồ sơ này")
    }

    /// The whole ledger: the postal dossiers as call 4 lists them, then the result orders as call 8 does, with
    /// `MaBuuGui` null (contract v2).
    @Sendable func ledger(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var page = ListJSON.page(try await database.listPage(fromDay: nil, toDay: nil, after: nil, limit: nil))
        let orders = try await database.orderPage(fromDay: nil, toDay: nil, after: nil, limit: nil).rows
        guard !orders.isEmpty, var json = try JSONSerialization.jsonObject(with: Data(page.readableBytesView)) as? [String: Any],
            var rows = json["DuLieu"] as? [Any],
            let ordered = try JSONSerialization.jsonObject(with: JSONEncoder().encode(orders)) as? [[String: Any]]
        else { return LGSPResponse.json(.ok, page) }
        rows += ordered.map { $0.merging(["MaBuuGui": NSNull()]) { $1 } }
        json["DuLieu"] = rows
        page = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.withoutEscapingSlashes]))
        return LGSPResponse.json(.ok, page)
    }

    @Sendable func delete(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try await deleteRow(from: "hoso", key: "MaBuuGui", try context.parameters.require("MaBuuGui"))
    }

    /// Overwrites columns of the contract's list (`TrangThaiHoSo`, `MaHoSo`, `LePhi`, `ThoiDiemBanGiao`,
    /// `NgayHenTra`, `MaBuuGuiKetQua`, `TrangThaiKetQua`) without callbacks: a ledger that disagrees.
    /// `ThoiDiemBanGiao: null` loses the whole handover (its manifest number and receiver too), as a one-stop
    /// that never recorded it would be; `TrangThaiKetQua: null` loses the return progress likewise.
    @Sendable func patch(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let maBuuGui = try context.parameters.require("MaBuuGui")
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        let losesHandover = body["ThoiDiemBanGiao"] is NSNull
        let losesProgress = body["TrangThaiKetQua"] is NSNull
        return try await patchRow(
            body, of: "hoso", key: "MaBuuGui", maBuuGui,
            columns: ["TrangThaiHoSo", "MaHoSo", "LePhi", "ThoiDiemBanGiao", "NgayHenTra", "MaBuuGuiKetQua", "TrangThaiKetQua"]
        ) { db in
            if losesHandover {
                try db.execute(sql: "UPDATE hoso SET SoBienBan = NULL, NguoiNhan = NULL WHERE MaBuuGui = ?", arguments: [maBuuGui])
            }
            if losesProgress {
                try db.execute(sql: "DELETE FROM ketqua WHERE MaBuuGui = ?", arguments: [maBuuGui])
            }
        }
    }

    /// Deletes the row of `table` whose `key` is `value`, as a one-stop that never recorded it: 404 when there is none.
    func deleteRow(from table: String, key: String, _ value: String) async throws -> Response {
        let deleted = try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM \(table) WHERE \(key) = ?", arguments: [value])
            return db.changesCount > 0
        }
        return deleted ? LGSPResponse.json(.ok, ["MaLoi": "0"]) : LGSPResponse.error(.notFound, "Không có hồ sơ này")
    }

    /// Overwrites the body's columns (text, numbers as text, or null) of the row of `table` whose `key` is `value`, then
    /// runs `also` in the same transaction: 400 for a column outside `columns`, 404 when there is no such row.
    func patchRow(
        _ body: [String: Any], of table: String, key: String, _ value: String, columns: [String],
        also: @escaping @Sendable (Database) throws -> Void
    ) async throws -> Response {
        let unknown = body.keys.filter { !columns.contains($0) }
        guard unknown.isEmpty, !body.isEmpty else {
            return LGSPResponse.error(.badRequest, "Chỉ sửa được: \(columns.joined(separator: ", "))", fields: unknown.map { ($0, "không sửa được") })
        }
        let assignments = body.keys.sorted()
        let values: [String?] = assignments.map { key in
            switch body[key] {
            case let text as String: text
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
        let patched = try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE \(table) SET \(assignments.map { "\($0) = ?" }.joined(separator: ", ")) WHERE \(key) = ?",
                arguments: StatementArguments(values + [value]))
            let found = db.changesCount > 0
            try also(db)
            return found
        }
        return patched ? LGSPResponse.json(.ok, ["MaLoi": "0"]) : LGSPResponse.error(.notFound, "Không có hồ sơ này")
    }

    @Sendable func autopilot(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        var autopilot = controls.autopilot
        if let enabled = body["enabled"] as? Bool { autopilot.enabled = enabled }
        if let seconds = (body["receiveAfterSeconds"] as? NSNumber)?.intValue, seconds >= 0 { autopilot.receiveAfterSeconds = seconds }
        if let seconds = (body["resultAfterSeconds"] as? NSNumber)?.intValue, seconds >= 0 { autopilot.resultAfterSeconds = seconds }
        if let seconds = (body["orderEverySeconds"] as? NSNumber)?.intValue, seconds >= 0 { autopilot.orderEverySeconds = seconds }
        controls.set(autopilot)
        return LGSPResponse.json(
            .ok,
            [
                "enabled": autopilot.enabled, "receiveAfterSeconds": autopilot.receiveAfterSeconds,
                "resultAfterSeconds": autopilot.resultAfterSeconds, "orderEverySeconds": autopilot.orderEverySeconds,
            ])
    }

    @Sendable func faults(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let body = try await LGSPResponse.object(request) else { return LGSPResponse.error(.badRequest, "Nội dung không phải JSON") }
        let fields = BodyFields(body)
        var faults = SandboxControls.Faults()
        faults.errorRate = fields.rate("errorRate") ?? 0
        faults.dropResponseRate = fields.rate("dropResponseRate") ?? 0
        faults.callbackErrorRate = fields.rate("callbackErrorRate") ?? 0
        faults.latencyMs = max(0, min(60_000, (body["latencyMs"] as? NSNumber)?.intValue ?? 0))
        controls.set(faults)
        return LGSPResponse.json(
            .ok,
            [
                "errorRate": faults.errorRate, "latencyMs": faults.latencyMs,
                "dropResponseRate": faults.dropResponseRate, "callbackErrorRate": faults.callbackErrorRate,
            ])
    }
}
