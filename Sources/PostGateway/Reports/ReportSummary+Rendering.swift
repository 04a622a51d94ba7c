/// The summary as the API answers it (JSON and CSV), with the names of agencies and wards from the reference data.
extension ReportSummary {
    /// The agencies the report lists: the one asked for, or all of them in catalogue order, with zeros.
    func agencies(_ reference: ReferenceData) -> [ReferenceData.Agency] {
        if let code = filter.agencyCode { return reference.agency(code).map { [$0] } ?? [] }
        return reference.agencies
    }

    /// Wards and communes are the desks of ward- and commune-level agencies: one row each, in catalogue order.
    func wards(_ reference: ReferenceData) -> [(name: String, agency: ReferenceData.Agency)] {
        agencies(reference).filter { $0.level == .ward || $0.level == .commune }.map { (Self.wardName($0), $0) }
    }

    /// "Bộ phận Một cửa UBND phường Cam Giá" → "phường Cam Giá".
    static func wardName(_ agency: ReferenceData.Agency) -> String {
        guard let range = agency.name.range(of: "UBND ") else { return agency.name }
        return String(agency.name[range.upperBound...])
    }

    func counts(of agencyCode: String) -> Counts { byAgency[agencyCode] ?? .init() }

    func json(_ reference: ReferenceData) -> JSONValue {
        var object = Self.countsJSON(total)
        object["from"] = .string(filter.from.description)
        object["to"] = .string(filter.to.description)
        object["asOf"] = .string(asOf.description)
        object["officeCode"] = filter.officeCode.map(JSONValue.string) ?? .null
        object["agencyCode"] = filter.agencyCode.map(JSONValue.string) ?? .null
        object["byAgency"] = .array(
            agencies(reference).map { agency in
                var row = Self.countsJSON(counts(of: agency.code))
                row["agencyCode"] = .string(agency.code)
                row["agencyName"] = .string(agency.name)
                return .object(row)
            })
        object["byWard"] = .array(
            wards(reference).map { ward in
                var row = Self.countsJSON(counts(of: ward.agency.code))
                row["ward"] = .string(ward.name)
                row["agencyCode"] = .string(ward.agency.code)
                return .object(row)
            })
        object["daily"] = .array(
            daily.map { day in
                .object([
                    "date": .string(day.date.description), "received": .integer(Int64(day.counts.received)),
                    "resolved": .integer(Int64(day.counts.resolved)), "closedWithoutResult": .integer(Int64(day.counts.closedWithoutResult)),
                ])
            })
        return .object(object)
    }

    static func countsJSON(_ counts: Counts) -> [String: JSONValue] {
        [
            "received": .integer(Int64(counts.received)),
            "resolvedEarly": .integer(Int64(counts.resolvedEarly)),
            "resolvedOnTime": .integer(Int64(counts.resolvedOnTime)),
            "resolvedLate": .integer(Int64(counts.resolvedLate)),
            "closedWithoutResult": .integer(Int64(counts.closedWithoutResult)),
            "inProgressWithinDeadline": .integer(Int64(counts.inProgressWithinDeadline)),
            "inProgressOverdue": .integer(Int64(counts.inProgressOverdue)),
        ]
    }

    static let csvColumns = [
        "group", "code", "name", "received", "resolvedEarly", "resolvedOnTime", "resolvedLate",
        "closedWithoutResult", "inProgressWithinDeadline", "inProgressOverdue",
    ]

    /// One table for a spreadsheet: the total, then a row per agency, per ward and per day (`group` says which).
    /// Days carry what was received and finished on them; "in progress" belongs to the as-of day, so it is blank there.
    func csv(_ reference: ReferenceData) -> String {
        func numbers(_ counts: Counts, open: Bool = true) -> [String] {
            [counts.received, counts.resolvedEarly, counts.resolvedOnTime, counts.resolvedLate, counts.closedWithoutResult].map(String.init)
                + (open ? [String(counts.inProgressWithinDeadline), String(counts.inProgressOverdue)] : ["", ""])
        }
        var lines = [Self.csvColumns]
        lines.append(["total", "", "\(filter.from)..\(filter.to) (as of \(asOf))"] + numbers(total))
        for agency in agencies(reference) { lines.append(["agency", agency.code, agency.name] + numbers(counts(of: agency.code))) }
        for ward in wards(reference) { lines.append(["ward", ward.agency.code, ward.name] + numbers(counts(of: ward.agency.code))) }
        for day in daily { lines.append(["day", day.date.description, ""] + numbers(day.counts, open: false)) }
        return CSV.document(lines)
    }
}
