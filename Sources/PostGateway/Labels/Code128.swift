/// Code 128 (ISO/IEC 15417), code set B, for the S10 number under the QR: what post-office scanners read.
///
/// Written here because no Swift package on this machine encodes Code 128; the symbology is a fixed table.
/// The tests decode every printed barcode with zbarimg.
struct Code128: Sendable {
    struct UnsupportedCharacter: Error { let character: Character }

    /// Bar and space widths, in modules, of symbol values 0…106 (103–105 start A/B/C, 106 stop).
    static let patterns: [String] = """
        212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 \
        123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 \
        232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 \
        313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 \
        111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 \
        111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 \
        114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112
        """.split(separator: " ").map(String.init)

    /// The same table as numbers, parsed once.
    static let patternWidths: [[Int]] = patterns.map { $0.map { Int($0.asciiValue! - 48) } }

    static let startB = 104
    static let stop = 106

    let text: String
    /// Symbol values: start, data, check, stop.
    let values: [Int]

    init(_ text: String) throws(UnsupportedCharacter) {
        var values = [Self.startB]
        for character in text {
            guard let ascii = character.asciiValue, (32...126).contains(ascii) else { throw UnsupportedCharacter(character: character) }
            values.append(Int(ascii) - 32)
        }
        let checksum = values.enumerated().reduce(0) { sum, entry in sum + entry.element * max(entry.offset, 1) } % 103
        values.append(checksum)
        values.append(Self.stop)
        self.text = text
        self.values = values
    }

    /// Alternating bar and space widths from the first bar to the last (no quiet zones).
    var widths: [Int] { values.flatMap { Self.patternWidths[$0] } }

    /// Width in modules, without quiet zones.
    var moduleCount: Int { widths.reduce(0, +) }

    /// Bars as (start, width) in modules from the left edge of the first bar.
    func bars() -> [(start: Int, width: Int)] {
        var bars: [(start: Int, width: Int)] = []
        var position = 0
        for (index, width) in widths.enumerated() {
            if index % 2 == 0 { bars.append((position, width)) }
            position += width
        }
        return bars
    }
}
