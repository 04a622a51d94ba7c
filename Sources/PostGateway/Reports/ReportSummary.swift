/// The figures the city's reports quote, from the ledger itself (issue: dashboard and statutory reports).
///
/// Resolution is judged by **date** against the appointment date the one-stop gave (DOMAIN_NOTES §4: comparing
/// timestamps would put almost nothing "on time"): before it early, on it on time, after it late. Open dossiers are
/// judged on the report's as-of day against the appointment date, or, before the one-stop has given one, against
/// the J + n day the dossier was due at its desk.
struct ReportSummary: Sendable, Equatable {
    enum Timeliness: Equatable, Sendable {
        case early, onTime, late

        /// A result on `resolvedOn` for a dossier promised for `appointment` (both `YYYY-MM-DD`). Without an
        /// appointment nothing promised was missed, so it counts as on time.
        static func of(resolvedOn: String, appointment: String?) -> Timeliness {
            guard let appointment else { return .onTime }
            return resolvedOn < appointment ? .early : resolvedOn == appointment ? .onTime : .late
        }
    }

    struct Counts: Sendable, Equatable {
        var received = 0
        var resolvedEarly = 0
        var resolvedOnTime = 0
        var resolvedLate = 0
        /// Rejected, withdrawn or stopped (statuses 3, 7, 8): finished without a result.
        var closedWithoutResult = 0
        var inProgressWithinDeadline = 0
        var inProgressOverdue = 0

        var resolved: Int { resolvedEarly + resolvedOnTime + resolvedLate }
        var inProgress: Int { inProgressWithinDeadline + inProgressOverdue }

        mutating func add(_ other: Counts) {
            received += other.received
            resolvedEarly += other.resolvedEarly
            resolvedOnTime += other.resolvedOnTime
            resolvedLate += other.resolvedLate
            closedWithoutResult += other.closedWithoutResult
            inProgressWithinDeadline += other.inProgressWithinDeadline
            inProgressOverdue += other.inProgressOverdue
        }

        mutating func addResolved(_ timeliness: Timeliness) {
            switch timeliness {
            case .early: resolvedEarly += 1
            case .onTime: resolvedOnTime += 1
            case .late: resolvedLate += 1
            }
        }
    }

    struct Day: Sendable, Equatable {
        let date: LocalDate
        var counts = Counts()
    }

    let filter: ReportFilter
    let asOf: LocalDate
    var total = Counts()
    var byAgency: [String: Counts] = [:]
    /// Decision 45 Art 5's three services side by side: a result-only order counts as received the day it was placed.
    var byService: [ServiceType: Counts] = [:]
    /// Every day of the period, in order, with what was received and finished on it.
    var daily: [Day]

    init(filter: ReportFilter, asOf: LocalDate) {
        self.filter = filter
        self.asOf = asOf
        daily = stride(from: filter.from.daysSinceEpoch, through: filter.to.daysSinceEpoch, by: 1).map { Day(date: LocalDate(daysSinceEpoch: $0)) }
    }

    /// A dossier taken in on `day` (inside the period).
    mutating func addReceived(agency: String, service: ServiceType?, day: String) {
        total.received += 1
        byAgency[agency, default: .init()].received += 1
        if let service { byService[service, default: .init()].received += 1 }
        update(day) { $0.received += 1 }
    }

    /// A dossier first finished on `day` (inside the period) with one-stop status `status`.
    mutating func addFinished(agency: String, service: ServiceType?, day: String, status: Int, appointment: String?) {
        let change: (inout Counts) -> Void
        if status == OneStopStatus.resultReady.rawValue || status == OneStopStatus.resultReturned.rawValue {
            let timeliness = Timeliness.of(resolvedOn: day, appointment: appointment)
            change = { $0.addResolved(timeliness) }
        } else {
            change = { $0.closedWithoutResult += 1 }
        }
        change(&total)
        change(&byAgency[agency, default: .init()])
        if let service { change(&byService[service, default: .init()]) }
        update(day, change)
    }

    /// A dossier still open on the as-of day, whose deadline is `deadline` (`YYYY-MM-DD`).
    mutating func addOpen(agency: String, service: ServiceType?, deadline: String) {
        let overdue = deadline < asOf.description
        let change: (inout Counts) -> Void = { counts in
            if overdue { counts.inProgressOverdue += 1 } else { counts.inProgressWithinDeadline += 1 }
        }
        change(&total)
        change(&byAgency[agency, default: .init()])
        if let service { change(&byService[service, default: .init()]) }
    }

    private mutating func update(_ day: String, _ change: (inout Counts) -> Void) {
        guard let date = LocalDate(iso: day) else { return }
        let index = date.daysSinceEpoch - filter.from.daysSinceEpoch
        guard daily.indices.contains(index) else { return }
        change(&daily[index].counts)
    }
}
