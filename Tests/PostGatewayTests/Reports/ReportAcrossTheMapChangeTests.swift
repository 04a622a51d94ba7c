import Foundation
import HummingbirdTesting
import Testing

@testable import PostGateway

/// A period across 1 July 2025 lists the former units and the new ones, each dossier under the unit it was filed
/// with and each former unit beside its successors; the dashboard can group the same dossiers under today's units.
@Suite(.temporaryFolder) struct ReportAcrossTheMapChangeTests {
    @Test func aPeriodAcrossTheChangeListsFormerAndNewUnitsAndTheirSuccession() async throws {
        let clock = MovableClock(Date())
        let app = try buildApplication(try TestSupport.dependencies(clock: { clock.now }))
        try await app.test(.router) { client in
            func intake(_ day: String, agency: String, unit: String) async throws {
                clock.set(day)
                _ = try await DossierReadTests.create(client) {
                    $0["agencyCode"] = agency
                    $0["resultAddressUnitCode"] = unit
                }
            }
            try await intake("2025-06-20", agency: "000.02.12.H55", unit: "05695")  // xã Cao Ngạn
            try await intake("2025-06-25", agency: "000.01.12.H55", unit: "05467")  // phường Cam Giá (split)
            try await intake("2025-07-10", agency: "000.65.20.H55", unit: "05710")  // phường Linh Sơn
            try await intake("2025-07-11", agency: "000.39.20.H55", unit: "05467")  // phường Gia Sàng
            clock.set("2025-08-04")

            let report = try await ReportSummaryTests.summary(client, "from=2025-06-01&to=2025-07-31")
            #expect(report.counts.received == 4)
            #expect(report.byWard.count == 32 + 92)
            let caoNgan = try #require(report.byWard.first { $0.agencyCode == "000.02.12.H55" })
            #expect(caoNgan.ward == "xã Cao Ngạn" && caoNgan.unitCode == "05695" && caoNgan.counts.received == 1)
            #expect(caoNgan.successors == ["phường Linh Sơn"])
            let camGia = try #require(report.byWard.first { $0.agencyCode == "000.01.12.H55" })
            #expect(camGia.ward == "phường Cam Giá" && camGia.successors == ["phường Gia Sàng", "phường Tích Lương"])
            let linhSon = try #require(report.byWard.first { $0.agencyCode == "000.65.20.H55" })
            #expect(linhSon.ward == "phường Linh Sơn" && linhSon.counts.received == 1 && linhSon.successors.isEmpty)
            // The city's desk and the provincial centre are both in the period.
            #expect(report.byAgency.contains { $0.agencyCode == "000.00.12.H55" } && report.byAgency.contains { $0.agencyCode == "000.00.01.H55" })

            // A period wholly before lists only the former units, one wholly after only the new.
            #expect(try await ReportSummaryTests.summary(client, "from=2025-06-01&to=2025-06-30").byWard.count == 32)
            // July alone: the 92, and the two former desks whose dossiers are still open in it.
            let july = try await ReportSummaryTests.summary(client, "from=2025-07-01&to=2025-07-31").byWard
            #expect(july.count == 92 + 2 && july.filter { !$0.successors.isEmpty }.map(\.agencyCode).sorted() == ["000.01.12.H55", "000.02.12.H55"])

            let csv = String(
                buffer: try await client.execute(uri: "/api/v1/reports/summary?from=2025-06-01&to=2025-07-31&format=csv", method: .get).body)
            #expect(csv.contains("ward,000.02.12.H55,xã Cao Ngạn,1,0,0,0,0,0,1,phường Linh Sơn"), "\(csv.prefix(600))")

            // Grouped under today's units: Cao Ngạn's dossier counts for Linh Sơn, Cam Giá's for Gia Sàng (it kept most of it).
            /// The received column of the dashboard's rows by ward, by unit code (or by desk).
            func received(_ query: String, byDesk: Bool = false) async throws -> [String: String] {
                let page = String(buffer: try await client.execute(uri: "/dashboard?\(query)", method: .get).body)
                let rows = page.matches(of: /<tr data-agency="([^"]*)" data-unit="(\d{5})"><th scope="row">[^<]*<\/th><td class="n">(\d+)<\/td>/)
                return Dictionary(uniqueKeysWithValues: rows.map { (String(byDesk ? $0.1 : $0.2), String($0.3)) })
            }
            let today = try await received("from=2025-06-01&to=2025-07-31&wards=today")
            #expect(today.count == 92)
            #expect(today["05710"] == "2" && today["05467"] == "2" && today["05500"] == "0")
            // As filed, a reused code is two rows (05710 was phường Đồng Bẩm, is phường Linh Sơn): keyed by desk.
            let filed = try await received("from=2025-06-01&to=2025-07-31", byDesk: true)
            #expect(filed.count == 32 + 92 && filed["000.02.12.H55"] == "1" && filed["000.65.20.H55"] == "1" && filed["000.04.12.H55"] == "0")
            let bad = try await client.execute(uri: "/dashboard?from=2025-06-01&to=2025-07-31&wards=district", method: .get)
            #expect(bad.status == .unprocessableContent)
        }
    }
}
