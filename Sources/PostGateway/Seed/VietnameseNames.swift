/// Vietnamese full names as a demo ledger needs them: family names in about their real shares, a middle name
/// that usually says male or female, a given name.
enum VietnameseNames {
    /// Family names with their rough share of the population, in percent.
    static let families: [(String, Double)] = [
        ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4), ("Phan", 4.5), ("Đặng", 2),
        ("Bùi", 2), ("Đỗ", 1.5), ("Ngô", 1.3), ("Hồ", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 1), ("Trương", 1),
        ("Lương", 0.8), ("Ma", 0.6), ("Nông", 0.5), ("Hà", 0.7),
    ]
    static let maleMiddle = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân", "Công", "Mạnh", "Tuấn"]
    static let femaleMiddle = ["Thị", "Thu", "Ngọc", "Thanh", "Phương", "Minh", "Hồng", "Thùy", "Kim", "Mai"]
    static let maleGiven = [
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long", "Nam", "Phong",
        "Quân", "Sơn", "Thắng", "Toàn", "Trung", "Tú", "Việt",
    ]
    static let femaleGiven = [
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai", "Ngân",
        "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Trang", "Yến",
    ]
    private static let totalShare = families.reduce(0) { $0 + $1.1 }

    static func name(female: Bool, using rng: inout SplitMix64) -> String {
        var pick = Double.random(in: 0..<totalShare, using: &rng)
        var family = families[0].0
        for (name, share) in families {
            if pick < share {
                family = name
                break
            }
            pick -= share
        }
        let middle = (female ? femaleMiddle : maleMiddle).randomElement(using: &rng)!
        let given = (female ? femaleGiven : maleGiven).randomElement(using: &rng)!
        return "\(family) \(middle) \(given)"
    }

    /// Mobile prefixes of the Vietnamese networks (Viettel, Vinaphone, MobiFone, Vietnamobile).
    static let mobilePrefixes = [
        "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081",
        "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098",
    ]
}
