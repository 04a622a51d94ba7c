import Hummingbird

/// `GET /api/v1/reference/{offices,agencies,procedures}`: the pick lists of the counter form, read-only.
struct ReferenceController: Sendable {
    let reference: ReferenceData

    struct Listing<Element: Encodable & Sendable>: ResponseEncodable, Sendable {
        let items: [Element]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reference/offices") { _, _ in Listing(items: reference.offices) }
        group.get("reference/agencies") { _, _ in Listing(items: reference.agencies) }
        group.get("reference/procedures") { _, _ in Listing(items: reference.procedures) }
    }
}
