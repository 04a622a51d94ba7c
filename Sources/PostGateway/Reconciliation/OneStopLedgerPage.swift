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
        let page = try Self.envelope(of: data) { parser in try Self.row(&parser) }
        self.init(rows: page.rows, next: page.next)
    }

    /// A list's envelope, calls 4 and 8 alike: the rows of `DuLieu`, each read by `row`, and the `TiepTheo` cursor.
    static func envelope<Row>(of data: Data, row: (inout JSONValue.Parser) throws -> Row) throws -> (rows: [Row], next: String?) {
        var rows: [Row] = []
        var next: String?
        var listed = false
        try data.withUnsafeBytes { raw in
            var parser = JSONValue.Parser(bytes: raw.bindMemory(to: UInt8.self))
            try parser.members(depth: 0) { key, parser in
                switch key {
                case "DuLieu":
                    listed = true
                    rows.reserveCapacity(1000)
                    try parser.elements(depth: 1) { parser in rows.append(try row(&parser)) }
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
        return (rows, next)
    }

    /// The fields compared, by their keys' bytes: a page is eleven thousand keys.
    private enum Field {
        case maBuuGui, maCoQuan, trangThaiHoSo, lePhi, maHoSo, ngayHenTra, thoiDiemBanGiao, maBuuGuiKetQua, trangThaiKetQua

        var key: StaticString {
            switch self {
            case .maBuuGui: "MaBuuGui"
            case .maCoQuan: "MaCoQuan"
            case .trangThaiHoSo: "TrangThaiHoSo"
            case .lePhi: "LePhi"
            case .maHoSo: "MaHoSo"
            case .ngayHenTra: "NgayHenTra"
            case .thoiDiemBanGiao: "ThoiDiemBanGiao"
            case .maBuuGuiKetQua: "MaBuuGuiKetQua"
            case .trangThaiKetQua: "TrangThaiKetQua"
            }
        }

        /// Told apart by length and one letter, then checked whole.
        init?(_ key: UnsafeBufferPointer<UInt8>) {
            let candidate: Field
            switch (key.count, key.count > 2 ? key[2] : 0) {
            case (5, _): candidate = .lePhi
            case (6, UInt8(ascii: "H")): candidate = .maHoSo
            case (8, UInt8(ascii: "B")): candidate = .maBuuGui
            case (8, UInt8(ascii: "C")): candidate = .maCoQuan
            case (10, _): candidate = .ngayHenTra
            case (13, _): candidate = .trangThaiHoSo
            case (14, _): candidate = .maBuuGuiKetQua
            case (15, UInt8(ascii: "o")): candidate = .thoiDiemBanGiao
            case (15, UInt8(ascii: "a")): candidate = .trangThaiKetQua
            default: return nil
            }
            let name = candidate.key
            guard name.utf8CodeUnitCount == key.count, let bytes = key.baseAddress, memcmp(name.utf8Start, bytes, key.count) == 0 else { return nil }
            self = candidate
        }
    }

    private static func row(_ parser: inout JSONValue.Parser) throws -> OneStopLedgerRow {
        var row = OneStopLedgerRow()
        try parser.members(
            depth: 2,
            keyBytes: { key, parser in
                let value = try parser.value(depth: 3)
                // Fields not compared (MaTTHC, NgayGui …) are read, for the page's syntax, and left.
                guard let field = Field(key) else { return }
                func text() throws -> String? {
                    switch value {
                    case .string(let text): return text
                    case .null: return nil
                    default: throw Malformed(description: "a row has \(field.key) that is not text")
                    }
                }
                func integer() throws -> Int64? {
                    switch value {
                    case .integer(let number): return number
                    case .null: return nil
                    default: throw Malformed(description: "a row has \(field.key) that is not a whole number")
                    }
                }
                switch field {
                case .maBuuGui: row.maBuuGui = try text()
                case .maCoQuan: row.maCoQuan = try text()
                case .trangThaiHoSo: row.trangThaiHoSo = try integer()
                case .lePhi: row.lePhi = try integer()
                case .maHoSo: row.maHoSo = try text()
                case .ngayHenTra: row.ngayHenTra = try text()
                case .thoiDiemBanGiao: row.thoiDiemBanGiao = try text()
                case .maBuuGuiKetQua: row.maBuuGuiKetQua = try text()
                case .trangThaiKetQua: row.trangThaiKetQua = try text()
                }
            })
        return row
    }
}
