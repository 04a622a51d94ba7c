/// The reference data a counter needs, loaded from `config/reference/*.csv` at start.
///
/// Administrative units were reorganised in 2025 and will be again, so none of this lives in code.
package struct ReferenceData: Sendable {
    struct Office: Codable, Sendable, Equatable {
        let code: String
        let name: String
        let address: String
        let areaCode: String
        let provinceCode: String

        var place: TransitScope.Place { .init(areaCode: areaCode, provinceCode: provinceCode) }
    }

    enum AgencyLevel: String, Codable, Sendable, CaseIterable {
        case province, city, ward, commune

        /// Wards and communes handle the same (commune-level) procedures.
        var procedureLevel: ProcedureLevel {
            switch self {
            case .province: .province
            case .city: .city
            case .ward, .commune: .commune
            }
        }
    }

    enum ProcedureLevel: String, Codable, Sendable, CaseIterable {
        case province, city, commune
    }

    package struct Agency: Codable, Sendable, Equatable {
        package let code: String
        let name: String
        let level: AgencyLevel
        let areaCode: String
        let provinceCode: String
        let address: String
        /// The post office whose staff carry this desk's dossiers and pick its results up.
        let servingOfficeCode: String

        var place: TransitScope.Place { .init(areaCode: areaCode, provinceCode: provinceCode) }
    }

    package struct Procedure: Codable, Sendable, Equatable {
        package let code: String
        let name: String
        let field: String
        let level: ProcedureLevel
        /// Administrative fee or charge collected on the agency's behalf, whole đồng.
        package let fee: Int64
        let processingDays: Int
        let documents: [String]
        /// False for procedures that need the citizen in person (Decision 45/2016 Art 1).
        package let postalAllowed: Bool
    }

    struct Holiday: Codable, Sendable, Equatable {
        enum Kind: String, Codable, Sendable, CaseIterable { case holiday, workday }
        let date: String
        let kind: Kind
        let name: String
    }

    let offices: [Office]
    package let agencies: [Agency]
    package let procedures: [Procedure]
    let holidays: [Holiday]
    let deadlines: TransitDeadlines
    let calendar: WorkingCalendar
    /// The sorting centres each office's mail passes through (`transit.csv`): they scan items of that office's routes.
    let transitOffices: [String: Set<String>]

    private let officesByCode: [String: Office]
    private let agenciesByCode: [String: Agency]
    private let proceduresByCode: [String: Procedure]

    init(
        offices: [Office], agencies: [Agency], procedures: [Procedure], holidays: [Holiday], deadlines: TransitDeadlines,
        transitOffices: [String: Set<String>] = [:]
    ) {
        self.offices = offices
        self.transitOffices = transitOffices
        self.agencies = agencies
        self.procedures = procedures
        self.holidays = holidays
        self.deadlines = deadlines
        self.calendar = WorkingCalendar(
            holidays: Set(holidays.filter { $0.kind == .holiday }.compactMap { LocalDate(iso: $0.date) }),
            makeUpWorkdays: Set(holidays.filter { $0.kind == .workday }.compactMap { LocalDate(iso: $0.date) })
        )
        officesByCode = Dictionary(offices.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        agenciesByCode = Dictionary(agencies.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        proceduresByCode = Dictionary(procedures.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func office(_ code: String) -> Office? { officesByCode[code] }
    func agency(_ code: String) -> Agency? { agenciesByCode[code] }
    func procedure(_ code: String) -> Procedure? { proceduresByCode[code] }

    /// J + n: the working day by which an item travelling `scope` from day J must arrive (Circular 17 Art 7), n
    /// doubled when the agency's appointment slip must also reach the citizen.
    func dueDate(from j: LocalDate, scope: TransitScope, withAppointmentSlip: Bool = false) -> LocalDate {
        calendar.adding(workingDays: deadlines.workingDays(for: scope, withAppointmentSlip: withAppointmentSlip), to: j)
    }
}
