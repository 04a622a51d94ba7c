import Foundation

extension Answer {
    /// `GET /api/v1/cases`, newest first.
    struct PostalCaseList: Decodable {
        let items: [PostalCase]
        let nextCursor: String?
    }
}
