import OneStopSandbox

extension ReferenceData {
    /// Where the sandbox's demo citizens file online and ask for the result by post: each commune desk open on `day`
    /// with a commune procedure whose result may go by post, delivering within the desk's own commune. From the map, so
    /// that every demo order passes the gateway's checks.
    func demoOrderPlaces(on day: LocalDate) -> [SandboxConfiguration.OrderPlace] {
        let procedures = procedures.filter { $0.level == .commune && $0.resultByPost }
        guard !procedures.isEmpty else { return [] }
        return agencies(openOn: day).enumerated().compactMap { index, agency in
            guard agency.level.procedureLevel == .commune, let unit = map.unit(agency.unitCode, on: day) else { return nil }
            return .init(
                agencyCode: agency.code, procedureCode: procedures[index % procedures.count].code, unitCode: unit.code, unitName: unit.fullName)
        }
    }
}
