import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OneStopSandbox
import Synchronization
import Testing

@testable import PostGateway

/// A clock a test moves: intake takes its J-date from it, callbacks are signed at it.
final class MovableClock: Sendable {
    private let current: Mutex<Date>
    init(_ date: Date) { current = Mutex(date) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    func set(_ day: String, hour: Int = 9) { set(LocalDate(iso: day)!.startInstant.addingTimeInterval(Double(hour) * 3600 + 1800)) }
}

/// The summary report against a ledger whose content is known dossier by dossier, built through the real intake
/// and the one-stop's signed callbacks, so every figure can be counted by hand.
@Suite(.temporaryFolder) struct ReportSummaryTests {
    /// A callback signed at the clock's time.
    static func callback(
        _ client: some TestClientProtocol, secret: String, clock: MovableClock, _ number: String, _ status: Int,
        at day: String, hour: Int = 10, appointment: String? = nil
    ) async throws {
        let time = day.replacingOccurrences(of: "-", with: "") + LocalTime.pad(hour, 2) + "0000"
        let code = "000.42.20.H55-\(day.replacingOccurrences(of: "-", with: "").dropFirst(2))-\(number.dropFirst(2).prefix(8))"
        let body = OneStopEventsTests.event(
            number, status, at: time, code: code, appointment: appointment?.replacingOccurrences(of: "-", with: ""),
            result: status == 9 ? ["SoLuongGiayTo": 1, "TienThuKhiPhat": 0] : nil)
        let id = "msg_\(UUID().uuidString)"
        let timestamp = String(Int(clock.now.timeIntervalSince1970))
        let response = try await client.execute(
            uri: "/api/v1/onestop/events", method: .post,
            headers: [
                .contentType: "application/json", HTTPField.Name("webhook-id")!: id, HTTPField.Name("webhook-timestamp")!: timestamp,
                HTTPField.Name("webhook-signature")!: WebhookSigner(secret: secret)!.signature(id: id, timestamp: timestamp, body: body),
            ], body: ByteBuffer(data: body))
        #expect(response.status == .ok, "callback \(status) for \(number): \(String(buffer: response.body))")
    }

    static func summary(_ client: some TestClientProtocol, _ query: String) async throws -> Answer.ReportSummary {
        let response = try await client.execute(uri: "/api/v1/reports/summary?\(query)", method: .get)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try response.decoded(as: Answer.ReportSummary.self)
    }

