/// Circular 17/2017/TT-BTTTT Art 13: what the post reports each quarter, half-year and year about carrying
/// administrative-procedure dossiers and results — services with their volume and revenue, complaints and how
/// they were resolved, items lost or damaged, compensation cases and their amount, and how safe the service was.
struct PostalServiceReport: Sendable, Equatable {
    struct Service: Sendable, Equatable {
        let service: ServiceType
        /// Dossiers taken in (supplements included: each is an item carried).
        var volume = 0
        /// Postage, whole đồng: the post's own revenue.
        var revenue: Int64 = 0
        /// Administrative fees collected on the agencies' behalf (thu hộ): not revenue, handed over to them.
        var feesCollected: Int64 = 0
    }

    struct Results: Sendable, Equatable {
        /// Result items of the dossiers resolved in the period.
        var items = 0
        /// Results delivered, and returned to their agency, in the period (whenever they were made).
        var delivered = 0
        var returnedToAgency = 0
        /// Cash on delivery collected for the agencies in the period: of the results delivered in it.
        var cashOnDeliveryCollected: Int64 = 0
    }

    struct Complaints: Sendable, Equatable {
        var received = 0
        var resolved = 0
        var resolvedWithinDeadline = 0
        var resolvedLate = 0
        /// Resolved with the post at fault.
        var upheld = 0
        /// Lodged by the period's end and not resolved by then.
        var pendingAtEnd = 0
    }

    let period: ReportPeriod
    let officeCode: String?
    var services: [Service] = ServiceType.allCases.map { Service(service: $0) }
    var results = Results()
    var complaints = Complaints()
    /// Items found lost or damaged (the post at fault) in the period, counted once each.
    var lostItems = 0
    var damagedItems = 0
    var compensationCases = 0
    var compensationAmount: Int64 = 0

    /// Items carried in the period: dossier items taken in and result items to return.
    var itemsCarried: Int { services.reduce(0) { $0 + $1.volume } + results.items }

    /// The share of items carried without loss or damage, in hundredths of a percent (integer, never floating point).
    var safeBasisPoints: Int {
        guard itemsCarried > 0 else { return 10_000 }
        return max(0, (itemsCarried - lostItems - damagedItems) * 10_000 / itemsCarried)
    }

    /// `99.97`: basis points as a percentage with two decimals.
    var safePercent: String {
        let points = safeBasisPoints
        return "\(points / 100).\(LocalTime.pad(points % 100, 2))"
    }
}
