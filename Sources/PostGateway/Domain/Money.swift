/// Money is whole đồng in an `Int64`, never floating point. This is how a person reads it: `38.000 đ`.
enum Money {
    /// What one amount may be, from the counter or from the one-stop: a trillion đồng is far above any fee or cash
    /// collected, and a million amounts at that bound still add up well inside an `Int64`.
    static let validRange: ClosedRange<Int64> = 0...1_000_000_000_000

    static func formatted(_ dong: Int64) -> String {
        let digits = Array(String(dong.magnitude).utf8)
        var grouped: [UInt8] = dong < 0 ? [UInt8(ascii: "-")] : []
        grouped.reserveCapacity(digits.count + digits.count / 3 + 6)
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(UInt8(ascii: ".")) }
            grouped.append(digit)
        }
        return String(decoding: grouped, as: UTF8.self) + " đ"
    }
}
