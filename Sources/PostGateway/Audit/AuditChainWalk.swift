/// The audit chain checked row after row in id order, whichever backend the rows come from: each row must follow the
/// one before it (no id missing, its previous hash the hash before) and hash to what it stores (nothing edited).
struct AuditChainWalk {
    /// One stored row of the audit log.
    struct Row {
        let id: Int64
        let at: String
        let entry: AuditEntry
        let previousHash: String
        let hash: String
    }

    private var previous = AuditEntry.genesis
    private var expectedId: Int64 = 1
    private(set) var count = 0
    /// The last row's hash: two copies of a chain that end on the same hash hold the same rows.
    var head: String { previous }

    /// Takes the next row; answers why the chain breaks there, or nil while it holds.
    mutating func step(_ row: Row) -> AppDatabase.AuditVerification? {
        if row.id != expectedId { return .broken(rowId: row.id, reason: "row \(expectedId) is missing before it") }
        if row.previousHash != previous { return .broken(rowId: row.id, reason: "its previous hash is not the hash of the row before") }
        let entry = row.entry
        let hash = AuditEntry.chainHash(
            previous: previous, id: row.id, at: row.at, actor: entry.actor, action: entry.action, subject: entry.subject,
            officeCode: entry.officeCode, remoteAddress: entry.remoteAddress, outcome: entry.outcome)
        if row.hash != hash { return .broken(rowId: row.id, reason: "its content does not match its hash (edited)") }
        previous = hash
        expectedId += 1
        count += 1
        return nil
    }

    var verdict: AppDatabase.AuditVerification { .intact(rows: count) }
}
