/// The legal moves of an item by scan (DESIGN §3), one table for dossier items and one for result items.
///
/// `accepted` and `created` are written when an item comes into being, and `handedOver` only by signing a
/// handover manifest, so no scan produces them: an item's first event is always the one written with it.
enum ItemTransitions {
    /// TT17 Art 5.2h: the invitations to collect a result that could not be delivered are two working days apart.
    static let workingDaysBetweenAttempts = 2
    /// The events a scanner may send.
    static let scannable: [ItemEventCode] = [
        .dispatched, .arrived, .pickedUp, .outForDelivery, .delivered, .deliveryFailed, .returnedToAgency, .heldAtOffice,
    ]

    /// Events allowed from each status, by kind of item. A status missing from a table allows nothing.
    static let table: [ItemKind: [ItemStatus: [ItemEventCode]]] = [
        .dossier: [
            .accepted: [.dispatched, .arrived],
            .dispatched: [.arrived],
            .arrived: [.dispatched],
            .handedOver: [],
        ],
        .result: [
            .created: [.pickedUp],
            .pickedUp: [.dispatched, .arrived, .outForDelivery, .heldAtOffice],
            .dispatched: [.arrived],
            .arrived: [.dispatched, .outForDelivery, .heldAtOffice],
            .outForDelivery: [.delivered, .deliveryFailed],
            .deliveryFailed: [.outForDelivery, .heldAtOffice, .returnedToAgency],
            // Held for the citizen to collect; if nobody comes, the office takes it out again, and after two
            // failed attempts it may go back to the agency (DESIGN §1).
            .heldAtOffice: [.delivered, .outForDelivery, .returnedToAgency],
            .delivered: [],
            .returnedToAgency: [],
        ],
    ]

    static func allowed(from status: ItemStatus, kind: ItemKind) -> [ItemEventCode] {
        table[kind]?[status] ?? []
    }

    /// The status an event leaves the item in.
    static func status(after event: ItemEventCode) -> ItemStatus {
        switch event {
        case .accepted: .accepted
        case .dispatched: .dispatched
        case .arrived: .arrived
        case .handedOver: .handedOver
        case .created: .created
        case .pickedUp: .pickedUp
        case .outForDelivery: .outForDelivery
        case .delivered: .delivered
        case .deliveryFailed: .deliveryFailed
        case .returnedToAgency: .returnedToAgency
        case .heldAtOffice: .heldAtOffice
        }
    }

    enum Outcome: Equatable, Sendable {
        /// Record the event; the item moves to `status(after:)`.
        case apply
        /// The same event was the last one recorded: acknowledge, record nothing.
        case repeated
        /// Not from this status: the caller answers 409 with the allowed events.
        case illegal
        /// A result may go back to the agency only after two failed attempts two working days apart.
        case tooEarlyToReturn
    }

    /// Decides a scan from the item's kind, status, last event and failed-delivery dates.
    static func decide(
        _ event: ItemEventCode, kind: ItemKind, status: ItemStatus, lastEvent: ItemEventCode?,
        failedAttemptDays: [LocalDate], calendar: WorkingCalendar
    ) -> Outcome {
        if lastEvent == event && status == Self.status(after: event) { return .repeated }
        guard allowed(from: status, kind: kind).contains(event) else { return .illegal }
        // From any status that allows it (a failed attempt, or held at the office after one): never without the two
        // failed attempts, so a result cannot go back to the agency unoffered.
        if event == .returnedToAgency {
            guard let first = failedAttemptDays.min(), let last = failedAttemptDays.max(), failedAttemptDays.count >= 2,
                calendar.adding(workingDays: workingDaysBetweenAttempts, to: first) <= last
            else { return .tooEarlyToReturn }
        }
        return .apply
    }
}
