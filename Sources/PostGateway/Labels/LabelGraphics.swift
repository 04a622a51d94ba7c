/// The machine-readable parts of a label, drawn for each output: SVG fragments in module units (a template
/// places and scales them with a transform) and ZPL graphics in printer dots.
enum LabelGraphics {
    /// Quiet zones: 4 modules around a QR code, 10 on each side of a Code 128 symbol.
    static let qrQuietZone = 4
    static let barcodeQuietZone = 10

    /// A QR code as one SVG path over a white square; 1 unit = 1 module, quiet zone included. Each run of dark
    /// modules in a row is one stroke one module wide, which keeps the path (and the label's cost) small.
    static func svg(_ qr: QRCode) -> String {
        let side = qr.size + 2 * qrQuietZone
        var path = ASCIIBuffer(capacity: qr.size * qr.size * 3)
        qr.forEachDarkRun { x, y, length in
            path.append(UInt8(ascii: "M")); path.append(x + qrQuietZone); path.append(UInt8(ascii: " "))
            path.append(y + qrQuietZone); path.append(".5h"); path.append(length)
        }
        return ##"<rect width="\##(side)" height="\##(side)" fill="#fff"/><path d="\##(path.string)" stroke="#000" stroke-width="1" fill="none" shape-rendering="crispEdges"/>"##
    }

    /// Side of the SVG QR drawing in modules, for templates that need to scale it.
    static func svgSide(_ qr: QRCode) -> Int { qr.size + 2 * qrQuietZone }

    /// A Code 128 symbol as SVG bars over white; 1 unit = 1 module wide, `height` modules tall, quiet zones included.
    static func svg(_ barcode: Code128, height: Int) -> String {
        let width = barcode.moduleCount + 2 * barcodeQuietZone
        var bars = ASCIIBuffer(capacity: 1024)
        for bar in barcode.bars() {
            bars.append("M"); bars.append(bar.start + barcodeQuietZone); bars.append(" 0h"); bars.append(bar.width)
            bars.append("v"); bars.append(height); bars.append("h-"); bars.append(bar.width); bars.append("z")
        }
        return ##"<rect width="\##(width)" height="\##(height)" fill="#fff"/><path d="\##(bars.string)" fill="#000" shape-rendering="crispEdges"/>"##
    }

    static func svgWidth(_ barcode: Code128) -> Int { barcode.moduleCount + 2 * barcodeQuietZone }

    /// A QR code as a ZPL `^GFA` graphic field, `dotsPerModule` printer dots per module, quiet zone included.
    ///
    /// A graphic rather than the printer's own `^BQ`: the printed matrix is then exactly the one libqrencode
    /// made and the tests decode, whatever QR encoder (and defaults) a printer's firmware has.
    static func zpl(_ qr: QRCode, dotsPerModule: Int) -> String {
        let side = (qr.size + 2 * qrQuietZone) * dotsPerModule
        let bytesPerRow = (side + 7) / 8
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(bytesPerRow * side * 2)
        var row = [UInt8](repeating: 0, count: bytesPerRow)
        var rowHex: [UInt8] = []
        rowHex.reserveCapacity(bytesPerRow * 2)
        for moduleY in 0..<(qr.size + 2 * qrQuietZone) {
            for index in row.indices { row[index] = 0 }
            let y = moduleY - qrQuietZone
            if (0..<qr.size).contains(y) {
                for x in 0..<qr.size where qr.isDark(x: x, y: y) {
                    let firstDot = (x + qrQuietZone) * dotsPerModule
                    for dot in firstDot..<(firstDot + dotsPerModule) { row[dot / 8] |= 0x80 >> UInt8(dot % 8) }
                }
            }
            // One module row is `dotsPerModule` identical dot rows: encode it once, repeat the hex.
            rowHex.removeAll(keepingCapacity: true)
            for byte in row {
                rowHex.append(hexDigits[Int(byte >> 4)])
                rowHex.append(hexDigits[Int(byte & 0x0F)])
            }
            for _ in 0..<dotsPerModule { hex.append(contentsOf: rowHex) }
        }
        let total = bytesPerRow * side
        return "^GFA,\(total),\(total),\(bytesPerRow),\(String(decoding: hex, as: UTF8.self))"
    }
}

/// Path data written byte by byte: string interpolation of every number was most of a label's cost.
struct ASCIIBuffer {
    private var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ number: Int) {
        precondition(number >= 0)
        // Label coordinates are almost all below 1000: write their digits directly.
        if number < 10 { bytes.append(UInt8(48 + number)); return }
        if number < 100 { bytes.append(UInt8(48 + number / 10)); bytes.append(UInt8(48 + number % 10)); return }
        if number < 1000 {
            bytes.append(UInt8(48 + number / 100)); bytes.append(UInt8(48 + number / 10 % 10)); bytes.append(UInt8(48 + number % 10))
            return
        }
        var divisor = 10
        while divisor <= number / 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(48 + number / divisor % 10))
            divisor /= 10
        }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
