import Foundation

/// A JSON body's fields read one by one, every missing or bad one noted as it is read, so that a refusal names them
/// all at once (the contract's `Loi` list).
struct BodyFields {
    let body: [String: Any]
    private(set) var errors: [(String, String)] = []

    init(_ body: [String: Any]) { self.body = body }

    /// The text at `key`; "" with `message` noted when it is missing or fails `check`.
    @discardableResult
    mutating func text(_ key: String, _ check: (String) -> Bool = { !$0.isEmpty }, _ message: String) -> String {
        guard let value = body[key] as? String, check(value) else {
            errors.append((key, message))
            return ""
        }
        return value
    }

    /// The whole number at `key`; 0 with `message` noted when it is missing, not a whole number or not `allowed`.
    @discardableResult
    mutating func integer(_ key: String, _ allowed: (Int64) -> Bool, _ message: String) -> Int64 {
        integer(key, value: body[key], allowed, message)
    }

    /// `value`, a field of an object in the body that `key` names (`KetQua.SoLuongGiayTo`), as `integer(_:_:_:)` reads one.
    @discardableResult
    mutating func integer(_ key: String, value: Any?, _ allowed: (Int64) -> Bool, _ message: String) -> Int64 {
        guard let number = LGSPResponse.integer(value), allowed(number) else {
            errors.append((key, message))
            return 0
        }
        return number
    }

    mutating func note(_ key: String, _ message: String) { errors.append((key, message)) }

    /// A fault's rate at `key`: a number from 0 to 1; anything else is none.
    func rate(_ key: String) -> Double? {
        (body[key] as? NSNumber).map(\.doubleValue).flatMap { (0...1).contains($0) ? $0 : nil }
    }
}
