import Foundation

/// Why a run could not complete: reported as a failure (exit 2), never as "0 findings".
struct ReconciliationFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// Reads the one-stop's ledger for a range of days, every page of it (ONESTOP_API.md §4, `OneStopPages`), and hands
/// each page's rows on as they come. Anything a correct page cannot hold stops the run: a page that is not the
/// contract's, a row without an S10 number or a status, a number listed twice, a cursor that comes back.
package struct OneStopLedgerReader: Sendable {
    let client: OneStopClient
    var pageSize = 1000
    /// A ceiling on pages, against a one-stop whose cursor never ends.
    var maxPages = 100_000

    /// Reads every page, handing each page's checked rows to `visit`; answers how many rows there were.
    @discardableResult
    package func read(from: LocalDate, to: LocalDate, _ visit: @Sendable ([(TrackingNumber, LedgerFacts)]) throws -> Void) async throws -> Int {
        let client = client
        let pageSize = pageSize
        return try await OneStopPages.read(
            "the one-stop's ledger", maxPages: maxPages, fetch: { cursor in try await client.listDossiers(from, to, cursor, pageSize) },
            check: Self.parse, key: { $0.0.packed }, name: { "\($0.0)" }, visit)
    }

    /// One row of the list, checked: the fields the reconciliation compares must be there and make sense.
    static func parse(_ row: OneStopLedgerRow) throws -> (TrackingNumber, LedgerFacts) {
        guard let raw = row.maBuuGui, let number = try? TrackingNumber(parsing: raw) else {
            throw ReconciliationFailure(reason: "a row of the one-stop's ledger has no valid MaBuuGui")
        }
        guard let agency = row.maCoQuan else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has no MaCoQuan")
        }
        guard let code = row.trangThaiHoSo, let status = OneStopStatus(rawValue: Int(truncatingIfNeeded: code)), Int64(status.rawValue) == code else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has no TrangThaiHoSo from 1 to 10")
        }
        // Bounded like the counter's amounts: the run adds fees up per agency, and a sum that overflowed would stop the
        // whole server, which runs the nightly reconciliation.
        guard let fee = row.lePhi, Money.validRange.contains(fee) else {
            throw ReconciliationFailure(reason: "the one-stop's row \(number) has no LePhi from 0 to \(Money.validRange.upperBound)")
        }
        return (
            number,
            LedgerFacts(
                agencyCode: agency, fee: fee, status: status, dossierCode: row.maHoSo, appointmentDate: row.ngayHenTra,
                handoverAt: row.thoiDiemBanGiao, resultNumber: row.maBuuGuiKetQua, resultState: row.trangThaiKetQua)
        )
    }
}
