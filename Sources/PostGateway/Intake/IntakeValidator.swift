import Crypto
import Foundation

/// Checks a counter intake against the form's rules and the reference data, and works out its deadlines.
/// Every bad field is reported at once; nothing here touches the ledger.
struct IntakeValidator: Sendable {
    let reference: ReferenceData
    /// Keys the hash of each body the idempotency record keeps.
    let pins: TrackingPins
    /// Seals the ID number here, in the request's own task: the ledger's single writer has enough to do.
    let idNumbers: IdNumberSealer

    static let maxDocuments = 50
    static let topLevelFields: Set<String> = [
        "service", "procedureCode", "agencyCode", "officeCode", "applicant",
        "resultAddress", "resultAddressUnitCode", "resultAddressProvinceCode", "documents", "fees", "note", "supplementTo", "appointmentSlipByPost",
        "notifications",
    ]

    func validate(_ body: JSONValue, idempotencyKey: String?, acceptedAt: Date, acceptedBy: String, acceptedFrom: String? = nil)
        throws(Problem) -> IntakeSubmission
    {
        var check = FieldChecker()
        let key = Self.checkIdempotencyKey(idempotencyKey, into: &check)
        guard case .object(let form) = body else {
            check.report(FieldIssue("(body)", .wrongType, "object", body.kind))
            throw .validation(check.issues)
        }
        check.refuseUnknown(form, allowed: Self.topLevelFields, at: "")

        // Desks and units are those in force on the day the dossier is taken in.
        let jDate = LocalDate(acceptedAt)
        let service = check.choice(form["service"], at: "service", among: ServiceType.takenInAtTheCounter)
        let procedure = lookUpProcedure(form["procedureCode"], service: service, into: &check)
        let agency = lookUpAgency(form["agencyCode"], procedure: procedure, on: jDate, into: &check)
        let office = check.office(form["officeCode"], at: "officeCode", in: reference)
        let applicant = readApplicant(form["applicant"], into: &check)
        let resultAddress = check.string(form["resultAddress"], at: "resultAddress", required: false, maxLength: 300)
        let resultUnit = check.unit(form["resultAddressUnitCode"], at: "resultAddressUnitCode", required: false, on: jDate, in: reference)
        switch (service, resultAddress) {
        case (.sendAndReturn, nil) where !check.issues.contains(where: { $0.field == "resultAddress" }):
            check.report(FieldIssue("resultAddress", .resultAddressRequired))
        case (.sendOnly, _?):
            check.report(FieldIssue("resultAddress", .resultAddressNotExpected))
        default: break
        }
        // The result leg's J + n needs where the address lies: its commune in the map, or its province outside it.
        let resultProvince = lookUpProvince(form["resultAddressProvinceCode"], into: &check)
        switch (service, form["resultAddressUnitCode"], form["resultAddressProvinceCode"]) {
        case (.sendAndReturn, nil, nil): check.report(FieldIssue("resultAddressUnitCode", .resultAddressRequired))
        case (.sendAndReturn, _?, _?): check.report(FieldIssue("resultAddressProvinceCode", .unitOrProvince))
        case (.sendOnly, _?, _): check.report(FieldIssue("resultAddressUnitCode", .resultAddressNotExpected))
        case (.sendOnly, _, _?): check.report(FieldIssue("resultAddressProvinceCode", .resultAddressNotExpected))
        default: break
        }
        let documents = readDocuments(form["documents"], into: &check)
        let fees = check.object(form["fees"], at: "fees")
        var postage: Int64?
        var administrativeFee: Int64?
        if let fees {
            check.refuseUnknown(fees, allowed: ["postage", "administrativeFee"], at: "fees")
            postage = check.money(fees["postage"], at: "fees.postage")
            administrativeFee = check.money(fees["administrativeFee"], at: "fees.administrativeFee")
        }
        let note = check.string(form["note"], at: "note", required: false, maxLength: 500)
        // The agency's appointment slip (phiếu hẹn) is to reach the citizen by post: Circular 17 Art 7 doubles n.
        let appointmentSlipByPost = check.bool(form["appointmentSlipByPost"], at: "appointmentSlipByPost", default: false)
        // Whether the original awaits this supplement is the ledger's to say, in the transaction that writes it.
        let supplementTo = check.string(form["supplementTo"], at: "supplementTo", required: false, maxLength: 13).flatMap {
            check.trackingNumber($0, at: "supplementTo")
        }

        // Messages only with the citizen's consent, on the channel they chose (Zalo falls back to SMS).
        let consent: NoticeConsent? = form["notifications"].map { check.choice($0, at: "notifications") } ?? NoticeConsent.none

        guard check.issues.isEmpty, let key, let service, let procedure, let agency, let office, let applicant,
            let documents, let postage, let administrativeFee, let appointmentSlipByPost, let consent
        else { throw .validation(check.issues) }

        var warnings: [FieldIssue] = []
        if administrativeFee != procedure.fee {
            warnings.append(FieldIssue("fees.administrativeFee", .feeDiffersFromCatalogue, String(administrativeFee), String(procedure.fee)))
        }
        let scope = reference.scope(from: office, to: agency, on: jDate)
        let dueDate = reference.dueDate(from: jDate, scope: scope, withAppointmentSlip: appointmentSlipByPost)
        return IntakeSubmission(
            idempotencyKey: key, ledgerKey: IntakeSubmission.ledgerKey(office: office, key: key), requestHash: pins.requestHash(body.canonicalBytes),
            service: service, procedure: procedure, agency: agency, office: office, applicant: applicant,
            sealedIdNumber: idNumbers.seal(applicant.idNumber), resultAddress: service == .sendAndReturn ? resultAddress : nil,
            resultUnit: service == .sendAndReturn ? resultUnit : nil, resultProvinceCode: service == .sendAndReturn ? resultProvince : nil,
            documents: documents, postage: postage, administrativeFee: administrativeFee, note: note, supplementTo: supplementTo,
            transitScope: scope, jDate: jDate, dueDate: dueDate, acceptedAt: acceptedAt, acceptedBy: acceptedBy, acceptedFrom: acceptedFrom,
            warnings: warnings, notifyBy: consent.channel)
    }

