import PropertyBased
import Testing

@testable import PostGateway

@Suite struct WorkingCalendarTests {
    let day = { (text: String) in LocalDate(iso: text)! }

    @Test func localDatesRoundTripAndKnowTheirWeekday() {
        #expect(day("2026-11-21").description == "2026-11-21")
        #expect(day("2026-11-21").isoWeekday == 6)  // Saturday, the day this was written
        #expect(day("2026-11-23").isoWeekday == 1)
        #expect(day("1970-01-01").isoWeekday == 4)
        #expect(day("2024-02-29").adding(days: 1) == day("2024-03-01"))
        #expect(LocalDate(iso: "2026-02-30") == nil)
        #expect(LocalDate(iso: "2026-2-3") == nil)
        #expect(LocalDate(iso: "２０２６-01-01") == nil)
    }

    @Test func countsFromTheDayAfterJAndSkipsWeekends() {
        let calendar = WorkingCalendar()
        #expect(calendar.adding(workingDays: 1, to: day("2026-11-23")) == day("2026-11-24"))  // Monday → Tuesday
        #expect(calendar.adding(workingDays: 1, to: day("2026-11-27")) == day("2026-11-30"))  // Friday → Monday
        #expect(calendar.adding(workingDays: 2, to: day("2026-11-21")) == day("2026-11-24"))  // Saturday J
        #expect(calendar.adding(workingDays: 0, to: day("2026-11-23")) == day("2026-11-23"))
    }

    @Test func holidaysDoNotCountAndMakeUpSaturdaysDo() {
        let calendar = WorkingCalendar(holidays: [day("2026-09-01"), day("2026-09-02")], makeUpWorkdays: [day("2026-08-22")])
        #expect(calendar.adding(workingDays: 1, to: day("2026-08-31")) == day("2026-09-03"))
        #expect(calendar.adding(workingDays: 1, to: day("2026-08-21")) == day("2026-08-22"))
    }

    @Test func theShippedHolidaysCoverTet2026() {
        let calendar = TestSupport.reference.calendar
        // Tết Bính Ngọ: 14–22 February 2026 off for public servants.
        #expect(!calendar.isWorkingDay(day("2026-02-17")))
        #expect(calendar.adding(workingDays: 1, to: day("2026-02-13")) == day("2026-02-23"))
    }

    @Test func theDueDateIsAWorkingDayWithExactlyNWorkingDaysAfterJ() async {
        let calendar = TestSupport.reference.calendar
        await propertyCheck(input: Gen.int(in: 20_454...21_183), Gen.int(in: 0...8)) { start, n in  // 2026 and 2027
            let j = LocalDate(daysSinceEpoch: start)
            let due = calendar.adding(workingDays: n, to: j)
            let counted = (1...max(1, due.daysSinceEpoch - j.daysSinceEpoch)).filter { calendar.isWorkingDay(j.adding(days: $0)) }.count
            #expect(n == 0 ? due == j : (calendar.isWorkingDay(due) && counted == n))
        }
    }
}
