/// The offices an item's journey passes through, and so the only ones that scan it: the office that took its dossier
/// in, the office serving its agency (which hands dossiers over and picks results up), and the sorting centres the
/// province lists as transit for either (`transit.csv`). A result goes out for delivery from one of them, and only
/// the office that took it out records how the delivery went.
///
/// A supervisor (or an admin) may scan an item elsewhere, with a note saying why: a bag sent the wrong way is still
/// found. A clerk elsewhere is told the item does not exist, as for items of other offices on every route.
struct ItemRoute: Sendable, Equatable {
    let offices: Set<String>

    enum Refusal: Equatable, Sendable {
        /// Not an office of the item's route: answered as an unknown item (404).
        case hidden
        /// Off the route, by a supervisor without a note (422 on `note`).
        case needsNote
        /// A delivery's outcome, from an office other than the one delivering it (403).
        case notDelivering(deliveringOffice: String)
    }

    init(intakeOffice: String, servingOffice: String?, transit: [String: Set<String>]) {
        var offices: Set<String> = [intakeOffice]
        if let servingOffice { offices.insert(servingOffice) }
        for office in offices { offices.formUnion(transit[office] ?? []) }
        self.offices = offices
    }

    /// Why this scan may not be made here, or nil when it may.
    func refusal(event: ItemEventCode, at office: String, role: StaffIdentity.Role, note: String?, item: ItemRecord) -> Refusal? {
        let onRoute = offices.contains(office)
        if !onRoute && role < .supervisor { return .hidden }
        if [.delivered, .deliveryFailed].contains(event), item.status == .outForDelivery, item.officeCode != office {
            return .notDelivering(deliveringOffice: item.officeCode)
        }
        if !onRoute && (note ?? "").isEmpty { return .needsNote }
        return nil
    }
}
