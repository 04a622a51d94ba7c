/// Text that only exists to confuse: it is refused in every text field, with a problem naming the field.
///
/// - A first scalar that joins the character before it (a combining mark, a grapheme extender such as U+FF9E or
///   U+200D), or a Prepend scalar such as U+0600 first or last (it joins the character after it): in a page, a label or
///   a printer's field it merges with the markup around it. Vietnamese typed decomposed (NFD) puts its marks after their letters, never first, so it still passes.
/// - Bidirectional embedding, override and isolate controls: they reorder what a clerk or a citizen reads
///   ("Trojan Source", CVE-2021-42574), so a name could show one thing and print another.
enum Confusable {
    static func problem(in text: String) -> IssueCode? {
        let scalars = text.unicodeScalars
        // Every scalar checked below is at or above U+0300: ASCII-only text is fine at once.
        guard text.utf8.contains(where: { $0 >= 0xCC }) else { return nil }
        if let first = scalars.first, joinsThePrevious(first) || prepend.contains(first.value) { return .joiningCharacter }
        if let last = scalars.last, prepend.contains(last.value) { return .joiningCharacter }
        if scalars.contains(where: isBidiControl) { return .bidiControl }
        return nil
    }

    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    static func joinsThePrevious(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: break
        }
        return scalar.properties.isGraphemeExtend || scalar.value == 0x200D || prepend.contains(scalar.value)
    }

    /// Grapheme_Cluster_Break=Prepend (Unicode 15.1, GraphemeBreakProperty.txt), for which Swift has no property.
    private static let prepend: Set<UInt32> = Set(
        Array(0x0600...0x0605) + [
            0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x0D4E, 0x110BD, 0x110CD, 0x111C2, 0x111C3,
            0x1193F, 0x11941, 0x11A3A,
        ] + Array(0x11A84...0x11A89) + [0x11D46, 0x11F02])
}
