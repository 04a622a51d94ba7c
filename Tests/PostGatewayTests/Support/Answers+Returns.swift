import Foundation

extension Answer {
    /// A `reportReturnProgress` outbox message's payload, as `ReturnProgress.json()` writes it for the one-stop
    /// (ONESTOP_API.md §3); the library's type is not Decodable, and the contract's Vietnamese keys are the wire's.
    struct ReturnProgressPayload: Decodable {
        let resultNumber: String
        let state: String
        let at: String
        let attempt: Int
        let note: String

        private enum CodingKeys: String, CodingKey {
            case resultNumber = "MaBuuGuiKetQua"
            case state = "TrangThai"
            case at = "ThoiDiem"
            case attempt = "LanPhat"
            case note = "GhiChu"
        }
    }

    /// `GET /api/v1/reports/summary`: the period's counts, and the same counts by agency and by ward.
    typealias ReportSummary = Counted<ReportPeriod>

    /// What an object of the summary counts, with the seven counts beside it in the same object, as the API spells
    /// the period, each agency and each ward.
    @dynamicMemberLookup
    struct Counted<Subject: Decodable>: Decodable {
        let subject: Subject
        let counts: ReportCounts

        init(from decoder: any Decoder) throws {
            subject = try Subject(from: decoder)
            counts = try ReportCounts(from: decoder)
        }

        subscript<Value>(dynamicMember path: KeyPath<Subject, Value>) -> Value { subject[keyPath: path] }
    }

    struct ReportPeriod: Decodable {
        struct Agency: Decodable {
            let agencyCode: String
            let agencyName: String
        }
        struct Ward: Decodable {
            let ward: String
            let unitCode: String
            let agencyCode: String
            let successors: [String]
        }
        struct Day: Decodable {
            let date: String
            let received: Int
            let resolved: Int
            let closedWithoutResult: Int
        }
        let from: String
        let to: String
        let asOf: String
        let officeCode: String?
        let agencyCode: String?
        let byAgency: [Counted<Agency>]
        let byWard: [Counted<Ward>]
        let daily: [Day]
    }

    /// `GET /api/v1/reports/overdue`.
    struct OverdueItems: Decodable {
        struct Item: Decodable {
            let trackingNumber: String
            let kind: String
            let status: String
            let statusWords: String
            let officeCode: String
            let officeName: String
            let dueDate: String
            let daysOverdue: Int
            let agencyCode: String
            let agencyName: String
            let procedureName: String
            let lastEventAt: String?
        }
        let asOf: String
        let total: Int
        let items: [Item]
    }
}
