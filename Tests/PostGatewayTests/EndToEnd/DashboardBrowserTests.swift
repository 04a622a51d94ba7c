import Foundation
import Testing

@testable import PostGateway

extension BrowserTests {
    /// The dashboard of a seeded ledger in headless Chromium, against a real `postgateway serve` (its sandbox off,
    /// so nothing moves between reading the JSON and the page): every figure on the page is the API's.
    @Test func theDashboardShowsTheSameNumbersAsTheSummaryJSON() async throws {
        let dataDirectory = try TestSupport.temporaryDirectory()
        let configuration = TestSupport.configuration(dataDirectory: dataDirectory)
        let (seed, _) = try await SeedCommand.seed(configuration, dossiers: 2_000, days: 45, randomSeed: 7, now: Date(), sandbox: false)
        let port = try freePort()
        let server = try await CrashRecoveryTests.start(dataDirectory: dataDirectory, port: port, extraArguments: ["--sandbox-port", "off"])
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let from = seed.intakeDays.first!.adding(days: 10).description
        let to = seed.intakeDays.last!.adding(days: -3).description
        let query = "from=\(from)&to=\(to)&agencyCode=&officeCode="
        let http = LiveHTTP(port: port, token: try CrashRecoveryTests.token(dataDirectory: dataDirectory))
        let (status, data) = try await http.send("GET", "/api/v1/reports/summary?from=\(from)&to=\(to)")
        #expect(status == 200)
        let report = try data.decoded(as: Answer.ReportSummary.self)
        let overdue = try await http.send("GET", "/api/v1/reports/overdue").body.decoded(as: Answer.OverdueItems.self)
        #expect(report.counts.resolvedLate > 0 && report.counts.inProgressOverdue > 0 && report.counts.resolvedEarly > 0)

        let browser = try await WebDriver()
        do {
            try await browser.signIn(at: "http://127.0.0.1:\(port)", then: "/dashboard?\(query)")
            for (key, figure) in [
                ("received", report.counts.received), ("resolvedEarly", report.counts.resolvedEarly),
                ("resolvedOnTime", report.counts.resolvedOnTime), ("resolvedLate", report.counts.resolvedLate),
                ("closedWithoutResult", report.counts.closedWithoutResult),
                ("inProgressWithinDeadline", report.counts.inProgressWithinDeadline), ("inProgressOverdue", report.counts.inProgressOverdue),
            ] {
                #expect(try await browser.text("#\(key)") == String(figure), "\(key)")
            }
            #expect(try await browser.text("#overdue-total") == String(overdue.total))
            // Every ward's row holds the JSON's numbers for that ward.
            let wards = report.byWard
            #expect(wards.count == 92)
            for ward in wards.prefix(5) {
                let row = try await browser.text("#by-ward tr[data-agency='\(ward.agencyCode)']")
                #expect(row.hasPrefix(ward.ward))
                #expect(row.contains(" \(ward.counts.received) "))
            }
            // One bar for received and one for resolved each day of the period.
            let source = try await browser.pageSource()
            #expect(source.components(separatedBy: "class=\"bar\"").count - 1 == 2 * report.daily.count)
            // Nothing personal of any seeded dossier: names, ID numbers, phones, addresses.
            let personal = (0..<seed.count).map(seed.life).flatMap { [$0.applicantName, $0.idNumber, $0.phone, $0.address] }
            #expect(!personal.isEmpty)
            #expect(personal.filter { source.contains($0) }.isEmpty)

            // A bad period is explained on the page itself.
            try await browser.open("http://127.0.0.1:\(port)/dashboard?from=\(to)&to=\(from)")
            #expect(try await browser.text("[role='alert']").contains("Ngày bắt đầu phải không sau ngày kết thúc"))
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
    }
}
