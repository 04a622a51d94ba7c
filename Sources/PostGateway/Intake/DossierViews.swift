import Foundation
import Hummingbird

/// The 201 answer to an intake (and the same answer to its replay).
struct IntakeReceiptView: ResponseEncodable {
    struct Links: Encodable {
        let `self`: String
        let label: String
        let receipt: String
        let tracking: String
    }

    let trackingNumber: String
    let trackingPin: String
    let status: ItemStatus
    let dueDate: String
    let acceptedAt: String
    let warnings: [Problem.Body.Issue]
    let links: Links

    init(_ accepted: AcceptedDossier, warnings: [FieldIssue], language: Language, publicBaseURL: String) {
        let number = accepted.trackingNumber.description
        trackingNumber = number
        trackingPin = accepted.pin
        status = .accepted
        dueDate = accepted.dueDate
        acceptedAt = LocalTime.iso(accepted.acceptedAt)
        self.warnings = warnings.map { $0.rendered(language) }
        links = Links(
            self: "/api/v1/dossiers/\(number)", label: "/api/v1/labels/\(number)?format=svg",
            receipt: "/api/v1/dossiers/\(number)/receipt", tracking: "\(publicBaseURL)/t/\(number)")
    }
}

/// A dossier as staff see it: everything on the Phiếu, its items and their events.
struct DossierView: ResponseEncodable {
    struct Applicant: Encodable {
        let fullName: String
        /// None for a result-only order: its receiver's identity is checked at delivery, not taken.
        let idNumber: String?
        let phone: String
        let email: String?
        let address: String
    }

    struct Fees: Encodable {
        let postage: Int64
        let administrativeFee: Int64
        let total: Int64
    }

    struct OneStop: Encodable {
        let dossierCode: String?
        let status: Int?
        let statusAt: String?
        let appointmentDate: String?
        /// The desk's words with that status.
        let note: String?
    }

    struct Item: Encodable {
        let trackingNumber: String
        let kind: ItemKind
        let status: ItemStatus
        let officeCode: String
        let dueDate: String?
        let cashOnDelivery: Int64
        let events: [Event]
    }

    struct Event: Encodable {
        let code: ItemEventCode
        let upuCode: String?
        let occurredAt: String
        let officeCode: String
        let actor: String
        let note: String?
        let attempt: Int?
        let identityChecked: Bool?
    }

    let trackingNumber: String
    let status: ItemStatus
    let service: ServiceType
    let procedure: Procedure
    let agencyCode: String
    let officeCode: String
    let applicant: Applicant
    let resultAddress: String?
    let documents: [DossierRecord.Document]
    let fees: Fees
    let note: String?
    /// The channel the citizen agreed to messages on: `zalo`, `sms` or `none`.
    let notifications: String
    let transitScope: TransitScope
    let jDate: String
    let dueDate: String
    let oneStop: OneStop
    let acceptedAt: String
    let items: [Item]
    /// Supplements of this dossier, or the dossier it supplements.
    let linkedTrackingNumbers: [String]

    struct Procedure: Encodable {
        let code: String
        let name: String
    }

    /// `idNumber`: the applicant's ID number as this viewer may see it (whole only for the dossier's own office).
    init(_ detail: DossierDetail, idNumber: String?) {
        let dossier = detail.dossier
        // A result-only order has no dossier item: its result is the item it is known by.
        let mainItem = detail.items.first { $0.kind == .dossier } ?? detail.items[0]
        trackingNumber = mainItem.trackingNumber
        status = mainItem.status
        service = dossier.service
        procedure = Procedure(code: dossier.procedureCode, name: dossier.procedureName)
        agencyCode = dossier.agencyCode
        officeCode = dossier.officeCode
        applicant = Applicant(
            fullName: dossier.applicantName, idNumber: idNumber, phone: dossier.applicantPhone,
            email: dossier.applicantEmail, address: dossier.applicantAddress)
        resultAddress = dossier.resultAddress
        documents = dossier.documents
        fees = Fees(postage: dossier.postage, administrativeFee: dossier.administrativeFee, total: dossier.postage + dossier.administrativeFee)
        note = dossier.note
        notifications = dossier.notifyBy?.rawValue ?? NoticeConsent.none.rawValue
        transitScope = dossier.transitScope
        jDate = dossier.jDate
        dueDate = dossier.dueDate
        oneStop = OneStop(
            dossierCode: dossier.oneStopCode, status: dossier.oneStopStatus, statusAt: dossier.oneStopStatusAt.map(LocalTime.iso),
            appointmentDate: dossier.appointmentDate, note: dossier.oneStopNote)
        acceptedAt = LocalTime.iso(dossier.acceptedAt)
        items = detail.items.map { item in
            Item(
                trackingNumber: item.trackingNumber, kind: item.kind, status: item.status, officeCode: item.officeCode,
                dueDate: item.dueDate, cashOnDelivery: item.cashOnDelivery,
                events: detail.events[item.id!, default: []].map { event in
                    Event(
                        code: event.code, upuCode: event.upuCode, occurredAt: LocalTime.iso(event.occurredAt),
                        officeCode: event.officeCode, actor: event.actor, note: event.note, attempt: event.attempt,
                        identityChecked: event.identityChecked)
                })
        }
        linkedTrackingNumbers = detail.linkedTrackingNumbers
    }
}

/// A page of the staff dossier list. No personal data: the list is for finding, the detail for reading.
struct DossierPageView: ResponseEncodable {
    struct Line: Encodable {
        let trackingNumber: String
        let status: ItemStatus
        let service: ServiceType
        let procedureCode: String
        let agencyCode: String
        let officeCode: String
        let acceptedAt: String
        let dueDate: String
        let oneStopDossierCode: String?
        let oneStopStatus: Int?
    }

    let items: [Line]
    let nextCursor: String?

    init(_ summaries: [DossierSummary], nextCursor: String?) {
        items = summaries.map {
            Line(
                trackingNumber: $0.trackingNumber, status: $0.status, service: $0.service, procedureCode: $0.procedureCode,
                agencyCode: $0.agencyCode, officeCode: $0.officeCode, acceptedAt: LocalTime.iso($0.acceptedAt),
                dueDate: $0.dueDate, oneStopDossierCode: $0.oneStopCode, oneStopStatus: $0.oneStopStatus)
        }
        self.nextCursor = nextCursor
    }
}
