import Foundation

/// One row of the one-stop's list (ONESTOP_API.md §4) as the reconciliation compares it, with the contract's
/// types checked and nothing else: `OneStopLedgerReader` decides what a row must hold.
struct OneStopLedgerRow: Sendable, Equatable {
    var maBuuGui: String?
    var maCoQuan: String?
    var trangThaiHoSo: Int64?
    var lePhi: Int64?
    var maHoSo: String?
    var ngayHenTra: String?
    var thoiDiemBanGiao: String?
    var maBuuGuiKetQua: String?
    var trangThaiKetQua: String?
}

/// A page of the one-stop's list, read straight from the bytes into rows: a thousand rows made into a thousand
/// dictionaries first was the largest cost of reading a province's month.
struct OneStopLedgerPage: Sendable {
    var rows: [OneStopLedgerRow] = []
    var next: String?

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    init(rows: [OneStopLedgerRow], next: String?) {
        self.rows = rows
        self.next = next
    }

    init(parsing data: Data) throws {
        var rows: [OneStopLedgerRow] = []
        var next: String?
        var listed = false
        try data.withUnsafeBytes { raw in
            var parser = JSONValue.Parser(bytes: raw.bindMemory(to: UInt8.self))
            try parser.members(depth: 0) { key, parser in
                switch key {
                case "DuLieu":
                    listed = true
                    rows.reserveCapacity(1000)
                    try parser.elements(depth: 1) { parser in rows.append(try Self.row(&parser)) }
                case "TiepTheo":
                    switch try parser.value(depth: 1) {
                    case .string(let cursor): next = cursor
                    case .null: next = nil
                    default: throw Malformed(description: "TiepTheo is not text")
                    }
                default:
                    _ = try parser.value(depth: 1)
                }
            }
            try parser.end()
        }
        guard listed else { throw Malformed(description: "the page has no DuLieu") }
        self.init(rows: rows, next: next)
    }

    private static func row(_ parser: inout JSONValue.Parser) throws -> OneStopLedgerRow {
        var row = OneStopLedgerRow()
        try parser.members(depth: 2) { key, parser in
            let value = try parser.value(depth: 3)
            func text() throws -> String? {
                switch value {
                case .string(let text): return text
                case .null: return nil
                default: throw Malformed(description: "a row has \(key) that is not text")
                }
            }
            func integer() throws -> Int64? {
                switch value {
                case .integer(let number): return number
                case .null: return nil
                default: throw Malformed(description: "a row has \(key) that is not a whole number")
                }
            }
            switch key {
            case "MaBuuGui": row.maBuuGui = try text()
            case "MaCoQuan": row.maCoQuan = try text()
            case "TrangThaiHoSo": row.trangThaiHoSo = try integer()
            case "LePhi": row.lePhi = try integer()
            case "MaHoSo": row.maHoSo = try text()
            case "NgayHenTra": row.ngayHenTra = try text()
            case "ThoiDiemBanGiao": row.thoiDiemBanGiao = try text()
            case "MaBuuGuiKetQua": row.maBuuGuiKetQua = try text()
            case "TrangThaiKetQua": row.trangThaiKetQua = try text()
            default: break  // fields the reconciliation does not compare (MaTTHC, NgayGui …)
            }
        }
        return row
    }
}
