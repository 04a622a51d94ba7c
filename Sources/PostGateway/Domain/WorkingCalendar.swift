/// Which days count as working days for J + n deadlines: Monday to Friday, less public holidays,
/// plus the Saturdays the government declares as make-up working days. Both lists come from config.
struct WorkingCalendar: Sendable {
    let holidays: Set<LocalDate>
    let makeUpWorkdays: Set<LocalDate>

    init(holidays: Set<LocalDate> = [], makeUpWorkdays: Set<LocalDate> = []) {
        self.holidays = holidays
        self.makeUpWorkdays = makeUpWorkdays
    }

    func isWorkingDay(_ day: LocalDate) -> Bool {
        if makeUpWorkdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return day.isoWeekday <= 5
    }

    /// J + n: the n-th working day after J. J itself never counts, even when it is a working day,
    /// and a J on a weekend or holiday simply starts counting from the next working day.
    func adding(workingDays n: Int, to j: LocalDate) -> LocalDate {
        precondition(n >= 0)
        var day = j
        var remaining = n
        while remaining > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }
}
