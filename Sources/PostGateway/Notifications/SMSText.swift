import Foundation

/// An SMS brandname message in the GSM 03.38 7-bit alphabet: 160 septets fit one message, where UCS-2 (any
/// Vietnamese letter with its marks) fits 70 and costs more. Works on Unicode scalars throughout: a Swift Character
/// can hold a letter and its combining marks as one, which is the very thing to take apart.
enum SMSText {
    /// The septets of one message.
    static let limit = 160

    /// Vietnamese without its marks: decomposed, combining marks (U+0300–U+036F) dropped, đ and Đ (which do not
    /// decompose) made d and D. A scalar left outside the GSM-7 alphabet becomes "?", so the text always goes as GSM-7.
    static func unaccented(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue
            case 0x0111: scalars.append("d")
            case 0x0110: scalars.append("D")
            default: scalars.append(septets(of: scalar) == nil ? "?" : scalar)
            }
        }
        return String(scalars)
    }

    /// The septets `text` takes, nil when a scalar is outside the GSM-7 alphabet.
    static func septetCount(_ text: String) -> Int? {
        var count = 0
        for scalar in text.unicodeScalars {
            guard let septets = septets(of: scalar) else { return nil }
            count += septets
        }
        return count
    }

    /// 1 for the basic table, 2 for the extension table (escape + character), nil outside both.
    static func septets(of scalar: Unicode.Scalar) -> Int? {
        if basic.contains(scalar) { return 1 }
        if extensionTable.contains(scalar) { return 2 }
        return nil
    }

    private static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
            .unicodeScalars)
    private static let extensionTable: Set<Unicode.Scalar> = Set("^{}\\[~]|€\u{0C}".unicodeScalars)
}
