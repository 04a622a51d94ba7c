import PropertyBased

/// Strings built from the scalars that break out of markup, printer fields and spreadsheet cells, around the ones that
/// join them into a Swift `Character` with their neighbours (U+0600 Prepend, U+0301 and U+FF9E extenders, U+200D).
enum HostileText {
    static let scalars: [String] = [
        "<", ">", "&", "\"", "'", "`", "^", "~", "_", "=", "+", "-", "@", ",", ";", "/", "\\",
        "\u{600}", "\u{301}", "\u{FF9E}", "\u{200D}", "\u{202E}", "\u{FEFF}",
        "a", "Đ", "ễ", "e\u{302}\u{303}", " ", "\n", "\r", "\t", "\u{1}", "\u{7F}", "\u{FFFE}", "{{", "}}", "^FS", "^XZ", "&amp;",
    ]

    static let gen = Gen.element(of: scalars).compactMap { $0 }.array(of: 0...14).map { $0.joined() }
}
