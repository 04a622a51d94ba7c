import Foundation

/// The rows an intake writes, made once for either backend (`AppDatabase.acceptDossier`, `PostgresLedger.acceptDossier`).
extension DossierRecord {
    /// The dossier as the clerk took it in: no one-stop code or status yet.
    init(_ submission: IntakeSubmission, supplementOf: Int64?, pinHash: String) {
        let applicant = submission.applicant
        self.init(
            service: submission.service, procedureCode: submission.procedure.code, procedureName: submission.procedure.name,
            agencyCode: submission.agency.code, officeCode: submission.office.code, applicantName: applicant.fullName,
            applicantIdSealed: submission.sealedIdNumber, applicantPhone: applicant.phone, applicantEmail: applicant.email,
            applicantAddress: applicant.address, resultAddress: submission.resultAddress, resultUnitCode: submission.resultUnit?.code,
            resultProvinceCode: submission.resultProvinceCode,
            documents: submission.documents,
            postage: submission.postage, administrativeFee: submission.administrativeFee, note: submission.note,
            pinHash: pinHash, transitScope: submission.transitScope,
            jDate: submission.jDate.description, dueDate: submission.dueDate.description, oneStopCode: nil, oneStopStatus: nil,
            appointmentDate: nil, acceptedAt: submission.acceptedAt, acceptedBy: submission.acceptedBy, supplementOf: supplementOf,
            notifyBy: submission.notifyBy)
    }
}

extension ItemRecord {
    /// The dossier's own item, under the number on its label, accepted at the counter.
    static func dossierItem(of submission: IntakeSubmission, dossierId: Int64, trackingNumber: TrackingNumber) -> ItemRecord {
        ItemRecord(
            dossierId: dossierId, kind: .dossier, trackingNumber: trackingNumber.description, status: .accepted,
            officeCode: submission.office.code, dueDate: submission.dueDate.description, cashOnDelivery: 0,
            createdAt: submission.acceptedAt, updatedAt: submission.acceptedAt)
    }
}

extension ItemEventRecord {
    /// The item's first event: accepted at the counter, by the clerk.
    static func accepted(itemId: Int64, submission: IntakeSubmission) -> ItemEventRecord {
        ItemEventRecord(
            itemId: itemId, code: .accepted, upuCode: ItemEventCode.accepted.upuCode, occurredAt: submission.acceptedAt,
            officeCode: submission.office.code, actor: submission.acceptedBy, note: nil, recordedAt: submission.acceptedAt)
    }
}

extension AuditEntry {
    /// What the audit log says of an intake: who took it in, from where, under which number.
    static func intake(_ submission: IntakeSubmission, trackingNumber: TrackingNumber) -> AuditEntry {
        AuditEntry(
            actor: submission.acceptedBy, action: "POST /api/v1/dossiers", subject: trackingNumber.description,
            officeCode: submission.office.code, remoteAddress: submission.acceptedFrom, outcome: 201)
    }
}
