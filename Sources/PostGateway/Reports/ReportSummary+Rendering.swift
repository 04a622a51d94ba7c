/// The summary as the API answers it (JSON and CSV), with the names of agencies and wards from the reference data.
extension ReportSummary {
    /// The agencies the report lists: the one asked for, or, in catalogue order with zeros, every desk open on some
    /// day of the period and any other that dossiers of the period were filed with. A period across 1 July 2025 lists
    /// the former desks and the new ones.
    func agencies(_ reference: ReferenceData) -> [ReferenceData.Agency] {
        if let code = filter.agencyCode { return reference.agency(code).map { [$0] } ?? [] }
        return reference.agencies.filter { agency in
            byAgency[agency.code] != nil
                || (agency.validFrom.flatMap(LocalDate.init(iso:)).map { $0 <= filter.to } ?? true)
                    && (agency.validTo.flatMap(LocalDate.init(iso:)).map { filter.from <= $0 } ?? true)
        }
    }

    /// One row of the view by ward: a commune-level unit with the dossiers filed with its desk, and, for a unit that
    /// has ended, the units it went into.
    struct WardRow {
        let name: String
        let unitCode: String
        let agencyCode: String
        let counts: Counts
        let successors: [String]
    }

    /// Wards and communes are the desks of ward- and commune-level agencies: one row each, in catalogue order, each
    /// dossier under the unit it was filed with.
    func wards(_ reference: ReferenceData) -> [WardRow] {
        agencies(reference).filter { $0.level == .ward || $0.level == .commune }.map { agency in
            let unit = reference.unit(of: agency, today: asOf)
            return WardRow(
                name: unit?.fullName ?? agency.name, unitCode: agency.unitCode, agencyCode: agency.code, counts: counts(of: agency.code),
                successors: unit.map { reference.map.successors(of: $0).map(\.fullName) } ?? [])
        }
    }

    /// The same dossiers grouped under the units in force on `today`: a former unit's count goes to the unit that
    /// took most of it (a split unit's to the successor listed first in units.csv).
    func wardsToday(_ reference: ReferenceData, today: LocalDate) -> [WardRow] {
        var rows: [String: (unit: AdministrativeUnit, agencyCode: String, counts: Counts, order: Int)] = [:]
        for (order, ward) in wards(reference).enumerated() {
            guard let agency = reference.agency(ward.agencyCode), let unit = reference.unit(of: agency, today: today) else { continue }
            let current = reference.map.current(unit, on: today)
            let desk = reference.agencies(openOn: today).first { $0.unitCode == current.code && $0.level != .province }
            var row = rows[current.code] ?? (current, desk?.code ?? ward.agencyCode, Counts(), order)
            row.counts.add(ward.counts)
            row.order = min(row.order, order)
            rows[current.code] = row
        }
        return rows.values.sorted { $0.order < $1.order }.map {
            WardRow(name: $0.unit.fullName, unitCode: $0.unit.code, agencyCode: $0.agencyCode, counts: $0.counts, successors: [])
        }
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
        object["byService"] = .array(
            ServiceType.allCases.map { service in
                var row = Self.countsJSON(byService[service] ?? .init())
                row["service"] = .string(service.rawValue)
                row["name"] = .string(PostalServiceReport.serviceName(service))
                return .object(row)
            })
        object["byWard"] = .array(
            wards(reference).map { ward in
                var row = Self.countsJSON(ward.counts)
                row["ward"] = .string(ward.name)
                row["unitCode"] = .string(ward.unitCode)
                row["agencyCode"] = .string(ward.agencyCode)
                row["successors"] = .array(ward.successors.map(JSONValue.string))
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
        "closedWithoutResult", "inProgressWithinDeadline", "inProgressOverdue", "successors",
    ]

    /// One table for a spreadsheet: the total, then a row per agency, per ward and per day (`group` says which).
    /// Days carry what was received and finished on them; "in progress" belongs to the as-of day, so it is blank there.
    func csv(_ reference: ReferenceData) -> String {
        func numbers(_ counts: Counts, open: Bool = true) -> [String] {
            [counts.received, counts.resolvedEarly, counts.resolvedOnTime, counts.resolvedLate, counts.closedWithoutResult].map(String.init)
                + (open ? [String(counts.inProgressWithinDeadline), String(counts.inProgressOverdue)] : ["", ""])
        }
        var lines = [Self.csvColumns]
        lines.append(["total", "", "\(filter.from)..\(filter.to) (as of \(asOf))"] + numbers(total) + [""])
        for agency in agencies(reference) { lines.append(["agency", agency.code, agency.name] + numbers(counts(of: agency.code)) + [""]) }
        for ward in wards(reference) {
            lines.append(["ward", ward.agencyCode, ward.name] + numbers(ward.counts) + [ward.successors.joined(separator: "; ")])
        }
        for day in daily { lines.append(["day", day.date.description, ""] + numbers(day.counts, open: false) + [""]) }
        return CSV.document(lines)
    }
}
