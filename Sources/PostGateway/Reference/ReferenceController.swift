import Foundation
import Hummingbird

/// `GET /api/v1/reference/{offices,agencies,procedures,units}`: the pick lists of the counter form, read-only.
/// Desks and units can be asked for as they were on a day (`?on=2025-06-30`); without it, every one the data holds.
struct ReferenceController: Sendable {
    let reference: ReferenceData

    struct Listing<Element: Encodable & Sendable>: ResponseEncodable, Sendable {
        let items: [Element]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reference/offices") { _, _ in Listing(items: reference.offices) }
        group.get("reference/agencies") { request, _ in
            let day = try Self.day(request)
            return Listing(items: day.map(reference.agencies(openOn:)) ?? reference.agencies)
        }
        group.get("reference/procedures") { _, _ in Listing(items: reference.procedures) }
        group.get("reference/units") { request, _ in
            let day = try Self.day(request)
            return Listing(items: day.map(reference.map.units(inForceOn:)) ?? reference.map.units)
        }
    }

    private static func day(_ request: Request) throws -> LocalDate? {
        var check = QueryChecker(request, allowed: ["on"])
        let day = check["on"] == nil ? nil : check.day("on")
        try check.finish()
        return day
    }
}
