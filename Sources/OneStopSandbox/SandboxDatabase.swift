import Foundation
import GRDB

/// The one-stop's own ledger: what it believes it has received, separate from the gateway's.
///
/// A stand-in, so it runs with synchronous=NORMAL (durable across a process crash, not a power cut);
/// the gateway's ledger is the one that must survive everything.
struct SandboxDatabase: Sendable {
    let writer: any DatabaseWriter

    init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        writer = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(writer)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: postal dossiers") { db in
            try db.execute(
                sql: """
                    CREATE TABLE hoso (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        MaBuuGui TEXT NOT NULL UNIQUE,
                        payload TEXT NOT NULL,
                        MaTTHC TEXT NOT NULL,
                        MaCoQuan TEXT NOT NULL,
                        LePhi INTEGER NOT NULL CHECK (LePhi >= 0),
                        NgayGui TEXT NOT NULL,
                        TrangThaiHoSo INTEGER NOT NULL CHECK (TrangThaiHoSo BETWEEN 1 AND 10),
                        MaHoSo TEXT UNIQUE,
                        NgayHenTra TEXT,
                        SoBienBan TEXT,
                        ThoiDiemBanGiao TEXT,
                        NguoiNhan TEXT,
                        MaBuuGuiKetQua TEXT,
                        TrangThaiKetQua TEXT,
                        TienThuKhiPhat INTEGER NOT NULL DEFAULT 0,
                        registeredAt TEXT NOT NULL,
                        statusChangedAt TEXT NOT NULL
                    );
                    CREATE INDEX hoso_ngayGui ON hoso(NgayGui, id);
                    CREATE INDEX hoso_status ON hoso(TrangThaiHoSo, statusChangedAt);

                    CREATE TABLE ketqua (
                        MaBuuGui TEXT NOT NULL REFERENCES hoso(MaBuuGui) ON DELETE CASCADE,
                        TrangThai TEXT NOT NULL,
                        LanPhat INTEGER NOT NULL,
                        MaBuuGuiKetQua TEXT NOT NULL,
                        ThoiDiem TEXT NOT NULL,
                        GhiChu TEXT NOT NULL,
                        PRIMARY KEY (MaBuuGui, TrangThai, LanPhat)
                    );

                    CREATE TABLE daySequence (
                        MaCoQuan TEXT NOT NULL,
                        day TEXT NOT NULL,
                        last INTEGER NOT NULL,
                        PRIMARY KEY (MaCoQuan, day)
                    );

                    CREATE TABLE callback (
                        id TEXT PRIMARY KEY NOT NULL,
                        MaBuuGui TEXT NOT NULL,
                        body TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        nextAttemptAt TEXT NOT NULL,
                        createdAt TEXT NOT NULL,
                        lastError TEXT
                    );
                    CREATE INDEX callback_due ON callback(state, nextAttemptAt);
                    """)
        }
        migrator.registerMigration("v2: the ledger list read from one index") { db in
            // The nightly reconciliation reads the whole range through the list. With every listed column in the
            // index, a page is one walk along it; by (NgayGui, id) alone, each row was one more lookup in the
            // table, past its payload, and a page took twice as long.
            try db.execute(
                sql: """
                    DROP INDEX hoso_ngayGui;
                    CREATE INDEX hoso_list ON hoso(NgayGui, id, MaBuuGui, MaHoSo, MaTTHC, MaCoQuan, TrangThaiHoSo, LePhi,
                        ThoiDiemBanGiao, NgayHenTra, MaBuuGuiKetQua, TrangThaiKetQua);
                    """)
        }
        return migrator
    }
}
