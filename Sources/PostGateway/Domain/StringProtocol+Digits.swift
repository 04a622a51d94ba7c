extension StringProtocol {
    /// Only the ASCII digits 0–9 (true for an empty string, as `allSatisfy` is): full-width digits and other
    /// scripts' digits, which `Character.isNumber` accepts, are not.
    var isASCIIDigits: Bool {
        utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
