import Foundation
import GRDB
import ServiceLifecycle

/// For demos: moves dossiers handed over at the desk to "received" (2) and later to "result ready" (9) on its own,
/// as a desk would, so that `make run` shows the whole flow. A dossier only registered is still on its way to the
/// desk: nobody there can receive it yet. Now and then a citizen who filed online orders the result by post (call 5),
/// and the desk finishes that dossier too.
struct Autopilot: Service {
    let database: SandboxDatabase
    let controls: SandboxControls
    let tick: Duration
    var orderPlaces: [SandboxConfiguration.OrderPlace] = []

    func run() async throws {
        var lastOrder = Date.distantPast
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let settings = controls.autopilot
            let now = Date()
            if settings.enabled {
                try await step(settings, now: now)
                if settings.orderEverySeconds > 0, now.timeIntervalSince(lastOrder) >= Double(settings.orderEverySeconds),
                    let place = orderPlaces.randomElement()
                {
                    try await placeOrder(at: place, now: now)
                    lastOrder = now
                }
            }
            try? await Task.sleep(for: tick)
        }
    }

    func step(_ settings: SandboxControls.Autopilot, now: Date) async throws {
        let receive = SandboxDatabase.sqlDate(now.addingTimeInterval(-Double(settings.receiveAfterSeconds)))
        let finish = SandboxDatabase.sqlDate(now.addingTimeInterval(-Double(settings.resultAfterSeconds)))
        try await database.writer.write { db in
            let toReceive = try String.fetchAll(
                db, sql: "SELECT MaBuuGui FROM hoso WHERE TrangThaiHoSo = 1 AND ThoiDiemBanGiao IS NOT NULL AND statusChangedAt <= ? LIMIT 200",
                arguments: [receive])
            for number in toReceive {
                _ = try SandboxDatabase.changeStatus(maBuuGui: number, to: 2, content: "Đã tiếp nhận hồ sơ", result: nil, now: now, in: db)
            }
            let toFinish = try String.fetchAll(
                db, sql: "SELECT MaBuuGui FROM hoso WHERE TrangThaiHoSo IN (2, 4) AND statusChangedAt <= ? LIMIT 200",
                arguments: [finish])
            for number in toFinish {
                _ = try SandboxDatabase.changeStatus(maBuuGui: number, to: 9, content: "Đã có kết quả", result: nil, now: now, in: db)
            }
            // Dossiers filed online whose result the citizen ordered by post: finished like the others.
            let ordersToFinish = try String.fetchAll(
                db, sql: "SELECT MaHoSo FROM donKetQua WHERE TrangThaiHoSo = 4 AND NguoiNhan IS NOT NULL AND statusChangedAt <= ? LIMIT 200",
                arguments: [finish])
            for maHoSo in ordersToFinish {
                _ = try SandboxDatabase.changeOrderStatus(maHoSo: maHoSo, to: 9, content: "Đã có kết quả", now: now, in: db)
            }
        }
    }

    /// A citizen who filed online at `place`'s desk asks for the result at home, as the portal would send it.
    func placeOrder(at place: SandboxConfiguration.OrderPlace, now: Date) async throws {
        let maHoSo = try await database.writer.write { db in try SandboxDatabase.nextMaHoSo(maCoQuan: place.agencyCode, now: now, in: db) }
        let names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"]
        let house = Int.random(in: 1...120)
        _ = try await database.placePortalOrder(
            .init(
                maHoSo: maHoSo, maTTHC: place.procedureCode, maCoQuan: place.agencyCode, kenhNop: 2, trangThaiHoSo: 4,
                ngayHenTra: SandboxDatabase.appointment(after: now, workingDays: 5), thoiDiem: LGSPResponse.timestamp(now),
                nguoiNhan: names.randomElement()!, soDienThoai: "09" + String(Int.random(in: 10_000_000...99_999_999)),
                diaChi: "Số \(house), tổ \(house % 12 + 1), \(place.unitName)", maDonViHanhChinh: place.unitCode,
                soLuongGiayTo: Int.random(in: 1...3), tienThuKhiPhat: [0, 25_000, 52_000].randomElement()!, cuocDaThanhToan: Bool.random()),
            now: now)
    }
}
