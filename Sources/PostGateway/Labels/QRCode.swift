import CQRencode

/// A QR code symbol encoded by libqrencode: a square of dark and light modules, without the quiet zone.
struct QRCode: Sendable {
    enum ErrorCorrection: Sendable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    struct EncodingFailed: Error {}

    /// Modules per side.
    let size: Int
    /// Row-major; true is dark.
    let modules: [Bool]

    /// Encodes the text as 8-bit bytes (UTF-8), the smallest version that fits.
    init(_ text: String, errorCorrection: ErrorCorrection = .medium) throws {
        guard let symbol = QRcode_encodeString8bit(text, 0, errorCorrection.level) else { throw EncodingFailed() }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        let data = UnsafeBufferPointer(start: symbol.pointee.data, count: width * width)
        size = width
        // libqrencode marks a dark module with the lowest bit; the other bits describe the module's role.
        modules = data.map { $0 & 1 == 1 }
    }

    func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Horizontal runs of dark modules, row by row, as the SVG path draws them.
    func forEachDarkRun(_ body: (_ x: Int, _ y: Int, _ length: Int) -> Void) {
        for y in 0..<size {
            forEachDarkRun(inRow: y) { x, length in body(x, y, length) }
        }
    }

    /// The runs of dark modules of one row, left to right.
    func forEachDarkRun(inRow y: Int, _ body: (_ x: Int, _ length: Int) -> Void) {
        modules.withUnsafeBufferPointer { cells in
            let row = y * size
            var x = 0
            while x < size {
                guard cells[row + x] else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && cells[row + x] { x += 1 }
                body(start, x - start)
            }
        }
    }
}
