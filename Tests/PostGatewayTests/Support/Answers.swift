import Foundation
import HummingbirdTesting

/// The gateway's JSON answers as the tests read them, spelled after `openapi.yaml`'s schemas: a test decodes an answer
/// into one of these and a missing or mistyped field fails the decoding instead of a cast deep in an assertion. Dates,
/// statuses and enums stay strings, as the wire carries them, so a test compares what a client would see.
enum Answer {
    struct FieldError: Decodable, Equatable {
        let field: String
        let code: String
        let message: String
    }

    struct Problem: Decodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        let instance: String
        let errors: [FieldError]
        let currentStatus: String?
        let allowedEvents: [String]?

        var fields: [String] { errors.map(\.field) }
        /// Each bad field's code; the first error of a field names it.
        var codes: [String: String] {
            Dictionary(errors.map { ($0.field, $0.code) }, uniquingKeysWith: { first, _ in first })
        }
    }

    struct IntakeReceipt: Decodable {
        struct Links: Decodable {
            let `self`: String
            let label: String
            let receipt: String
            let tracking: String
        }
        let trackingNumber: String
        let trackingPin: String
        let status: String
        let dueDate: String
        let acceptedAt: String
        let warnings: [FieldError]
        let links: Links
    }

    struct Document: Decodable, Equatable {
        let name: String
        let copies: Int
        let kind: String
    }

    struct Dossier: Decodable {
        struct Procedure: Decodable {
            let code: String
            let name: String
        }
        struct Applicant: Decodable {
            let fullName: String
            let idNumber: String
            let phone: String
            let email: String?
            let address: String
        }
        struct Fees: Decodable {
            let postage: Int
            let administrativeFee: Int
            let total: Int
        }
        struct OneStop: Decodable {
            let dossierCode: String?
            let status: Int?
            let statusAt: String?
            let appointmentDate: String?
            let note: String?
        }
        struct Item: Decodable {
            let trackingNumber: String
            let kind: String
            let status: String
            let officeCode: String
            let dueDate: String?
            let cashOnDelivery: Int
            let events: [Event]
        }
        struct Event: Decodable {
            let code: String
            let upuCode: String?
            let occurredAt: String
            let officeCode: String
            let actor: String
            let note: String?
            let attempt: Int?
            let identityChecked: Bool?
        }
        let trackingNumber: String
        let status: String
        let service: String
        let procedure: Procedure
        let agencyCode: String
        let officeCode: String
        let applicant: Applicant
        let resultAddress: String?
        let documents: [Document]
        let fees: Fees
        let note: String?
        let notifications: String
        let transitScope: String
        let jDate: String
        let dueDate: String
        let oneStop: OneStop
        let acceptedAt: String
        let items: [Item]
        let linkedTrackingNumbers: [String]?
    }

    struct DossierPage: Decodable {
        struct Entry: Decodable {
            let trackingNumber: String
            let status: String
            let service: String
            let procedureCode: String
            let agencyCode: String
            let officeCode: String
            let acceptedAt: String
            let dueDate: String
            let oneStopDossierCode: String?
            let oneStopStatus: Int?
        }
        let nextCursor: String?
        let items: [Entry]
    }

    struct Tracking: Decodable {
        struct Item: Decodable {
            let trackingNumber: String
            let kind: String
            let status: String
            let statusText: String
            let events: [Event]
        }
        struct Event: Decodable {
            let event: String
            let text: String
            let at: String
            let office: String
        }
        struct Details: Decodable {
            let procedureName: String
            let agencyName: String
            let appointmentDate: String?
            let applicantName: String
            let agencyNote: String?
            let linkedTrackingNumbers: [String]?
        }
        let code: String
        let acceptedOn: String
        let dueDate: String
        let oneStopStatus: Int?
        let oneStopStatusText: String?
        let guidance: String?
        let items: [Item]
        let details: Details?
        struct Notice: Decodable {
            let milestone: String
            let text: String
            let sentAt: String
        }
        let notices: [Notice]
    }

    struct ScanResult: Decodable {
        let trackingNumber: String
        let kind: String
        let event: String
        let upuCode: String?
        let at: String
        let officeCode: String
        let status: String
        let statusText: String
        let recorded: Bool
        let allowedNext: [String]
    }

    struct HandoverSummary: Decodable {
        let id: Int
        let number: String
        let agencyCode: String
        let officeCode: String
        let state: String
        let createdAt: String
        let signedAt: String?
        let receivedBy: String?
        let cancelledAt: String?
        let links: [String: String]
    }

    struct Handover: Decodable {
        struct Item: Decodable {
            let trackingNumber: String
            let status: String
            let procedureCode: String
            let procedureName: String
            let administrativeFee: Int
        }
        let id: Int
        let number: String
        let agencyCode: String
        let agencyName: String?
        let officeCode: String
        let state: String
        let createdAt: String
        let signedAt: String?
        let receivedBy: String?
        let cancelledAt: String?
        let links: [String: String]
        let items: [Item]
    }

    /// A pickup biên bản: results collected at a desk in one batch.
    struct PickupManifest: Decodable {
        struct Item: Decodable {
            let trackingNumber: String
            let status: String
            let oneStopCode: String?
            let procedureName: String
            let documentCount: Int?
            let cashOnDelivery: Int
        }
        let id: Int
        let number: String
        let agencyCode: String
        let officeCode: String
        let state: String
        let signedAt: String?
        let handedOverBy: String?
        let links: [String: String]
        let items: [Item]
    }

    struct PickupList: Decodable {
        struct Entry: Decodable {
            let trackingNumber: String
            let dossierTrackingNumber: String?
            let oneStopCode: String?
            let agencyCode: String
            let agencyName: String?
            let officeCode: String
            let dueDate: String?
            let cashOnDelivery: Int
            let readyAt: String
            let links: [String: String]
        }
        let items: [Entry]
    }

    struct CallbackReceipt: Decodable {
        let webhookId: String
        let outcome: String
        let firstDelivery: Bool
        let resultTrackingNumber: String?
    }

    struct PostalCase: Decodable {
        let id: Int
        let trackingNumber: String
        let officeCode: String
        let origin: String
        let subject: String
        let openedAt: String
        let openedBy: String
        let dueDate: String
        let note: String?
        let state: String
        let late: Bool
        let resolvedAt: String?
        let resolvedBy: String?
        let upheld: Bool?
        let compensation: Int
        let resolution: String?
    }

    struct ReconciliationRun: Decodable {
        struct Summary: Decodable {
            struct Agency: Decodable {
                let agencyCode: String
                let gatewayDossiers: Int
                let gatewayFees: Int
                let oneStopDossiers: Int
                let oneStopFees: Int
            }
            let gatewayDossiers: Int?
            let oneStopDossiers: Int?
            let matched: Int?
            let findings: Int?
            let repaired: Int?
            let awaitingForwarding: Int?
            let remaining: Int?
            let byKind: [String: Int]?
            let seconds: Double?
            let agencies: [Agency]?
        }
        let id: Int
        let from: String
        let to: String
        let dryRun: Bool
        let origin: String
        let state: String
        let requestedAt: String
        let startedAt: String?
        let finishedAt: String?
        let error: String?
        let summary: Summary?
        let links: [String: String]
    }

    struct ReconciliationFinding: Decodable {
        let trackingNumber: String
        let kind: String
        let title: String
        let agencyCode: String?
        let gateway: String?
        let oneStop: String?
        let ahead: String?
        let repair: String
        let repaired: Bool
        let remains: Bool
        let action: String
    }

    struct OutboxMessage: Decodable {
        let id: Int
        let trackingNumber: String
        let kind: String
        let state: String
        let attempts: Int
        let lastError: String?
        let refused: Bool
        let createdAt: String
        let updatedAt: String
    }

    struct ReportCounts: Decodable, Equatable {
        let received: Int
        let resolvedEarly: Int
        let resolvedOnTime: Int
        let resolvedLate: Int
        let closedWithoutResult: Int
        let inProgressWithinDeadline: Int
        let inProgressOverdue: Int
    }

    struct PostalServiceReport: Decodable {
        struct Service: Decodable {
            let service: String
            let name: String
            let volume: Int
            let revenue: Int
            let feesCollected: Int
        }
        struct Results: Decodable, Equatable {
            let items: Int
            let delivered: Int
            let returnedToAgency: Int
            let cashOnDeliveryCollected: Int
        }
        struct Complaints: Decodable, Equatable {
            let received: Int
            let resolved: Int
            let resolvedWithinDeadline: Int
            let resolvedLate: Int
            let upheld: Int
            let pendingAtEnd: Int
        }
        struct Compensation: Decodable, Equatable {
            let cases: Int
            let amount: Int
        }
        struct Safety: Decodable, Equatable {
            let itemsCarried: Int
            let itemsLostOrDamaged: Int
            let safePercent: String
        }
        let period: String
        let from: String
        let to: String
        let dueBefore: String
        let officeCode: String?
        let services: [Service]
        let results: Results
        let complaints: Complaints
        let lostItems: Int
        let damagedItems: Int
        let compensation: Compensation
        let safety: Safety
    }

    struct Health: Decodable {
        struct ExpiringFile: Decodable, Equatable {
            let file: String
            let knownUntil: String
            let daysLeft: Int
        }
        let status: String
        let oneStop: String
        let referenceExpiring: [ExpiringFile]
    }

    struct Readiness: Decodable {
        let status: String
        let checks: [String: String]
    }
}

extension Data {
    /// This JSON decoded as `type`; a field the type requires and the JSON lacks fails here, naming it.
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: self)
    }
}

extension TestResponse {
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try Data(body.readableBytesView).decoded(as: type)
    }

    /// This answer as a problem (RFC 9457).
    var problem: Answer.Problem {
        get throws { try decoded(as: Answer.Problem.self) }
    }
}
