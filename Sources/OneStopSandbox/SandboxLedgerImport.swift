import Foundation
import GRDB

/// One dossier as the one-stop's ledger holds it, for filling a sandbox ledger in bulk.
public struct SandboxLedgerRow: Sendable {
    public var maBuuGui: String
    public var maTTHC: String
    public var maCoQuan: String
    public var lePhi: Int64
    public var ngayGui: String
    public var status: Int
    public var maHoSo: String?
    public var ngayHenTra: String?
    public var soBienBan: String?
    public var handoverAt: String?
    public var resultNumber: String?
    public var resultState: String?

    public init(
        maBuuGui: String, maTTHC: String, maCoQuan: String, lePhi: Int64, ngayGui: String, status: Int, maHoSo: String? = nil,
        ngayHenTra: String? = nil, soBienBan: String? = nil, handoverAt: String? = nil, resultNumber: String? = nil,
        resultState: String? = nil
    ) {
        self.maBuuGui = maBuuGui
        self.maTTHC = maTTHC
        self.maCoQuan = maCoQuan
        self.lePhi = lePhi
        self.ngayGui = ngayGui
        self.status = status
        self.maHoSo = maHoSo
        self.ngayHenTra = ngayHenTra
        self.soBienBan = soBienBan
        self.handoverAt = handoverAt
        self.resultNumber = resultNumber
        self.resultState = resultState
    }
}

/// Fills a sandbox ledger straight from rows, without the HTTP calls that would have built it: the
/// reconciliation benchmark needs a million dossiers on the one-stop's side in seconds, not hours.
public enum SandboxLedgerImport {
    public static func write(dataDirectory: String, rows: some Sequence<SandboxLedgerRow>) throws {
        let database = try SandboxDatabase(path: (dataDirectory as NSString).appendingPathComponent("onestop.sqlite"))
        let now = SandboxDatabase.sqlDate(Date())
        try database.writer.write { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO hoso (MaBuuGui, payload, MaTTHC, MaCoQuan, LePhi, NgayGui, TrangThaiHoSo, MaHoSo, NgayHenTra, SoBienBan,
                                      ThoiDiemBanGiao, NguoiNhan, MaBuuGuiKetQua, TrangThaiKetQua, registeredAt, statusChangedAt)
                    VALUES (?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for row in rows {
                try insert.execute(arguments: [
                    row.maBuuGui, row.maTTHC, row.maCoQuan, row.lePhi, row.ngayGui, row.status, row.maHoSo, row.ngayHenTra, row.soBienBan,
                    row.handoverAt, row.soBienBan == nil ? nil : "Cán bộ một cửa", row.resultNumber, row.resultState, now, now,
                ])
            }
        }
    }
}
