/// Money is whole đồng in an `Int64`, never floating point. This is how a person reads it: `38.000 đ`.
enum Money {
    static func formatted(_ dong: Int64) -> String {
        let digits = String(dong.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (dong < 0 ? "-" : "") + grouped + " đ"
    }
}