    /// 8–255 printable ASCII characters: a UUID fits, and so does a counter's own numbering.
    static func checkIdempotencyKey(_ key: String?, into check: inout FieldChecker) -> String? {
        guard let key, !key.isEmpty else {
            check.report(FieldIssue("Idempotency-Key", .idempotencyKeyMissing))
            return nil
        }
        guard (8...255).contains(key.utf8.count), key.utf8.allSatisfy({ (33...126).contains($0) }) else {
            check.report(FieldIssue("Idempotency-Key", .idempotencyKeyInvalid))
            return nil
        }
        return key
    }

    private func lookUpProcedure(_ value: JSONValue?, service: ServiceType?, into check: inout FieldChecker) -> ReferenceData.Procedure? {
        guard let code = check.string(value, at: "procedureCode", maxLength: 50) else { return nil }
        guard let procedure = reference.procedure(code) else {
            check.report(FieldIssue("procedureCode", .unknownProcedure, code))
            return nil
        }
        guard procedure.dossierByPost else {
            check.report(FieldIssue("procedureCode", .procedureNotPostal, code))
            return nil
        }
        if service == .sendAndReturn, !procedure.resultByPost {
            check.report(FieldIssue("service", .resultNotByPost, code))
            return nil
        }
        return procedure
    }

    private func lookUpAgency(_ value: JSONValue?, procedure: ReferenceData.Procedure?, on day: LocalDate, into check: inout FieldChecker)
        -> ReferenceData.Agency?
    {
        guard let agency = check.agency(value, at: "agencyCode", on: day, in: reference) else { return nil }
        if let procedure, procedure.level != agency.level.procedureLevel {
            check.report(FieldIssue("agencyCode", .procedureNotAtAgency, procedure.code, procedure.level.words, agency.name))
            return nil
        }
        return agency
    }

    /// A province outside the map (an address in a province the map carries names its commune instead).
    private func lookUpProvince(_ value: JSONValue?, into check: inout FieldChecker) -> String? {
        guard let code = check.string(value, at: "resultAddressProvinceCode", required: false, maxLength: 10) else { return nil }
        guard let name = reference.provinces[code] else {
            check.report(FieldIssue("resultAddressProvinceCode", .unknownProvince, code))
            return nil
        }
        if reference.map.units.contains(where: { $0.provinceCode == code && $0.validTo == nil }) {
            check.report(FieldIssue("resultAddressProvinceCode", .provinceInTheMap, name))
            return nil
        }
        return code
    }

    private func readApplicant(_ value: JSONValue?, into check: inout FieldChecker) -> IntakeSubmission.Applicant? {
        guard let applicant = check.object(value, at: "applicant") else { return nil }
        check.refuseUnknown(applicant, allowed: ["fullName", "idNumber", "phone", "email", "address"], at: "applicant")
        let fullName = check.string(applicant["fullName"], at: "applicant.fullName", maxLength: 100)
        // Read with room to spare so that a too-long number gets the same clear message as a short one.
        let idNumber = check.string(applicant["idNumber"], at: "applicant.idNumber", maxLength: 64).flatMap { text in
            ApplicantRules.isCitizenID(text)
                ? text
                : {
                    check.report(FieldIssue("applicant.idNumber", .invalidIdNumber))
                    return nil
                }()
        }
        let phone = check.mobile(applicant["phone"], at: "applicant.phone")
        let email = check.string(applicant["email"], at: "applicant.email", required: false, maxLength: 254).flatMap { text in
            ApplicantRules.isPlausibleEmail(text)
                ? text
                : {
                    check.report(FieldIssue("applicant.email", .invalidEmail))
                    return nil
                }()
        }
        let address = check.string(applicant["address"], at: "applicant.address", maxLength: 300)
        guard let fullName, let idNumber, let phone, let address else { return nil }
        return .init(fullName: fullName, idNumber: idNumber, phone: phone, email: email, address: address)
    }

    private func readDocuments(_ value: JSONValue?, into check: inout FieldChecker) -> [DossierRecord.Document]? {
        guard let entries = check.array(value, at: "documents") else { return nil }
        guard !entries.isEmpty else {
            check.report(FieldIssue("documents", .empty))
            return nil
        }
        guard entries.count <= Self.maxDocuments else {
            check.report(FieldIssue("documents", .tooMany, String(Self.maxDocuments)))
            return nil
        }
        var documents: [DossierRecord.Document] = []
        for (index, entry) in entries.enumerated() {
            let path = "documents[\(index)]"
            guard let document = check.object(entry, at: path) else { continue }
            check.refuseUnknown(document, allowed: ["name", "copies", "kind"], at: path)
            let name = check.string(document["name"], at: "\(path).name", maxLength: 200)
            let copies = check.integer(document["copies"], at: "\(path).copies", in: 1...100)
            let kind: DocumentKind? = check.choice(document["kind"], at: "\(path).kind")
            if let name, let copies, let kind { documents.append(.init(name: name, copies: Int(copies), kind: kind)) }
        }
        return documents.count == entries.count ? documents : nil
    }
}
