import Foundation

/// An item whose J + n day has passed before it reached its desk or its citizen, and where it is now.
struct OverdueItem: Sendable, Equatable {
    let trackingNumber: String
    let kind: ItemKind
    let status: ItemStatus
    /// The office that last scanned it: where it lies.
    let officeCode: String
    let dueDate: String
    let agencyCode: String
    let procedureName: String
    let lastEventAt: Date?

    func daysOverdue(asOf: LocalDate) -> Int {
        guard let due = LocalDate(iso: dueDate) else { return 0 }
        return asOf.daysSinceEpoch - due.daysSinceEpoch
    }
}