    @Test func figuresMatchHandCountsIncludingTheAppointmentDayAndAHolidayInsideJPlusN() async throws {
        let clock = MovableClock(Date())
        let dependencies = try TestSupport.dependencies(clock: { clock.now })
        let app = try buildApplication(dependencies)
        try await app.test(.router) { client in
            func intake(_ day: String, agency: String = "000.42.20.H55") async throws -> String {
                clock.set(day)
                return try await DossierReadTests.create(client) { $0["agencyCode"] = agency }
            }
            let d9 = try await intake("2026-04-17")  // before the period, resolved inside it on its appointment day
            let d1 = try await intake("2026-04-20")
            let d2 = try await intake("2026-04-20")
            let d3 = try await intake("2026-04-20")
            let d4 = try await intake("2026-04-21")
            let d6 = try await intake("2026-04-22")
            let d7 = try await intake("2026-04-22")
            let d8 = try await intake("2026-04-22")
            let d10 = try await intake("2026-04-23", agency: "000.65.20.H55")
            // J = Wednesday 29/4; 30/4 and 1/5 are holidays and 2–3/5 a weekend, so J + 1 is Monday 4/5.
            let d5 = try await intake("2026-04-29")

            clock.set("2026-05-10")
            let secret = dependencies.webhookSecret
            func send(_ number: String, _ status: Int, _ day: String, appointment: String? = nil) async throws {
                try await Self.callback(client, secret: secret, clock: clock, number, status, at: day, appointment: appointment)
            }
            try await send(d9, 2, "2026-04-20", appointment: "2026-04-21")
            try await send(d9, 9, "2026-04-21")
            try await send(d1, 2, "2026-04-21", appointment: "2026-04-24")
            try await send(d1, 9, "2026-04-24")  // on the day: on time
            try await send(d2, 2, "2026-04-21", appointment: "2026-04-24")
            try await send(d2, 9, "2026-04-23")  // early
            try await send(d3, 2, "2026-04-21", appointment: "2026-04-24")
            try await send(d3, 9, "2026-04-28")  // late
            try await send(d4, 2, "2026-04-22", appointment: "2026-04-24")
            try await send(d4, 3, "2026-04-22")  // rejected
            try await send(d7, 2, "2026-04-23", appointment: "2026-05-04")  // open, appointment after the as-of day
            try await send(d8, 2, "2026-04-23", appointment: "2026-04-30")
            try await send(d8, 9, "2026-05-05")  // open on 2/5, late
            try await send(d10, 2, "2026-04-24", appointment: "2026-04-28")
            try await send(d10, 9, "2026-04-27")  // early, other ward
            _ = d5
            _ = d6  // never reach the desk: judged against their J + n day

            let report = try await Self.summary(client, "from=2026-04-20&to=2026-05-02")
            #expect(report.asOf == "2026-05-02")
            let expected = Answer.ReportCounts(
                received: 9, resolvedEarly: 2, resolvedOnTime: 2, resolvedLate: 1, closedWithoutResult: 1, inProgressWithinDeadline: 2,
                inProgressOverdue: 2)
            #expect(report.counts == expected)

            #expect(report.byWard.count == 92)
            let camGia = try #require(report.byWard.first(where: { $0.agencyCode == "000.42.20.H55" }))
            #expect(camGia.ward == "phường Tích Lương")
            let camGiaExpected = Answer.ReportCounts(
                received: 8, resolvedEarly: 1, resolvedOnTime: 2, resolvedLate: 1, closedWithoutResult: 1, inProgressWithinDeadline: 2,
                inProgressOverdue: 2)
            #expect(camGia.counts == camGiaExpected, "Tích Lương")
            let caoNgan = try #require(report.byAgency.first(where: { $0.agencyCode == "000.65.20.H55" }))
            #expect(caoNgan.counts.received == 1 && caoNgan.counts.resolvedEarly == 1 && caoNgan.counts.inProgressOverdue == 0)

            let daily = Dictionary(uniqueKeysWithValues: report.daily.map { ($0.date, $0) })
            #expect(daily.count == 13)
            #expect(daily["2026-04-20"]?.received == 3)
            #expect(daily["2026-04-21"]?.received == 1 && daily["2026-04-21"]?.resolved == 1)
            #expect(daily["2026-04-22"]?.closedWithoutResult == 1)
            #expect(daily["2026-04-28"]?.resolved == 1)

            // The same period a week later: D8 is resolved (late), and D5's J + n day and D7's appointment have passed.
            let later = try await Self.summary(client, "from=2026-04-20&to=2026-05-09")
            #expect(later.counts.resolvedLate == 2)
            #expect(later.counts.inProgressOverdue == 3 && later.counts.inProgressWithinDeadline == 0)

            // Filters: one agency; one office that took none of them in.
            let oneAgency = try await Self.summary(client, "from=2026-04-20&to=2026-05-02&agencyCode=000.65.20.H55")
            #expect(oneAgency.counts.received == 1 && oneAgency.byAgency.count == 1)
            let otherOffice = try await Self.summary(client, "from=2026-04-20&to=2026-05-02&officeCode=251130")
            #expect(otherOffice.counts.received == 0 && otherOffice.counts.inProgressOverdue == 0)

            // The CSV carries the same total.
            let csv = try await client.execute(uri: "/api/v1/reports/summary?from=2026-04-20&to=2026-05-02&format=csv", method: .get)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(
                lines[0]
                    == "group,code,name,received,resolvedEarly,resolvedOnTime,resolvedLate,closedWithoutResult,inProgressWithinDeadline,inProgressOverdue,successors"
            )
            #expect(lines[1].hasSuffix(",9,2,2,1,1,2,2,"))
            // The header, the total, the 94 desks open in 2026, their 92 wards and communes, and 13 days.
            let expectedLines = 2 + 94 + 92 + 13
            #expect(lines.count == expectedLines)

            // The overdue items (as of today, 10/5): D5 (due 4/5) and D6 (due 23/4), oldest first; none personal.
            let overdue = try await client.execute(uri: "/api/v1/reports/overdue", method: .get).decoded(as: Answer.OverdueItems.self)
            let numbers = overdue.items.map(\.trackingNumber)
            #expect(overdue.total == numbers.count)
            #expect(numbers.contains(d6) && numbers.contains(d5))
            #expect(numbers.firstIndex(of: d6)! < numbers.firstIndex(of: d5)!)
            let d6Row = try #require(overdue.items.first(where: { $0.trackingNumber == d6 }))
            #expect(d6Row.dueDate == "2026-04-23" && d6Row.daysOverdue == 17 && d6Row.status == "accepted")
            #expect(!String(buffer: try await client.execute(uri: "/api/v1/reports/overdue", method: .get).body).contains("Nguyễn"))
        }
    }

