/// Text for a ZPL field printed with `^FH` (hex escapes introduced by `_`).
///
/// A `^` or `~` in field data would end the field and start a printer command, so each travels as `_5E` / `_7E`,
/// `_` itself as `_5F`, and control characters as their hex too. The check is on UTF-8 bytes, never on Swift
/// `Character`s: `"\u{600}^"` is one grapheme cluster that is not equal to `"^"`.
enum ZPLFieldData {
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: needsHex) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if needsHex(byte) {
                output += [UInt8(ascii: "_"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func needsHex(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "^") || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "_") || byte < 0x20 || byte == 0x7F
    }
}
