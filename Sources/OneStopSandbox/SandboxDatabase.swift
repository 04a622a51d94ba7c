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
        migrator.registerMigration("v3: dossiers filed online or at the desk, and their result orders (contract v2)") { db in
            // Such a dossier has a MaHoSo and no MaBuuGui; its order (NguoiNhan…) is empty until the citizen asks for
            // delivery by post, on the portal (call 5) or at a post office's counter (call 6).
            try db.execute(
                sql: """
                    CREATE TABLE donKetQua (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        MaHoSo TEXT NOT NULL UNIQUE CHECK (length(MaHoSo) BETWEEN 1 AND 50),
                        MaTTHC TEXT NOT NULL,
                        MaCoQuan TEXT NOT NULL,
                        KenhNop INTEGER NOT NULL CHECK (KenhNop IN (1, 2)),
                        TrangThaiHoSo INTEGER NOT NULL CHECK (TrangThaiHoSo BETWEEN 1 AND 10),
                        NgayHenTra TEXT,
                        LePhiConNo INTEGER NOT NULL DEFAULT 0 CHECK (LePhiConNo >= 0),
                        NguoiNhan TEXT,
                        SoDienThoai TEXT,
                        DiaChiNhanKetQua TEXT,
                        MaDonViHanhChinh TEXT,
                        SoLuongGiayTo INTEGER NOT NULL DEFAULT 1 CHECK (SoLuongGiayTo >= 1),
                        TienThuKhiPhat INTEGER NOT NULL DEFAULT 0 CHECK (TienThuKhiPhat >= 0),
                        CuocDaThanhToan INTEGER NOT NULL DEFAULT 0,
                        nguonDon TEXT CHECK (nguonDon IN ('portal', 'counter')),
                        NgayDatHang TEXT,
                        payloadDon TEXT,
                        MaBuuGuiKetQua TEXT UNIQUE,
                        TrangThaiKetQua TEXT,
                        statusChangedAt TEXT NOT NULL
                    );
                    CREATE INDEX donKetQua_list ON donKetQua(NgayDatHang, id) WHERE NgayDatHang IS NOT NULL;

                    CREATE TABLE tienDoDon (
                        MaHoSo TEXT NOT NULL REFERENCES donKetQua(MaHoSo) ON DELETE CASCADE,
                        TrangThai TEXT NOT NULL,
                        LanPhat INTEGER NOT NULL,
                        MaBuuGuiKetQua TEXT NOT NULL,
                        ThoiDiem TEXT NOT NULL,
                        GhiChu TEXT NOT NULL,
                        PRIMARY KEY (MaHoSo, TrangThai, LanPhat)
                    );

                    -- A callback is about a postal dossier (its MaBuuGui) or a result order (its MaHoSo).
                    ALTER TABLE callback RENAME COLUMN MaBuuGui TO dossierKey;
                    """)
        }
        migrator.registerMigration("v4: messages to citizens, as Zalo ZNS and an SMS gateway would have taken them") { db in
            try db.execute(
                sql: """
                    -- One row per tracking id (ZNS tracking_id, eSMS RequestId): a retry is the same message, not a second.
                    CREATE TABLE message (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        trackingId TEXT NOT NULL UNIQUE,
                        phone TEXT NOT NULL,
                        channel TEXT NOT NULL CHECK (channel IN ('zalo', 'sms')),
                        template TEXT NOT NULL,
                        text TEXT NOT NULL,
                        sentAt TEXT NOT NULL
                    );
                    CREATE TABLE zaloToken (
                        token TEXT PRIMARY KEY,
                        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
                        expiresAt TEXT,
                        usedAt TEXT
                    );
                    """)
        }
        return migrator
    }
}
