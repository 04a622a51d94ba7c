import Foundation

/// Why a run could not complete: reported as a failure (exit 2), never as "0 findings".
struct ReconciliationFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// Reads the one-stop's ledger for a range of days, every page of it (ONESTOP_API.md §4), into memory keyed by
/// item number. Anything a correct page cannot hold stops the run: a page that is not the contract's, a row
/// without an S10 number or a status, a number listed twice, a cursor that comes back.
struct OneStopLedgerReader: Sendable {
    let client: OneStopClient
    var pageSize = 1000
    /// A ceiling on pages, against a one-stop whose cursor never ends.
    var maxPages = 100_000

    func read(from: LocalDate, to: LocalDate) async throws -> [UInt64: LedgerFacts] {
        var dossiers: [UInt64: LedgerFacts] = [:]
        var cursor: String?
        var cursorsSeen: Set<String> = []
        for _ in 0..<maxPages {
            let page: (rows: [[String: JSONValue]], next: String?)
            do {
                page = try await client.listDossiers(from, to, cursor, pageSize)
            } catch {
                throw ReconciliationFailure(reason: "the one-stop's ledger could not be read: \(error)")
            }
            if dossiers.isEmpty { dossiers.reserveCapacity(page.next == nil ? page.rows.count : 64 * 1024) }
            for row in page.rows {
                let (number, facts) = try Self.parse(row)
                guard dossiers.updateValue(facts, forKey: number.packed) == nil else {
                    throw ReconciliationFailure(reason: "the one-stop's ledger lists \(number) twice")
                }
            }
            guard let next = page.next else { return dossiers }
            guard cursorsSeen.insert(next).inserted else {
                throw ReconciliationFailure(reason: "the one-stop's ledger returned the cursor \(next) twice")
            }
            cursor = next
        }
        throw ReconciliationFailure(reason: "the one-stop's ledger did not end after \(maxPages) pages")
    }

    /// One row of the list, checked: the fields the reconciliation compares must have the contract's types.
    static func parse(_ row: [String: JSONValue]) throws -> (TrackingNumber, LedgerFacts) {
        func text(_ key: String) throws -> String? {
            switch row[key] {
            case .string(let value)?: return value
            case .null?, nil: return nil
            default: throw ReconciliationFailure(reason: "a row of the one-stop's ledger has \(key) that is not text")
            }
        }
        func integer(_ key: String) throws -> Int64 {
            guard case .integer(let value)? = row[key] else {
                throw ReconciliationFailure(reason: "a row of the one-stop's ledger has no whole number \(key)")
            }
            return value
        }
        guard let raw = try text("MaBuuGui"), let number = try? TrackingNumber(parsing: raw) else {
            throw ReconciliationFailure(reason: "a row of the one-stop's ledger has no valid MaBuuGui")
        }
        guard let agency = try text("MaCoQuan") else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has no MaCoQuan")
        }
        guard let status = OneStopStatus(rawValue: Int(try integer("TrangThaiHoSo"))) else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has a TrangThaiHoSo outside 1–10")
        }
        let fee = try integer("LePhi")
        guard fee >= 0 else { throw ReconciliationFailure(reason: "the one-stop's row \(number) has a negative LePhi") }
        return (number, LedgerFacts(agencyCode: agency, fee: fee, status: status, dossierCode: try text("MaHoSo"), appointmentDate: try text("NgayHenTra"),
                                    handoverAt: try text("ThoiDiemBanGiao"), resultNumber: try text("MaBuuGuiKetQua"),
                                    resultState: try text("TrangThaiKetQua")))
    }
}
