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
        // At most one run every other module of a row, each "M<x> <y>.5h<n>" with numbers of at most 3 digits.
        let path = ASCIIWriter.string(capacity: qr.size * (qr.size + 1) / 2 * 14) { path in
            qr.forEachDarkRun { x, y, length in
                path.append(UInt8(ascii: "M"))
                path.append(x + qrQuietZone)
                path.append(UInt8(ascii: " "))
                path.append(y + qrQuietZone)
                path.append(".5h")
                path.append(length)
            }
        }
        return
            ##"<rect width="\##(side)" height="\##(side)" fill="#fff"/><path d="\##(path)" stroke="#000" stroke-width="1" fill="none" shape-rendering="crispEdges"/>"##
    }

    /// Side of the SVG QR drawing in modules, for templates that need to scale it.
    static func svgSide(_ qr: QRCode) -> Int { qr.size + 2 * qrQuietZone }

    /// A Code 128 symbol as SVG bars over white; 1 unit = 1 module wide, `height` modules tall, quiet zones included.
    static func svg(_ barcode: Code128, height: Int) -> String {
        let width = barcode.moduleCount + 2 * barcodeQuietZone
        let bars = barcode.bars()
        // "M<start> 0h<w>v<height>h-<w>z": 10 letters and four numbers, none longer than the symbol's width.
        let digits = String(max(width, height)).utf8.count
        let path = ASCIIWriter.string(capacity: bars.count * (10 + 4 * digits)) { path in
            for bar in bars {
                path.append("M")
                path.append(bar.start + barcodeQuietZone)
                path.append(" 0h")
                path.append(bar.width)
                path.append("v")
                path.append(height)
                path.append("h-")
                path.append(bar.width)
                path.append("z")
            }
        }
        return ##"<rect width="\##(width)" height="\##(height)" fill="#fff"/><path d="\##(path)" fill="#000" shape-rendering="crispEdges"/>"##
    }

    static func svgWidth(_ barcode: Code128) -> Int { barcode.moduleCount + 2 * barcodeQuietZone }

    /// A QR code as a ZPL `^GFA` graphic field, `dotsPerModule` printer dots per module, quiet zone included.
    ///
    /// A graphic rather than the printer's own `^BQ`: the printed matrix is then exactly the one libqrencode
    /// made and the tests decode, whatever QR encoder (and defaults) a printer's firmware has.
    ///
    /// Each module row is `dotsPerModule` identical dot rows: its hex is written once and then repeated with
    /// ZPL's `:` ("same as the row before"), which keeps the field (and its cost) a fifth of its plain size.
    static func zpl(_ qr: QRCode, dotsPerModule: Int) -> String {
        let modulesPerSide = qr.size + 2 * qrQuietZone
        let side = modulesPerSide * dotsPerModule
        let bytesPerRow = (side + 7) / 8
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(modulesPerSide * (bytesPerRow * 2 + dotsPerModule))
        var row = [UInt8](repeating: 0, count: bytesPerRow)
        for moduleY in 0..<modulesPerSide {
            for index in row.indices { row[index] = 0 }
            let y = moduleY - qrQuietZone
            if y >= 0 && y < qr.size {
                qr.forEachDarkRun(inRow: y) { x, length in
                    for dot in ((x + qrQuietZone) * dotsPerModule)..<((x + length + qrQuietZone) * dotsPerModule) {
                        row[dot >> 3] |= 0x80 >> UInt8(dot & 7)
                    }
                }
            }
            for byte in row {
                hex.append(hexDigits[Int(byte >> 4)])
                hex.append(hexDigits[Int(byte & 0x0F)])
            }
            for _ in 1..<dotsPerModule { hex.append(UInt8(ascii: ":")) }
        }
        let total = bytesPerRow * side
        return "^GFA,\(total),\(total),\(bytesPerRow),\(String(decoding: hex, as: UTF8.self))"
    }
}

/// Path data written byte by byte straight into a string's storage: string interpolation of every number, and
/// then an array of bytes copied into a string, were most of a label's own cost.
struct ASCIIWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var count = 0

    /// A string of at most `capacity` ASCII bytes; writing past it stops the process rather than memory.
    static func string(capacity: Int, _ write: (inout ASCIIWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = ASCIIWriter(buffer: buffer)
            write(&writer)
            return writer.count
        }
    }

    private init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    mutating func append(_ byte: UInt8) {
        precondition(count < buffer.count, "ASCIIWriter capacity")
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { append(byte) } }
    }

    mutating func append(_ number: Int) {
        precondition(number >= 0)
        var divisor = 1
        while divisor <= number / 10 { divisor *= 10 }
        while divisor > 0 {
            append(UInt8(48 + number / divisor % 10))
            divisor /= 10
        }
    }
}
