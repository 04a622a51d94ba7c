import Foundation

/// A page of the one-stop's result orders (call 8). The envelope is read as `OneStopLedgerPage` reads call 4's; each
/// order as a plain JSON object, as a night has far fewer orders than a month has dossiers. The contract's types are
/// checked and nothing else: `OneStopOrderReader` decides what a row must hold.
struct OneStopOrderPage: Sendable {
    var rows: [OneStopOrderRow] = []
    var next: String?

    init(rows: [OneStopOrderRow], next: String?) {
        self.rows = rows
        self.next = next
    }

    init(parsing data: Data) throws {
        let page = try OneStopLedgerPage.envelope(of: data) { parser in try Self.row(try parser.value(depth: 2)) }
        self.init(rows: page.rows, next: page.next)
    }

    /// Fields not compared (MaTTHC, NgayHenTra …) are left.
    static func row(_ value: JSONValue) throws -> OneStopOrderRow {
        guard case .object(let fields) = value else { throw OneStopLedgerPage.Malformed(description: "an order is not an object") }
        func text(_ key: String) throws -> String? {
            switch fields[key] {
            case .string(let text)?: return text
            case .null?, nil: return nil
            default: throw OneStopLedgerPage.Malformed(description: "an order has \(key) that is not text")
            }
        }
        func integer(_ key: String) throws -> Int64? {
            switch fields[key] {
            case .integer(let number)?: return number
            case .null?, nil: return nil
            default: throw OneStopLedgerPage.Malformed(description: "an order has \(key) that is not a whole number")
            }
        }
        // The key of every order: a row without one is not the contract's.
        guard let code = try text("MaHoSo") else { throw OneStopLedgerPage.Malformed(description: "an order has no MaHoSo") }
        return OneStopOrderRow(
            maHoSo: code, maBuuGuiKetQua: try text("MaBuuGuiKetQua"), maCoQuan: try text("MaCoQuan"),
            trangThaiHoSo: try integer("TrangThaiHoSo"), tienThuKhiPhat: try integer("TienThuKhiPhat"),
            trangThaiKetQua: try text("TrangThaiKetQua"), ngayDatHang: try text("NgayDatHang"))
    }
}
