import Foundation
import GRDB
import ServiceLifecycle

/// For demos: moves dossiers handed over at the desk to "received" (2) and later to "result ready" (9) on its own,
/// as a desk would, so that `make run` shows the whole flow. A dossier only registered is still on its way to the
/// desk: nobody there can receive it yet.
struct Autopilot: Service {
    let database: SandboxDatabase
    let controls: SandboxControls
    let tick: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let settings = controls.autopilot
            if settings.enabled { try await step(settings, now: Date()) }
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
        }
    }
}
