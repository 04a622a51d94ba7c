import Foundation

/// How a notice's values are written for the citizen.
enum NoticeText {
    /// A moment as a message gives it: `14:05 07/12/2026`, Vietnam's wall clock.
    static func time(_ date: Date) -> String {
        let reading = LocalTime.Reading(date)
        return "\(LocalTime.pad(reading.hour)):\(LocalTime.pad(reading.minute)) \(LocalDate.vietnameseForm(reading.day.description))"
    }

    /// A phone in the international form providers take: `0912345678` → `84912345678`.
    static func international(_ phone: String) -> String {
        phone.hasPrefix("0") ? "84" + phone.dropFirst() : phone
    }
}
