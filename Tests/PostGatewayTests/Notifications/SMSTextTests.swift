import Foundation
import PropertyBased
import Testing

@testable import PostGateway

@Suite struct SMSTextTests {
    /// Every letter of Vietnamese with its marks, both cases, and some that are no letters at all.
    static let letters: [String] = {
        let base = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY".map(String.init)
        let tones = ["", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"]
        return base.flatMap { letter in tones.map { (letter + $0).precomposedStringWithCanonicalMapping } }
            + ["đ", "Đ", "b", "Q", " ", ",", ".", "0", "9", "/", "€", "…", "“", "😀", "\u{200B}", "ж"]
    }()

    @Test func unaccentedVietnameseIsAlwaysGSM7AndKeepsItsLettersAndLength() async {
        await propertyCheck(input: Gen.element(of: Self.letters).compactMap { $0 }.array(of: 0...60), Gen.bool) { parts, decomposed in
            let text = parts.joined()
            let input = decomposed ? text.decomposedStringWithCanonicalMapping : text
            let plain = SMSText.unaccented(input)
            #expect(SMSText.septetCount(plain) != nil, "\(plain.unicodeScalars.map { String($0.value, radix: 16) })")
            // One scalar for each letter the citizen reads: a mark is dropped, never a letter.
            #expect(plain.unicodeScalars.count == text.precomposedStringWithCanonicalMapping.unicodeScalars.count)
        }
    }

    @Test func marksAreDroppedAndDBecomesD() {
        #expect(SMSText.unaccented("Nguyễn Thị Đào, phường Phan Đình Phùng") == "Nguyen Thi Dao, phuong Phan Dinh Phung")
        #expect(SMSText.unaccented("Bưu điện tỉnh Thái Nguyên") == "Buu dien tinh Thai Nguyen")
        #expect(SMSText.unaccented("Giờ: 14:05 — “hẹn”") == "Gio: 14:05 ? ?hen?")
    }

    @Test func theExtensionTableCountsTwoSeptetsAndAnythingElseIsNotGSM7() {
        #expect(SMSText.septetCount("abc") == 3)
        #expect(SMSText.septetCount("[a]") == 5)
        #expect(SMSText.septetCount("€") == 2)
        #expect(SMSText.septetCount("Đ") == nil)
        #expect(SMSText.septetCount("ế") == nil)
        #expect(SMSText.septetCount("e\u{301}") == nil)
    }
}
