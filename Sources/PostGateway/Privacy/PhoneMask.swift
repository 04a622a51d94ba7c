/// A phone as lists and logs show it: the first three and the last three digits, the rest starred (`091****678`),
/// enough for a clerk to tell two numbers apart on the telephone, too little to call one.
enum PhoneMask {
    static func masked(_ phone: String) -> String {
        let scalars = Array(phone.unicodeScalars)
        guard scalars.count > 6 else { return String(repeating: "*", count: scalars.count) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(3))
        view.append(contentsOf: Array(repeating: "*", count: scalars.count - 6))
        view.append(contentsOf: scalars.suffix(3))
        return String(view)
    }
}
