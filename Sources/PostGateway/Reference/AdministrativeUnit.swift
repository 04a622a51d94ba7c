/// A commune-level administrative unit (xã, phường, thị trấn) over the days it was in force.
///
/// Codes are reused: since 1 July 2025, 46 of Thái Nguyên's 92 codes name a different unit than they did before
/// (05443 was phường Trưng Vương, is now phường Phan Đình Phùng), so a code means nothing without a day.
struct AdministrativeUnit: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable, Codable {
        case commune = "xã"
        case ward = "phường"
        case townlet = "thị trấn"
    }

    let code: String
    /// nil: in force since before the data starts.
    let validFrom: LocalDate?
    /// nil: still in force. The last day the unit existed, inclusive.
    let validTo: LocalDate?
    let name: String
    let kind: Kind
    let provinceCode: String
    /// The district the unit lay in until districts were abolished on 1 July 2025; nil for units formed since.
    let formerDistrict: String?
    /// The unit(s) its territory passed to, the one that took most of it first; empty while it is in force.
    let successors: [String]

    /// The unit itself, not its code: a code names another unit on the other side of a change.
    var id: String { "\(code)@\(validFrom?.description ?? "")" }

    /// "phường Phan Đình Phùng", as resolutions and addresses write it.
    var fullName: String { "\(kind.rawValue) \(name)" }

    func isInForce(on day: LocalDate) -> Bool {
        (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true)
    }

    /// Whether the unit was in force on any day of `from…to`.
    func overlaps(from: LocalDate, to: LocalDate) -> Bool {
        (validFrom.map { $0 <= to } ?? true) && (validTo.map { from <= $0 } ?? true)
    }
}

extension AdministrativeUnit: Encodable {
    enum CodingKeys: String, CodingKey {
        case code, validFrom, validTo, name, kind, provinceCode, formerDistrict, successors
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(validFrom?.description, forKey: .validFrom)
        try container.encode(validTo?.description, forKey: .validTo)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(provinceCode, forKey: .provinceCode)
        try container.encode(formerDistrict, forKey: .formerDistrict)
        try container.encode(successors, forKey: .successors)
    }
}
