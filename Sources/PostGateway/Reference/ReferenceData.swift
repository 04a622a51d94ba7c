/// The reference data a counter needs, loaded from `config/reference/*.csv` at start.
///
/// Administrative units were reorganised on 1 July 2025 and will be again, so none of this lives in code, and
/// everything that names a unit or a desk says from when to when.
package struct ReferenceData: Sendable {
    struct Office: Codable, Sendable, Equatable {
        let code: String
        let name: String
        let address: String
        /// The commune-level unit (in force today) the office stands in.
        let unitCode: String
        /// The unit it stood in until 30 June 2025, for journeys of before the change.
        let formerUnitCode: String?
    }

    enum AgencyLevel: String, Codable, Sendable, CaseIterable {
        /// The provincial public administrative service centre and its branches (NĐ 118/2025).
        case province
        /// A district-level desk: there are none since 1 July 2025; kept for the dossiers filed with them before.
        case city
        case ward, commune

        /// Wards and communes handle the same (commune-level) procedures; a district-level desk none any more.
        var procedureLevel: ProcedureLevel? {
            switch self {
            case .province: .province
            case .city: nil
            case .ward, .commune: .commune
            }
        }

        var words: String {
            switch self {
            case .province: "cấp tỉnh"
            case .city: "cấp huyện"
            case .ward, .commune: "cấp xã"
            }
        }
    }

    enum ProcedureLevel: String, Codable, Sendable, CaseIterable {
        case province, commune

        var words: String { self == .province ? "cấp tỉnh" : "cấp xã" }
    }

    package struct Agency: Codable, Sendable, Equatable {
        package let code: String
        let name: String
        let level: AgencyLevel
        /// The commune-level unit the desk belongs to (or, for the provincial centre, stands in), as it was while the
        /// desk was open.
        let unitCode: String
        let address: String
        /// The post office whose staff carry this desk's dossiers and pick its results up.
        let servingOfficeCode: String
        let validFrom: String?
        let validTo: String?
        /// The desks that took over when this one closed.
        let successors: [String]
        /// `official`, or `illustrative` where no published list of one-stop codes was found.
        let codeSource: String

        func isOpen(on day: LocalDate) -> Bool {
            (validFrom.flatMap(LocalDate.init(iso:)).map { $0 <= day } ?? true) && (validTo.flatMap(LocalDate.init(iso:)).map { day <= $0 } ?? true)
        }

        /// The last day the desk was (or is) open: today for one still open.
        func lastDay(orToday today: LocalDate) -> LocalDate { validTo.flatMap(LocalDate.init(iso:)) ?? today }
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
        /// Whether the dossier may be handed in through the public postal service; false where the law wants the
        /// citizen in person (a signature to be certified, a marriage). Decision 45/2016 Art 1.
        package let dossierByPost: Bool
        /// Whether the result may come home by post.
        package let resultByPost: Bool
        /// The provision that sets the level since two-level government (or why we think so).
        let legalBasis: String
    }

    struct Holiday: Codable, Sendable, Equatable {
        enum Kind: String, Codable, Sendable, CaseIterable { case holiday, workday }
        let date: String
        let kind: Kind
        let name: String
    }

    /// How far ahead a reference file is known to be right (`horizons.csv`): past it, deadlines or units may be wrong.
    struct Horizon: Codable, Sendable, Equatable {
        let file: String
        let knownUntil: String
        let note: String
    }

    let offices: [Office]
    package let agencies: [Agency]
    package let procedures: [Procedure]
    let holidays: [Holiday]
    let deadlines: TransitDeadlines
    let calendar: WorkingCalendar
    let map: AdministrativeMap
    let transit: TransitRules
    let horizons: [Horizon]
    /// The provinces since 1 July 2025 (`provinces.csv`), by code: where a result address outside the map lies.
    let provinces: [String: String]
    /// The sorting centres each office's mail passes through (`transit.csv`): they scan items of that office's routes.
    let transitOffices: [String: Set<String>]

    private let officesByCode: [String: Office]
    private let agenciesByCode: [String: Agency]
    private let proceduresByCode: [String: Procedure]

    init(
        offices: [Office], agencies: [Agency], procedures: [Procedure], holidays: [Holiday], deadlines: TransitDeadlines,
        map: AdministrativeMap, transit: TransitRules, horizons: [Horizon] = [], provinces: [String: String] = [:],
        transitOffices: [String: Set<String>] = [:]
    ) {
        self.provinces = provinces
        self.offices = offices
        self.transitOffices = transitOffices
        self.agencies = agencies
        self.procedures = procedures
        self.holidays = holidays
        self.deadlines = deadlines
        self.map = map
        self.transit = transit
        self.horizons = horizons
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

    /// The desks open on `day`, in catalogue order.
    func agencies(openOn day: LocalDate) -> [Agency] { agencies.filter { $0.isOpen(on: day) } }

    /// The desks that took over from a closed one, as the data names them.
    func successors(of agency: Agency) -> [Agency] { agency.successors.compactMap(self.agency) }

    /// The unit a desk belongs to, as it was on the desk's last open day.
    func unit(of agency: Agency, today: LocalDate) -> AdministrativeUnit? {
        map.unit(agency.unitCode, on: agency.lastDay(orToday: today))
    }

    /// J + n: the working day by which an item travelling `scope` from day J must arrive (Circular 17 Art 7), n
    /// doubled when the agency's appointment slip must also reach the citizen.
    func dueDate(from j: LocalDate, scope: TransitScope, withAppointmentSlip: Bool = false) -> LocalDate {
        calendar.adding(workingDays: deadlines.workingDays(for: scope, withAppointmentSlip: withAppointmentSlip), to: j)
    }

    /// The files whose horizon is within `days` of `today` (or already past), soonest first.
    func horizons(endingWithin days: Int, of today: LocalDate) -> [Horizon] {
        horizons.filter { LocalDate(iso: $0.knownUntil).map { $0 <= today.adding(days: days) } ?? true }
            .sorted { $0.knownUntil < $1.knownUntil }
    }
}
