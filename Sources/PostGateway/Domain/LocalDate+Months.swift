extension LocalDate {
    /// The same day `months` later; a day the month lacks becomes its last day (31 August + 6 months = 28 February).
    func adding(months: Int) -> LocalDate {
        let (year, month, day) = components
        let index = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (index / 12, index % 12 + 1)
        let firstOfNext = newMonth == 12 ? LocalDate(year: newYear + 1, month: 1, day: 1) : LocalDate(year: newYear, month: newMonth + 1, day: 1)
        let length = firstOfNext.daysSinceEpoch - LocalDate(year: newYear, month: newMonth, day: 1).daysSinceEpoch
        return LocalDate(year: newYear, month: newMonth, day: min(day, length))
    }
}
