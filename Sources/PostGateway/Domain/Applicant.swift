/// Rules for the applicant's identifiers (DESIGN §2). Kept as free functions of plain strings so the
/// intake validator, the seeders and the tests share them.
enum ApplicantRules {
    /// CCCD: exactly 12 ASCII digits. There is no check digit; none is invented.
    static func isCitizenID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (48...57).contains($0) }
    }

    /// A Vietnamese mobile number, `0[35789]` + 8 digits or the same after `+84`/`84`, with spaces, dots
    /// and dashes tolerated; answers the `0…` form, or nil.
    static func normalisedMobile(_ text: String) -> String? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") {
            digits = "0" + digits.dropFirst(3)
        } else if digits.hasPrefix("84") && digits.count == 11 {
            digits = "0" + digits.dropFirst(2)
        }
        let bytes = Array(digits.utf8)
        guard bytes.count == 10, bytes[0] == UInt8(ascii: "0"), "35789".utf8.contains(bytes[1]),
            bytes.allSatisfy({ (48...57).contains($0) })
        else { return nil }
        return digits
    }

    /// A deliberately loose check: one @, something before, a dot in the domain, no spaces.
    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), text.count <= 254
        else { return false }
        return !text.contains(where: \.isWhitespace)
    }
}
