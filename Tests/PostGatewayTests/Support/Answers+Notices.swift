import Foundation

extension Answer {
    /// One row of the sandbox's `GET /_sandbox/messages`.
    struct SandboxMessage: Decodable, Equatable {
        let phone: String
        let channel: String
        let template: String
        let trackingId: String
        let text: String
        let sentAt: String
    }

    /// One notice of `GET /api/v1/notices` and `GET /api/v1/dossiers/{n}/notices`.
    struct Notice: Decodable {
        let id: Int64
        let trackingNumber: String
        let milestone: String
        let milestoneText: String
        let channel: String
        let phone: String
        let state: String
        let attempts: Int
        let lastError: String?
        let sentVia: String?
        let sentAt: String?
        let text: String?
    }

    struct Notices: Decodable {
        let items: [Notice]
    }
}
