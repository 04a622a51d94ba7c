import Foundation
import Testing

@testable import PostGateway

@Suite struct NoticeTemplatesTests {
    static let shipped: String = {
        (try? String(contentsOf: TestSupport.packageRoot.appending(path: "config/notices.yaml"), encoding: .utf8)) ?? ""
    }()

    static func refusal(_ yaml: String, publicBaseURL: String = "https://tracuu.example.vn") -> String? {
        do {
            _ = try NoticeTemplates.parse(yaml, publicBaseURL: publicBaseURL)
            return nil
        } catch let error as NoticeTemplateError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    @Test func theShippedTemplatesCoverEveryMilestoneAndFitOneSMSWithTheLongestValues() throws {
        let templates = try TestSupport.noticeTemplates()
        for milestone in NoticeMilestone.allCases {
            let entry = templates.entry(milestone)
            let longest = entry.sms.render(NoticeTemplates.longestValues(publicBaseURL: "https://tracuu.example.vn"), escape: { $0 })
            #expect(try #require(SMSText.septetCount(longest)) <= 160, "\(milestone)")
            #expect(Set(entry.zaloParameters).isSubset(of: milestone.placeholders))
            #expect(entry.zaloParameters.contains("code"), "every message names the dossier's code: \(milestone)")
        }
        // The PIN only where the citizen has no receipt.
        let withPin = NoticeMilestone.allCases.filter { templates.entry($0).zaloParameters.contains("pin") }
        #expect(withPin == [.acceptedWithPin])
    }

    @Test func aMissingMilestoneAnAccentInTheSMSATooLongSMSOrAnUnknownFieldIsRefused() {
        let missing = Self.shipped.components(separatedBy: "delivered:\n").first!
        #expect(Self.refusal(missing)?.contains("has no entry for delivered") == true)

        let accented = Self.shipped.replacingOccurrences(
            of: #"sms: "Ket qua ho so {{code}} da duoc phat"#, with: #"sms: "Kết quả {{code}} đã được phát"#)
        #expect(Self.refusal(accented)?.contains("delivered.sms must be written without accents") == true)

        let long = Self.shipped.replacingOccurrences(
            of: #"sms: "Ket qua ho so {{code}} da duoc phat"#, with: #"sms: "\#(String(repeating: "x", count: 140)) {{code}} da duoc phat"#)
        #expect(Self.refusal(long)?.contains("delivered.sms takes") == true)

        let unknown = Self.shipped.replacingOccurrences(of: "Cam on ban.\"", with: "{{address}}\"")
        #expect(Self.refusal(unknown)?.contains("unknown field address") == true)

        let pinLeak = Self.shipped.replacingOccurrences(of: "Tra cuu tai {{link}}\"\nacceptedWithPin", with: "PIN {{pin}}\"\nacceptedWithPin")
        #expect(Self.refusal(pinLeak)?.contains("accepted.sms refers to unknown field pin") == true)

        // A public address so long that a link no longer fits one SMS is told at start.
        #expect(Self.refusal(Self.shipped, publicBaseURL: "https://" + String(repeating: "a", count: 120) + ".vn")?.contains("takes") == true)
    }
}
