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

/// One result order as the one-stop's ledger holds it (contract v2): a dossier filed online or at the desk, keyed by
/// its mã hồ sơ, whose citizen asked on the portal for the result by post.
public struct SandboxLedgerOrder: Sendable {
    public var maHoSo: String
    public var maTTHC: String
    public var maCoQuan: String
    /// `KenhNop`: 1 at the desk, 2 online.
    public var kenhNop: Int
    public var status: Int
    public var ngayHenTra: String?
    public var lePhiConNo: Int64
    public var nguoiNhan: String
    public var soDienThoai: String
    public var diaChi: String
    public var maDonViHanhChinh: String?
    public var soLuongGiayTo: Int
    public var tienThuKhiPhat: Int64
    public var cuocDaThanhToan: Bool
    /// When the order was placed, `yyyyMMddHHmmss`: the day call 8 lists it under.
    public var ngayDatHang: String
    /// `MaBuuGuiKetQua`, once the post's `TIEP_NHAN_DON` has given it.
    public var resultNumber: String?
    /// `TrangThaiKetQua`: the latest progress the post reported.
    public var resultState: String?

    public init(
        maHoSo: String, maTTHC: String, maCoQuan: String, kenhNop: Int, status: Int, ngayHenTra: String?, lePhiConNo: Int64 = 0,
        nguoiNhan: String, soDienThoai: String, diaChi: String, maDonViHanhChinh: String?, soLuongGiayTo: Int = 1,
        tienThuKhiPhat: Int64, cuocDaThanhToan: Bool, ngayDatHang: String, resultNumber: String? = nil, resultState: String? = nil
    ) {
        self.maHoSo = maHoSo
        self.maTTHC = maTTHC
        self.maCoQuan = maCoQuan
        self.kenhNop = kenhNop
        self.status = status
        self.ngayHenTra = ngayHenTra
        self.lePhiConNo = lePhiConNo
        self.nguoiNhan = nguoiNhan
        self.soDienThoai = soDienThoai
        self.diaChi = diaChi
        self.maDonViHanhChinh = maDonViHanhChinh
        self.soLuongGiayTo = soLuongGiayTo
        self.tienThuKhiPhat = tienThuKhiPhat
        self.cuocDaThanhToan = cuocDaThanhToan
        self.ngayDatHang = ngayDatHang
        self.resultNumber = resultNumber
        self.resultState = resultState
    }
}

/// A row of either of the one-stop's ledgers: a postal dossier (`hoso`) or a result order (`donKetQua`).
public enum SandboxLedgerEntry: Sendable {
    case dossier(SandboxLedgerRow)
    case order(SandboxLedgerOrder)
}

/// Fills a sandbox ledger straight from rows, without the HTTP calls that would have built it: the
/// reconciliation benchmark needs a million dossiers on the one-stop's side in seconds, not hours.
public enum SandboxLedgerImport {
    public static func write(dataDirectory: String, rows: some Sequence<SandboxLedgerRow>) throws {
        try write(dataDirectory: dataDirectory, rows: rows.lazy.map(SandboxLedgerEntry.dossier))
    }

    /// Postal dossiers and result orders, in one transaction. An order's mã hồ sơ also moves its desk's counter of that
    /// day past it, so that a number the sandbox gives later that day never repeats one written here.
    public static func write(dataDirectory: String, rows: some Sequence<SandboxLedgerEntry>) throws {
        let database = try SandboxDatabase(path: (dataDirectory as NSString).appendingPathComponent("onestop.sqlite"))
        let now = SandboxDatabase.sqlDate(Date())
        try database.writer.write { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO hoso (MaBuuGui, payload, MaTTHC, MaCoQuan, LePhi, NgayGui, TrangThaiHoSo, MaHoSo, NgayHenTra, SoBienBan,
                                      ThoiDiemBanGiao, NguoiNhan, MaBuuGuiKetQua, TrangThaiKetQua, registeredAt, statusChangedAt)
                    VALUES (?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertOrder = try db.makeStatement(
                sql: """
                    INSERT INTO donKetQua (MaHoSo, MaTTHC, MaCoQuan, KenhNop, TrangThaiHoSo, NgayHenTra, LePhiConNo, NguoiNhan, SoDienThoai,
                                           DiaChiNhanKetQua, MaDonViHanhChinh, SoLuongGiayTo, TienThuKhiPhat, CuocDaThanhToan, nguonDon,
                                           NgayDatHang, MaBuuGuiKetQua, TrangThaiKetQua, statusChangedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'portal', ?, ?, ?, ?)
                    """)
            let advanceDay = try db.makeStatement(
                sql: """
                    INSERT INTO daySequence (MaCoQuan, day, last) VALUES (?, ?, ?)
                    ON CONFLICT DO UPDATE SET last = max(last, excluded.last)
                    """)
            for entry in rows {
                switch entry {
                case .dossier(let row):
                    try insert.execute(arguments: [
                        row.maBuuGui, row.maTTHC, row.maCoQuan, row.lePhi, row.ngayGui, row.status, row.maHoSo, row.ngayHenTra, row.soBienBan,
                        row.handoverAt, row.soBienBan == nil ? nil : "Cán bộ một cửa", row.resultNumber, row.resultState, now, now,
                    ])
                case .order(let order):
                    try insertOrder.execute(arguments: [
                        order.maHoSo, order.maTTHC, order.maCoQuan, order.kenhNop, order.status, order.ngayHenTra, order.lePhiConNo,
                        order.nguoiNhan, order.soDienThoai, order.diaChi, order.maDonViHanhChinh, order.soLuongGiayTo, order.tienThuKhiPhat,
                        order.cuocDaThanhToan, order.ngayDatHang, order.resultNumber, order.resultState, now,
                    ])
                    if let counter = daySequence(of: order) {
                        try advanceDay.execute(arguments: [order.maCoQuan, counter.day, counter.sequence])
                    }
                }
            }
        }
    }

    /// The day (`yyyyMMdd`) and sequence of a mã hồ sơ of the desk's own shape, `<MaCoQuan>-<yyMMdd>-<sequence>`; nil
    /// for any other, which no counter of the sandbox could give again.
    static func daySequence(of order: SandboxLedgerOrder) -> (day: String, sequence: Int)? {
        let prefix = order.maCoQuan + "-"
        guard order.maHoSo.hasPrefix(prefix) else { return nil }
        let parts = order.maHoSo.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
        func digits(_ text: Substring) -> Bool { !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) } }
        guard parts.count == 2, parts[0].count == 6, digits(parts[0]), digits(parts[1]), let sequence = Int(parts[1]) else { return nil }
        return ("20" + String(parts[0]), sequence)
    }
}