    @Test func badQueriesNameEveryBadFieldAndAnOpenPeriodIsJudgedOnToday() async throws {
        let app = try buildApplication(try TestSupport.dependencies())
        try await app.test(.router) { client in
            let bad = try await client.execute(
                uri: "/api/v1/reports/summary?from=2026-02-30&to=2025-01-01&officeCode=999999&agencyCode=x&format=pdf&extra=1",
                method: .get, headers: [.acceptLanguage: "en"])
            #expect(bad.status == .unprocessableContent)
            #expect(Set(try bad.problem.fields) == ["from", "officeCode", "agencyCode", "format", "extra"])
            let reversed = try await client.execute(uri: "/api/v1/reports/summary?from=2026-05-01&to=2026-04-01", method: .get)
            #expect(try reversed.problem.codes["to"] == "invalidRange")
            let missing = try await client.execute(uri: "/api/v1/reports/summary", method: .get)
            #expect(Set(try missing.problem.fields) == ["from", "to"])
            let tooLong = try await client.execute(uri: "/api/v1/reports/summary?from=2024-01-01&to=2026-01-01", method: .get)
            #expect(try tooLong.problem.codes["to"] == "tooMany")
            // Today is Monday 23/11/2026 in the test clock: a period running to the month's end is judged on today.
            let running = try await Self.summary(client, "from=2026-11-01&to=2026-11-30")
            #expect(running.asOf == "2026-11-23")
        }
    }

    @Test(arguments: [
        ("2026-04-24", "2026-04-24", ReportSummary.Timeliness.onTime), ("2026-04-23", "2026-04-24", .early),
        ("2026-04-25", "2026-04-24", .late),
    ])
    func resolutionIsJudgedByDateAgainstTheAppointment(_ resolved: String, _ appointment: String, _ expected: ReportSummary.Timeliness) {
        #expect(ReportSummary.Timeliness.of(resolvedOn: resolved, appointment: appointment) == expected)
    }

    @Test func quartersHalfYearsAndYearsHaveTheirDaysAndTheDayTheReportIsDue() {
        let q3 = ReportPeriod("2026-Q3")!
        #expect(q3.first.description == "2026-07-01" && q3.last.description == "2026-09-30" && q3.dueBefore.description == "2026-10-10")
        let q4 = ReportPeriod("2026-Q4")!
        #expect(q4.last.description == "2026-12-31" && q4.dueBefore.description == "2027-01-10")
        let h1 = ReportPeriod("2026-H1")!
        #expect(h1.first.description == "2026-01-01" && h1.last.description == "2026-06-30" && h1.dueBefore.description == "2026-07-10")
        let year = ReportPeriod("2026")!
        #expect(year.last.description == "2026-12-31" && year.dueBefore.description == "2027-01-10")
        for bad in ["2026-Q5", "2026-H2", "26", "2026-q1", "", "2026-Q1-1", "1999"] { #expect(ReportPeriod(bad) == nil, "\(bad)") }
        #expect(LocalDate(iso: "2026-08-31")!.adding(months: 6).description == "2027-02-28")
        #expect(LocalDate(iso: "2026-11-23")!.adding(months: 6).description == "2027-05-23")
    }
}
