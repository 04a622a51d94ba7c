import Foundation

/// Desks and communes as the reference data has them on a day: shared by intake and by result orders.
extension FieldChecker {
    /// A desk open on `day`; a closed one is refused naming the desks that took over, one not yet open with its day.
    mutating func agency(_ value: JSONValue?, at path: String, on day: LocalDate, in reference: ReferenceData) -> ReferenceData.Agency? {
        guard let code = string(value, at: path, maxLength: 50) else { return nil }
        guard let agency = reference.agency(code) else {
            report(FieldIssue(path, .unknownAgency, code))
            return nil
        }
        if let opens = agency.validFrom.flatMap(LocalDate.init(iso:)), day < opens {
            report(FieldIssue(path, .agencyNotYetOpen, agency.name, LocalDate.vietnameseForm(opens.description)))
            return nil
        }
        guard agency.isOpen(on: day) else {
            let closed = agency.validTo.flatMap(LocalDate.init(iso:))?.adding(days: 1).description ?? ""
            let successors = reference.successors(of: agency).map { "\($0.name) (\($0.code))" }.joined(separator: "; ")
            report(FieldIssue(path, .agencyClosed, agency.name, LocalDate.vietnameseForm(closed), successors))
            return nil
        }
        return agency
    }

    /// A commune-level unit in force on `day`; an ended one is refused naming where it went.
    mutating func unit(_ value: JSONValue?, at path: String, required: Bool, on day: LocalDate, in reference: ReferenceData)
        -> AdministrativeUnit?
    {
        guard let code = string(value, at: path, required: required, maxLength: 20) else { return nil }
        if let unit = reference.map.unit(code, on: day) { return unit }
        guard let ended = reference.map.units(withCode: code).last(where: { $0.validTo.map { $0 < day } ?? false }) else {
            report(FieldIssue(path, .unknownUnit, code))
            return nil
        }
        let successors = reference.map.successors(of: ended).map { "\($0.fullName) (\($0.code))" }.joined(separator: "; ")
        report(FieldIssue(path, .unitEnded, ended.fullName, code, LocalDate.vietnameseForm(ended.validTo!.adding(days: 1).description), successors))
        return nil
    }

    /// A Vietnamese mobile number, in the one form the ledger keeps.
    mutating func mobile(_ value: JSONValue?, at path: String) -> String? {
        string(value, at: path, maxLength: 20).flatMap { text in
            ApplicantRules.normalisedMobile(text)
                ?? {
                    report(FieldIssue(path, .invalidPhone))
                    return nil
                }()
        }
    }
}
